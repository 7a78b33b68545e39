// The durable gateway's parts alone (no sockets): the journal of unanswered actions (what a new
// gateway recovers, a record torn by a kill, the ids it numbers on from) and the redelivery
// deadline (its clock held while no server is up, stretched while answers come back old).

import { afterEach, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ActionJournal } from "./action-journal.ts";
import type { ActionHeader } from "./protocol.ts";
import { Redelivery } from "./redelivery.ts";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function directory(): string {
  const path = mkdtempSync(join(tmpdir(), "bunzmq-journal-test-"));
  directories.push(path);
  return path;
}

const action = (actionId: number, playerId = 7) => ({ actionId, playerId, clientSeq: actionId * 10, payload: new Uint8Array([actionId]) });
const header = (actionId: number): ActionHeader => ({ actionId, playerId: 7, clientSeq: actionId, attempt: 1, sentAt: 0 });

test("a journal reopened gives back the accepted actions never settled, in order, and the last id used", async () => {
  const path = directory();
  const { journal, recovered } = ActionJournal.open(path, false);
  expect(recovered).toEqual([]);
  for (const id of [1, 2, 3, 4]) journal.accept(action(id));
  journal.settle(2);
  journal.settle(4);
  // One write per turn: the records are the kernel's once the microtask has run (no close: a kill).
  await Promise.resolve();
  expect(readFileSync(join(path, "actions.journal")).byteLength).toBeGreaterThan(4 * 17);
  const reopened = ActionJournal.open(path, false);
  expect(reopened.recovered).toEqual([action(1), action(3)]);
  expect(reopened.journal.lastId).toBe(4);
  reopened.journal.close();
  // The rewritten file keeps the last id, though the actions that had it are gone.
  const again = ActionJournal.open(path, false);
  expect(again.journal.lastId).toBe(4);
  again.journal.close();
});

test("a record cut short by a kill in mid-write is ignored; the whole ones before it are recovered", async () => {
  const path = directory();
  const { journal } = ActionJournal.open(path, false);
  journal.accept(action(1));
  journal.accept(action(2));
  await Promise.resolve();
  // Half of an ACCEPT: kind, id and part of the player id.
  appendFileSync(join(path, "actions.journal"), Uint8Array.from([1, 0, 0, 0, 3, 0, 0]));
  const reopened = ActionJournal.open(path, false);
  expect(reopened.recovered.map((a) => a.actionId)).toEqual([1, 2]);
  reopened.journal.close();
  journal.close();
});

test("a deadline's clock stands still while held, so actions queued meanwhile are not sent again", () => {
  const redelivery = new Redelivery(1000);
  redelivery.track(header(1), new Uint8Array(0), 0);
  redelivery.hold(true, 500);
  redelivery.track(header(2), new Uint8Array(0), 600);
  expect([...redelivery.expired(60_000)]).toEqual([]);
  redelivery.hold(false, 60_000);
  // 500 ms ran before the hold: action 1 is due 500 ms after it, action 2 (sent while held) 1000 ms after.
  expect([...redelivery.expired(60_499)]).toEqual([]);
  expect([...redelivery.expired(60_500)].map((e) => e.header.actionId)).toEqual([1]);
  expect([...redelivery.expired(61_000)].map((e) => e.header.actionId)).toEqual([2]);
});

test("while answers come back old (a backlog being worked off), the deadline stretches to twice their age", () => {
  const redelivery = new Redelivery(1000);
  for (let id = 1; id <= 1000; id++) redelivery.track(header(id), new Uint8Array(0), 0);
  // The first 500 answered 3 s after their dispatch.
  for (let id = 1; id <= 500; id++) redelivery.settle(id, 3000);
  expect(redelivery.deadlineMs).toBeGreaterThan(2 * 2900);
  expect([...redelivery.expired(3000)]).toEqual([]);
  // Answers back to fresh bring the deadline back to its floor.
  for (let id = 1001; id <= 2000; id++) {
    redelivery.track(header(id), new Uint8Array(0), 4000);
    redelivery.settle(id, 4001);
  }
  expect(redelivery.deadlineMs).toBe(1000);
  expect([...redelivery.expired(4001)].map((e) => e.header.actionId)).toHaveLength(500);
});

// SpillQueue over real segment files: batching, order across memory and disk, the byte budget,
// a full disk and damaged records.

import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ZmqError } from "../core/errors.ts";
import type { Message } from "../core/message.ts";
import { RecordBuffer, decodeRecords, recordSize } from "./record.ts";
import { SegmentLog } from "./segment-log.ts";
import { BATCH_BYTES, type SpillHost, SpillQueue } from "./spill-queue.ts";

const text = new TextEncoder();
const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function message(...frames: string[]): Message {
  return frames.map((frame) => text.encode(frame));
}

function strings(m: Message | undefined): string[] | undefined {
  return m?.map((frame) => new TextDecoder().decode(frame));
}

interface TestHost extends SpillHost {
  readonly directory: string;
  readonly events: Array<{ type: string; code?: string }>;
  used: number;
}

function host(budget = Number.POSITIVE_INFINITY, openLog?: (directory: string) => SegmentLog): TestHost {
  const directory = mkdtempSync(join(tmpdir(), "bunzmq-spill-test-"));
  directories.push(directory);
  const h: TestHost = {
    directory,
    events: [],
    used: 0,
    hasBudget: () => h.used < budget,
    charge: (delta) => (h.used += delta),
    journal: null,
    openLog: () => ({ log: openLog ? openLog(directory) : new SegmentLog(directory, "q"), recovered: 0 }),
    report: (type, _address, error?: ZmqError) => h.events.push(error ? { type, code: error.code } : { type }),
    forget: () => {},
  };
  return h;
}

test("records round-trip whole multipart messages, empty frames included", () => {
  const messages = [message("a", "", "ccc"), message("x")];
  const bytes = messages.reduce((sum, m) => sum + recordSize(m), 0);
  const records = new RecordBuffer();
  for (const m of messages) records.append(m);
  const decoded = decodeRecords(records.bytes);
  expect(decoded.messages.map(strings)).toEqual([["a", "", "ccc"], ["x"]]);
  expect(decoded).toMatchObject({ damaged: 0, consumed: bytes });
});

test("small messages stay in the write batch: nothing touches the disk until a batch is full", () => {
  const h = host();
  const queue = new SpillQueue("", h);
  for (let i = 0; i < 10; i++) queue.push(message(`m${i}`));
  expect(readdirSync(h.directory)).toEqual([]);
  expect(queue.size).toBe(10);
  expect(strings(queue.shift())).toEqual(["m0"]);
  queue.close();
  expect(h.used).toBe(0);
});

test("order holds across the loaded chunk, the files and the write batch, and delivered segments are deleted", () => {
  const h = host();
  const queue = new SpillQueue("", h);
  const payload = "p".repeat(1000);
  const count = Math.ceil((20 * BATCH_BYTES) / 1000);
  for (let i = 0; i < count; i++) queue.push(message(String(i), payload));
  expect(queue.bytesOnDisk).toBeGreaterThan(10 * BATCH_BYTES);
  for (let i = 0; i < count; i++) expect(strings(queue.shift())?.[0]).toBe(String(i));
  expect(queue.shift()).toBeUndefined();
  expect(readdirSync(h.directory)).toEqual([]);
  expect(h.used).toBe(0);
  expect(h.events.map((e) => e.type)).toEqual(["spill:start", "spill:stop"]);
});

test("the budget closes the queue to new messages and reopens it as messages leave", () => {
  const h = host(10 * recordSize(message("0123456789")));
  const queue = new SpillQueue("", h);
  let pushed = 0;
  while (queue.hasRoom()) queue.push(message(String(pushed++).padStart(10, "0")));
  expect(pushed).toBe(10);
  queue.shift();
  expect(queue.hasRoom()).toBe(true);
  queue.close();
});

test("a full disk keeps every accepted message, stops taking more and reports ENOSPC", () => {
  const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  const h = host(Number.POSITIVE_INFINITY, (directory) => {
    const log = new SegmentLog(directory, "q");
    log.append = () => {
      throw full;
    };
    return log;
  });
  const queue = new SpillQueue("tcp://peer", h);
  let pushed = 0;
  while (queue.hasRoom()) queue.push(message(String(pushed++), "x".repeat(100)));
  expect(h.events).toEqual([{ type: "spill:start" }, { type: "spill:error", code: "ENOSPC" }]);
  for (let i = 0; i < pushed; i++) expect(strings(queue.shift())?.[0]).toBe(String(i));
  expect(queue.size).toBe(0);
  expect(queue.hasRoom()).toBe(true);
});

test("a record with a bad checksum is reported and skipped, never delivered", () => {
  const h = host();
  const queue = new SpillQueue("", h);
  const count = Math.ceil((2 * BATCH_BYTES) / 100);
  for (let i = 0; i < count; i++) queue.push(message(String(i), "y".repeat(100)));
  const [file] = readdirSync(h.directory);
  const path = join(h.directory, file!);
  const bytes = readFileSync(path);
  const victim = recordSize(message("0", "y".repeat(100))) * 3 + 20; // inside the fourth record's payload
  bytes[victim] = bytes[victim]! ^ 0xff;
  writeFileSync(path, bytes);
  const got: string[] = [];
  for (let m = queue.shift(); m !== undefined; m = queue.shift()) got.push(strings(m)![0]!);
  expect(got.length).toBe(count - 1);
  expect(got.includes("3")).toBe(false);
  expect(got.slice(0, 4)).toEqual(["0", "1", "2", "4"]);
  expect(h.events.filter((e) => e.type === "spill:error")).toEqual([{ type: "spill:error", code: "EBADMSG" }]);
});

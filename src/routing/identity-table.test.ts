// IdentityTable (ROUTER's routing id -> pipe map): explicit ids, auto ids, duplicates and handover.
// Driven with in-memory pipe ends; no sockets.

import { describe, expect, test } from "bun:test";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { IdentityTable } from "./identity-table.ts";

const b = (text: string): Uint8Array => new TextEncoder().encode(text);
const NONE = new Uint8Array(0);

function end(): PipeEnd {
  return createPipePair(10, 10, { routingId: NONE, address: "test" }).socketEnd;
}

describe("IdentityTable", () => {
  test("a peer with an explicit id is found by that id", () => {
    const table = new IdentityTable(0);
    const a = end();
    expect(table.add(a, b("alpha"), false)).toEqual({ accepted: true, id: b("alpha"), displaced: null });
    expect(table.lookup(b("alpha"))).toBe(a);
    expect(table.idOf(a)).toEqual(b("alpha"));
    expect(table.lookup(b("beta"))).toBeUndefined();
  });

  test("peers without an id get 5-byte auto ids: 0x00 then a big-endian counter from the start value", () => {
    const table = new IdentityTable(0xfffffffe);
    const ids = [end(), end(), end()].map((e) => Array.from(table.add(e, NONE, false).id));
    expect(ids).toEqual([
      [0, 0xff, 0xff, 0xff, 0xfe],
      [0, 0xff, 0xff, 0xff, 0xff],
      [0, 0, 0, 0, 0],
    ]);
  });

  test("the auto-id counter starts at a random value by default", () => {
    const starts = new Set(Array.from({ length: 8 }, () => Array.from(new IdentityTable().add(end(), NONE, false).id).join(",")));
    expect(starts.size).toBeGreaterThan(1);
  });

  test("an auto id skips a value an explicit id already holds", () => {
    const table = new IdentityTable(7);
    table.add(end(), Uint8Array.of(0, 0, 0, 0, 7), false);
    expect(Array.from(table.add(end(), NONE, false).id)).toEqual([0, 0, 0, 0, 8]);
  });

  test("a second peer claiming an id in use is refused and the first keeps it", () => {
    const table = new IdentityTable(0);
    const first = end();
    const second = end();
    table.add(first, b("x"), false);
    expect(table.add(second, b("x"), false).accepted).toBe(false);
    expect(table.lookup(b("x"))).toBe(first);
    expect(table.idOf(second)).toBeUndefined();
    expect(table.size).toBe(1);
  });

  test("with handover the new peer takes the id and the old holder is returned as displaced", () => {
    const table = new IdentityTable(0);
    const first = end();
    const second = end();
    table.add(first, b("x"), true);
    expect(table.add(second, b("x"), true)).toEqual({ accepted: true, id: b("x"), displaced: first });
    expect(table.lookup(b("x"))).toBe(second);
    expect(table.idOf(first)).toBeUndefined();
    // The displaced peer leaving later must not take the id away from its new holder.
    table.remove(first);
    expect(table.lookup(b("x"))).toBe(second);
  });

  test("removing a peer frees its id for the next peer", () => {
    const table = new IdentityTable(0);
    const first = end();
    table.add(first, b("x"), false);
    table.remove(first);
    expect(table.lookup(b("x"))).toBeUndefined();
    const second = end();
    expect(table.add(second, b("x"), false).accepted).toBe(true);
    expect([...table.ends()]).toEqual([second]);
  });
});

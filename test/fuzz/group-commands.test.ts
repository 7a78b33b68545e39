// Fuzz target "group-commands": what a DISH's JOIN and LEAVE reach in a RADIO (RFC 48): the command
// body codec (src/core/group-command.ts) and the group table it feeds (src/routing/group-table.ts).
// Properties: any body, noise or a mutated JOIN/LEAVE, reads exactly as a reference reading of the
// layout says (`\x04JOIN` or `\x05LEAVE`, then a group of at most 255 bytes), never throwing; what
// the encoder writes reads back; and any sequence of JOIN, LEAVE and departures leaves the table
// answering as a reference multiset of (group, pipe) pairs, with repeated JOINs costing nothing.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { decodeGroupCommand, encodeGroupCommand, MAX_GROUP_LENGTH } from "../../src/core/group-command.ts";
import { Pipe } from "../../src/pipe/pipe.ts";
import { GroupTable } from "../../src/routing/group-table.ts";
import { bytes, mutate, mutations, type ValueOf } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";

const TARGET = "group-commands";
const EACH = { share: 0.34 };
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");

/** The reference reading: by the bytes of the layout, independently of src/core. */
function reference(body: Uint8Array): { join: boolean; group: string } | "too-long" | null {
  const text = Buffer.from(body).toString("latin1");
  const join = text.startsWith("\x04JOIN");
  if (!join && !text.startsWith("\x05LEAVE")) return null;
  const group = body.subarray(join ? 5 : 6);
  return group.length > 255 ? "too-long" : { join, group: hex(group) };
}

const group = fc.oneof(
  { weight: 3, arbitrary: bytes(12) },
  { weight: 1, arbitrary: fc.integer({ min: 250, max: 260 }).map((n) => new Uint8Array(n).fill(0x67)) },
);
const body = fc.oneof(
  { weight: 1, arbitrary: bytes(300) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.boolean(), group)
      .map(([join, g]) => Uint8Array.from([...(join ? [4, 74, 79, 73, 78] : [5, 76, 69, 65, 86, 69]), ...g])),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.boolean(), group, mutations)
      .map(([join, g, m]) => mutate(Uint8Array.from([...(join ? [4, 74, 79, 73, 78] : [5, 76, 69, 65, 86, 69]), ...g]), m)),
  },
);

const PIPES = 3;
const operation = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("join" as const), group: bytes(3), pipe: fc.nat({ max: PIPES - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("leave" as const), group: bytes(3), pipe: fc.nat({ max: PIPES - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("remove" as const), pipe: fc.nat({ max: PIPES - 1 }) }) },
);
type Operation = ValueOf<typeof operation>;

describe("fuzz: RFC 48 group commands", () => {
  fuzz(
    TARGET,
    "any command body reads as the layout says: JOIN, LEAVE, neither, or a group over 255 bytes",
    body,
    (input) => {
      const decoded = decodeGroupCommand(input);
      const expected = reference(input);
      if (decoded === null || decoded === "too-long") expect(decoded).toBe(expected as null | "too-long");
      else expect({ join: decoded.join, group: hex(decoded.group) }).toEqual(expected as { join: boolean; group: string });
    },
    EACH,
  );

  fuzz(
    TARGET,
    "what encodeGroupCommand writes for a group of up to 255 bytes reads back",
    fc.tuple(fc.boolean(), bytes(MAX_GROUP_LENGTH)),
    ([join, g]) => {
      const decoded = decodeGroupCommand(encodeGroupCommand(join, g));
      expect(decoded !== null && decoded !== "too-long" && decoded.join === join && hex(decoded.group) === hex(g)).toBe(true);
    },
    EACH,
  );

  fuzz(
    TARGET,
    "the group table answers as a multiset of (group, pipe) pairs; LEAVE of a group never joined changes nothing; a pipe's groups never cost more than the bound",
    fc.tuple(fc.array(operation, { size: "max", maxLength: 24 }), fc.constantFrom(-1, 0, 64, 130, 200)),
    ([ops, maxBytes]) => {
      const table = new GroupTable();
      const cost = (index: number) =>
        [...model.keys()]
          .filter((key) => key.startsWith(`${index}/`))
          .reduce((sum, key) => sum + (key.length - key.indexOf("/") - 1) / 2 + 64, 0);
      const pipes = Array.from({ length: PIPES }, () => new Pipe(0));
      const model = new Map<string, number>(); // `${pipe}/${group hex}` -> joins
      for (const step of ops as Operation[]) {
        if (step.op === "remove") {
          table.remove(pipes[step.pipe]!);
          for (const k of [...model.keys()]) if (k.startsWith(`${step.pipe}/`)) model.delete(k);
          continue;
        }
        const k = `${step.pipe}/${hex(step.group)}`;
        const count = model.get(k) ?? 0;
        if (step.op === "join") {
          // A new group past the bound is refused, a repeat of a joined one never.
          const fits = count > 0 || maxBytes < 0 || cost(step.pipe) + step.group.length + 64 <= maxBytes;
          expect(table.join(pipes[step.pipe]!, step.group, maxBytes)).toBe(fits);
          if (fits) model.set(k, count + 1);
        } else {
          table.leave(pipes[step.pipe]!, step.group);
          if (count > 1) model.set(k, count - 1);
          else model.delete(k);
        }
        const groups = new Set([...model.keys()].map((key) => key.slice(key.indexOf("/") + 1)));
        expect(table.size).toBe(groups.size);
        for (const [index, pipe] of pipes.entries()) {
          expect(table.groupCount(pipe)).toBe([...model.keys()].filter((key) => key.startsWith(`${index}/`)).length);
          expect(table.bytesOf(pipe)).toBe(cost(index));
          if (maxBytes >= 0) expect(table.bytesOf(pipe)).toBeLessThanOrEqual(maxBytes);
        }
        const members = [...table.members(step.group)].map((pipe) => pipes.indexOf(pipe)).sort();
        const expected = pipes.map((_, index) => index).filter((index) => model.has(`${index}/${hex(step.group)}`));
        expect(members).toEqual(expected);
      }
    },
    EACH,
  );
});

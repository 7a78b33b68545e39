// Fuzz target "engine", its back-pressure: a socket with a receive high-water mark of 1 to 4 that
// reads a few messages now and then, while the peer's traffic (multipart messages with PINGs in
// between) arrives in arbitrary chunks and the peer may close straight after. Property: the engine
// holds back and reads on (src/engine/inbound-throttle.ts) without losing, repeating or reordering
// a message, answers every PING, and reports the peer's close only once everything sent before it
// has been handed up, exactly once and as an ordinary close.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { command, concat, message } from "../helpers/zmtp-bytes.ts";
import { bytes, cuts, splitAt } from "./arbitraries.ts";
import { EngineRig, goodPeerPrefix } from "./engine-rig.ts";
import { fuzzAsync } from "./harness.ts";
import { referenceFrames } from "./reference-parsers.ts";

const TARGET = "engine";
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");
/** Bounds the wait for the engine to read on: each round lets one queued resume run. */
const MAX_ROUNDS = 1000;

const traffic = fc.record({
  messages: fc.array(fc.record({ frames: fc.array(bytes(12), { size: "max", minLength: 1, maxLength: 3 }), pingAfter: fc.boolean() }), {
    size: "max",
    maxLength: 16,
  }),
  highWaterMark: fc.integer({ min: 1, max: 4 }),
  cuts,
  /** How many messages the socket reads after each chunk (cycled; 0 lets the pipe fill). */
  reads: fc.array(fc.nat({ max: 3 }), { size: "max", minLength: 1, maxLength: 6 }),
  peerCloses: fc.boolean(),
});

/** Lets queued microtasks (the engine's resume after the socket read) run. */
const turn = () => Promise.resolve();

describe("fuzz: ZMTP engine back-pressure", () => {
  fuzzAsync(
    TARGET,
    "a slow reader at a small high-water mark gets every message once, in order, and the peer's close last",
    traffic,
    async ({ messages, highWaterMark, cuts, reads, peerCloses }) => {
      const rig = new EngineRig("PULL", -1, highWaterMark);
      const sent = messages.map(({ frames, pingAfter }) =>
        concat(message(...frames), pingAfter ? command("PING", Uint8Array.of(0, 0, 7)) : []),
      );
      const stream = concat(goodPeerPrefix("PULL", false), ...sent);
      const received: string[][] = [];
      const take = (limit?: number) => received.push(...rig.take(limit).map((m) => m.map(hex)));
      splitAt(stream, cuts).forEach((chunk, i) => {
        // Bun never delivers an empty chunk; a paused stream may still deliver one already in flight.
        if (chunk.length > 0) rig.feed(chunk);
        take(reads[i % reads.length]);
      });
      if (peerCloses) rig.stream.handler!.onClose();
      for (let round = 0; round < MAX_ROUNDS && received.length < messages.length; round++) {
        await turn();
        take();
      }
      await turn();
      expect(received).toEqual(messages.map(({ frames }) => frames.map(hex)));
      // The close comes after the last message, as an ordinary one (null), and only if the peer closed.
      expect(rig.closed).toEqual(peerCloses ? [null] : []);
      if (!peerCloses) {
        rig.engine.flush();
        const pongs = referenceFrames(rig.stream.bytes().subarray(64), -1).frames.slice(1);
        expect(pongs.map((frame) => hex(frame.body))).toEqual(messages.filter((m) => m.pingAfter).map(() => `04504f4e4707`));
      }
      rig.finish();
    },
    // Each input awaits the engine a few times; the synchronous engine property makes up the rest.
    { share: 0.5 },
  );
});

// Fuzz target "engine": src/engine/zmtp-engine.ts as a whole, over an in-memory stream
// (engine-rig.ts). Property: after a good greeting, any bytes (noise, or mutated traffic with
// commands), chunked anyhow, never make the engine throw; it hands up exactly the messages, answers
// the latest PING, and closes (once, with a defined failure) exactly where a reference reading of
// the frames says: the NULL handshake's READY checks (RFC 23), then data frames joined by MORE,
// PING answered with PONG (RFC 37; one PONG waits, a later PING replacing it, as in libzmq: #14),
// SUBSCRIBE and CANCEL handed up by an XPUB and refused inside a multipart message, other commands
// ignored, a size over maxMessageSize refused (EMSGSIZE). And back-pressure: a socket with a
// receive high-water mark of 1 to 4 that reads a few messages now and then, the peer's traffic in
// arbitrary chunks and its close straight after: the engine holds back and reads on
// (src/engine/inbound-throttle.ts) without losing, repeating or reordering a message, answers the
// PINGs with at most one PONG each, the last one included, and reports the close once, after the
// last message.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { command, concat, greeting, message, metadata } from "../helpers/zmtp-bytes.ts";
import {
  bytes,
  cuts,
  frameSpec,
  metadataProperties,
  mutate,
  mutations,
  socketTypeName,
  splitAt,
  type ValueOf,
  writeFrames,
} from "./arbitraries.ts";
import { ACCEPTED_PEERS, ENGINE_CODES, EngineRig, goodPeerPrefix, type RigSocketType } from "./engine-rig.ts";
import { errorFailure } from "./handshake-driver.ts";
import { fuzz, fuzzAsync } from "./harness.ts";
import { referenceCommand, referenceFrames, referenceHandshakeCommand, referenceMetadata } from "./reference-parsers.ts";

const TARGET = "engine";
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");
const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

/** A command frame as a peer might send it in traffic, known names often. */
const commandFrame = fc
  .record({ name: fc.constantFrom("PING", "PONG", "SUBSCRIBE", "CANCEL", "ERROR", "READY", "X"), data: bytes(20), more: fc.boolean() })
  .map(({ name, data, more }) => ({ flags: more ? 0x05 : 0x04, body: Uint8Array.from([name.length, ...ascii(name), ...data]) }));

/** A READY a peer might answer the greeting with: any Socket-Type, or none, among other properties. */
const readyFrame = fc.record({ type: fc.option(socketTypeName, { freq: 5 }), others: metadataProperties }).map(({ type, others }) => ({
  flags: 0x04,
  body: concat([5], ascii("READY"), metadata(type === null ? others : [["Socket-Type", type], ...others])),
}));

const peerBytes = fc.oneof(
  { weight: 1, arbitrary: bytes(300) },
  {
    weight: 4,
    arbitrary: fc.record({
      frames: fc.array(
        fc.oneof({ weight: 3, arbitrary: frameSpec }, { weight: 2, arbitrary: commandFrame }, { weight: 1, arbitrary: readyFrame }),
        {
          size: "max",
          maxLength: 10,
        },
      ),
      mutations: fc.option(mutations),
    }),
  },
);

const asBytes = (value: ValueOf<typeof peerBytes>) =>
  value instanceof Uint8Array
    ? value
    : value.mutations === null
      ? writeFrames(value.frames)
      : mutate(writeFrames(value.frames), value.mutations);

interface EngineOutcome {
  messages: string[][];
  /** Every PING's context (hex, cut to 16 bytes), in order: the PONG that waits answers the last. */
  pings: string[];
  closed: { stage: string; kind: string; code: string; status?: number } | null;
}

/** Reads `stream` (everything after the greeting) as RFC 23, 37 and the engine's contract say it must be read. */
function model(type: RigSocketType, stream: Uint8Array, limit: number): EngineOutcome {
  const { frames, error } = referenceFrames(stream, limit);
  const out: EngineOutcome = { messages: [], pings: [], closed: null };
  let ready = false;
  let parts: string[] = [];
  const close = (stage: string, failure: { kind: string; code?: string; status?: number }) => {
    out.closed =
      failure.kind === "auth"
        ? { stage, kind: "auth", code: "", status: failure.status! }
        : { stage, kind: failure.kind, code: failure.code! };
  };
  for (const { flags, body } of frames) {
    if (!ready) {
      // The handshake reads commands by body alone, COMMAND flag or not (zmtp-notes §2.4).
      const command = referenceHandshakeCommand(body);
      const properties = command?.name === "READY" ? referenceMetadata(Buffer.from(command.data, "hex")) : null;
      const peerType = properties?.find(([name]) => name === "Socket-Type")?.[1];
      if (command === null) close("handshake", { kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED" });
      else if (command.name === "ERROR") close("handshake", errorFailure(Buffer.from(command.data, "hex")));
      else if (command.name !== "READY") close("handshake", { kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
      else if (properties === null) close("handshake", { kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_READY" });
      else if (peerType === undefined) close("handshake", { kind: "protocol", code: "ERR_ZMTP_INVALID_METADATA" });
      else if (!ACCEPTED_PEERS[type].includes(new TextDecoder().decode(Buffer.from(peerType, "hex"))))
        close("handshake", { kind: "protocol", code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH" });
      else ready = true;
    } else if ((flags & 0x04) === 0) {
      parts.push(hex(body));
      if ((flags & 0x01) === 0) {
        out.messages.push(parts);
        parts = [];
      }
    } else {
      const command = referenceCommand(body);
      const data = command === null ? "" : command.data;
      if (command === null || (command.name === "PING" && data.length < 4)) close("traffic", { kind: "protocol", code: "EPROTO" });
      else if (command.name === "PING") out.pings.push(data.slice(4, 4 + 32));
      else if ((command.name === "SUBSCRIBE" || command.name === "CANCEL") && type === "XPUB") {
        if (parts.length > 0) close("traffic", { kind: "protocol", code: "EPROTO" });
        else out.messages.push([(command.name === "SUBSCRIBE" ? "01" : "00") + data]);
      }
    }
    if (out.closed !== null) return out;
  }
  if (error !== null) close(ready ? "traffic" : "handshake", { kind: "protocol", code: ready ? "EMSGSIZE" : "ERR_ZMTP_UNSPECIFIED" });
  return out;
}

/** The PONG contexts among the frames the engine wrote after its greeting and READY. */
function pongsWritten(written: Uint8Array): string[] {
  const { frames } = referenceFrames(written.subarray(64), -1);
  expect(referenceCommand(frames[0]!.body)?.name).toBe("READY");
  return frames.slice(1).map((frame) => {
    const command = referenceCommand(frame.body);
    expect(command?.name).toBe("PONG");
    return command!.data;
  });
}

describe("fuzz: ZMTP engine", () => {
  fuzz(
    TARGET,
    "any bytes after a good greeting, chunked anyhow, are delivered, answered or refused as a reference reading says",
    fc.record({
      type: fc.constantFrom<RigSocketType>("PULL", "XPUB"),
      // Most runs get through the handshake with a good READY first; some must survive one of their own.
      goodReady: fc.boolean(),
      peer: peerBytes,
      cuts,
      limit: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 300 }) }),
    }),
    ({ type, goodReady, peer, cuts, limit }) => {
      const prefix = goodPeerPrefix(type, !goodReady);
      const stream = concat(prefix, asBytes(peer));
      const rig = new EngineRig(type, limit, 100_000);
      for (const chunk of splitAt(stream, cuts)) if (chunk.length > 0) rig.feed(chunk);
      const expected = model(type, stream.subarray(greeting().length), limit);
      const failure = rig.closed[0] ?? null;
      if (failure !== null) expect(ENGINE_CODES.has(failure.code) ? failure.code : `unknown code ${failure.code}`).toBe(failure.code);
      const closed =
        failure === null
          ? null
          : {
              stage: failure.stage,
              kind: failure.kind,
              code: failure.code,
              ...(failure.status === undefined ? {} : { status: failure.status }),
            };
      expect<object>({ messages: rig.take().map((message) => message.map(hex)), closed }).toEqual({
        messages: expected.messages,
        closed: expected.closed,
      });
      // What a peer provokes never piles up (#14): one PONG waits, a later PING replacing it, and goes
      // out at the next flush (none ran here: they wait for a microtask). A close may take it along.
      if (failure === null) rig.engine.flush();
      const pongs = pongsWritten(rig.stream.bytes());
      if (failure === null) expect(pongs).toEqual(expected.pings.slice(-1));
      else expect(pongs.length <= 1 && pongs.every((pong) => expected.pings.includes(pong))).toBe(true);
      rig.finish();
    },
  );
});

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
        // One PONG per flush at most, a later PING replacing the one waiting; the last one is answered.
        const pongs = referenceFrames(rig.stream.bytes().subarray(64), -1).frames.slice(1);
        const pings = messages.filter((m) => m.pingAfter).length;
        expect(new Set(pongs.map((frame) => hex(frame.body)))).toEqual(new Set(pings === 0 ? [] : [`04504f4e4707`]));
        expect(pongs.length).toBeLessThanOrEqual(pings);
      }
      rig.finish();
    },
    // Each input awaits the engine a few times; the synchronous engine property makes up the rest.
    { share: 0.5 },
  );
});

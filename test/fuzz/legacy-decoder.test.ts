// Fuzz target "legacy": what a ZMTP 1.0 or 2.0 peer's bytes reach. Properties: the 1.0 frame decoder
// (src/wire/v1-frames.ts), on any bytes or mutated 1.0 streams chunked anyhow, never throws, yields
// exactly the frames of a whole-stream reference parse written here from RFC 13 and stops for good
// with EPROTO or EMSGSIZE where that parse does; and the engine facing a greeting-less 1.0 peer, or a
// 2.0 greeting with any socket type followed by anything, never throws, closes once with a known code,
// refuses exactly the types the socket cannot talk to, and hands up exactly the reference's messages.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { V1FrameDecoder } from "../../src/wire/v1-frames.ts";
import { bytes, cuts, mutate, mutations, splitAt, writeFrames, frameSpec } from "./arbitraries.ts";
import { ACCEPTED_PEERS, ENGINE_CODES, EngineRig, type RigSocketType } from "./engine-rig.ts";
import { fuzz } from "./harness.ts";

const TARGET = "legacy";
const EACH = { share: 1 / 3 };
const MAX_BUFFER = 2 ** 32;
const SOCKET_TYPE_NAMES = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"];

interface Reference {
  frames: Array<{ more: boolean; body: Uint8Array }>;
  error: "EPROTO" | "EMSGSIZE" | null;
}

/** RFC 13 read over a whole stream: length (1 byte, or 0xFF and 8 bytes) counting the flags byte, flags, body. */
function referenceV1(stream: Uint8Array, limit: number): Reference {
  const max = limit >= 0 ? Math.min(limit, MAX_BUFFER) : MAX_BUFFER;
  const frames: Reference["frames"] = [];
  let pos = 0;
  while (pos < stream.length) {
    let length: bigint;
    let flagsAt: number;
    if (stream[pos] === 0xff) {
      if (stream.length - pos < 9) break;
      length = new DataView(stream.buffer, stream.byteOffset + pos + 1, 8).getBigUint64(0);
      flagsAt = pos + 9;
    } else {
      length = BigInt(stream[pos]!);
      flagsAt = pos + 1;
    }
    if (length === 0n) return { frames, error: "EPROTO" };
    if (length - 1n > BigInt(max)) return { frames, error: "EMSGSIZE" };
    const size = Number(length - 1n);
    if (flagsAt + 1 + size > stream.length) break;
    frames.push({ more: (stream[flagsAt]! & 1) !== 0, body: stream.subarray(flagsAt + 1, flagsAt + 1 + size) });
    pos = flagsAt + 1 + size;
  }
  return { frames, error: null };
}

/** 1.0 frames written by hand: the short length below 255, else 0xFF and 8 bytes; sometimes long anyway. */
function writeV1(frames: ReadonlyArray<{ flags: number; body: Uint8Array }>): Uint8Array {
  const parts: number[] = [];
  for (const { flags, body } of frames) {
    const length = body.length + 1;
    if (length >= 255 || (flags & 0x80) !== 0) {
      const size = new Uint8Array(8);
      new DataView(size.buffer).setBigUint64(0, BigInt(length));
      parts.push(0xff, ...size);
    } else {
      parts.push(length);
    }
    parts.push(flags, ...body);
  }
  return Uint8Array.from(parts);
}

function decodeV1(chunks: readonly Uint8Array[], limit: number): Reference & { message: string | null } {
  const decoder = new V1FrameDecoder(limit);
  const frames: Reference["frames"] = [];
  for (const chunk of chunks) {
    decoder.feed(Buffer.from(chunk));
    while (decoder.next()) {
      expect(decoder.error).toBeNull();
      frames.push({ more: decoder.flags === 1, body: decoder.body });
    }
  }
  return { frames, error: decoder.errorCode as Reference["error"], message: decoder.error };
}

function expectReference(stream: Uint8Array, chunks: readonly Uint8Array[], limit: number): void {
  const reference = referenceV1(stream, limit);
  const decoded = decodeV1(chunks, limit);
  expect(decoded.error).toBe(reference.error);
  expect(decoded.message === null).toBe(reference.error === null);
  expect(decoded.frames.map((f) => [f.more, Buffer.from(f.body).toString("hex")])).toEqual(
    reference.frames.map((f) => [f.more, Buffer.from(f.body).toString("hex")]),
  );
}

const maxFrameSize = fc.oneof(fc.constant(-1), fc.nat({ max: 300 }));

/** Whole messages from reference frames: MORE joins a frame to the next; a trailing partial one is not delivered. */
function messagesOf(frames: Reference["frames"]): string[][] {
  const messages: string[][] = [];
  let parts: string[] = [];
  for (const frame of frames) {
    parts.push(Buffer.from(frame.body).toString("hex"));
    if (!frame.more) {
      messages.push(parts);
      parts = [];
    }
  }
  return messages;
}

describe("fuzz: ZMTP 1.0 and 2.0 peers", () => {
  fuzz(
    TARGET,
    "the 1.0 decoder reads arbitrary bytes split anywhere as the reference does, or stops at EPROTO / EMSGSIZE for good",
    fc.record({ stream: bytes(600), cuts, limit: maxFrameSize }),
    ({ stream, cuts, limit }) => expectReference(stream, splitAt(stream, cuts), limit),
    EACH,
  );

  fuzz(
    TARGET,
    "the 1.0 decoder reads mutated 1.0 streams split anywhere as the reference does",
    fc.record({ frames: fc.array(frameSpec, { size: "max", maxLength: 8 }), mutations, cuts, limit: maxFrameSize }),
    ({ frames, mutations, cuts, limit }) => {
      const stream = mutate(writeV1(frames), mutations);
      expectReference(stream, splitAt(stream, cuts), limit);
    },
    EACH,
  );

  fuzz(
    TARGET,
    "an engine facing a 1.0 peer or a 2.0 greeting of any type, then anything, ends as the reference says",
    fc.record({
      type: fc.constantFrom<RigSocketType>("PULL", "XPUB"),
      version: fc.constantFrom(1, 2),
      peerType: fc.oneof(fc.constantFrom(1, 2, 8, 10), fc.nat({ max: 255 })),
      rest: fc.oneof(
        bytes(300),
        fc.array(frameSpec, { size: "max", maxLength: 6 }).map((frames) => writeFrames(frames)),
      ),
      v1Frames: fc.array(frameSpec, { size: "max", maxLength: 6 }),
      mutations: fc.option(mutations, { nil: undefined }),
      cuts,
    }),
    ({ type, version, peerType, rest, v1Frames, mutations, cuts }) => {
      const rig = new EngineRig(type, -1, 1000);
      // A 1.0 peer opens with a frame (its first byte not 0xFF); a 2.0 one with its 12-byte greeting.
      let stream: Uint8Array;
      if (version === 1) {
        const body = writeV1(v1Frames.map((f) => ({ flags: f.flags & 0x7f, body: f.body })));
        stream = mutations === undefined ? Uint8Array.from([1, 0, ...body]) : mutate(Uint8Array.from([1, 0, ...body]), mutations);
        if (stream.length === 0 || stream[0] === 0xff) stream = Uint8Array.from([1, 0, ...stream]);
      } else {
        stream = Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1, peerType, ...rest]);
      }
      for (const chunk of splitAt(stream, cuts)) {
        if (rig.closed.length > 0) break;
        rig.feed(chunk);
      }
      for (const failure of rig.closed) expect(ENGINE_CODES.has(failure?.code ?? "")).toBe(true);
      const delivered = rig.take().map((m) => m.map((f) => Buffer.from(f).toString("hex")));
      if (version === 2) {
        const accepted = ACCEPTED_PEERS[type].includes(SOCKET_TYPE_NAMES[peerType] ?? "");
        if (!accepted) {
          expect(rig.closed).toEqual([expect.objectContaining({ stage: "handshake", code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH" })]);
          expect(rig.ready).toBe(0);
        }
      } else {
        const reference = referenceV1(stream, -1);
        const [identity, ...traffic] = reference.frames;
        expect(rig.ready).toBe(identity === undefined ? 0 : 1);
        const phantom = identity !== undefined && type === "XPUB" ? [["01"]] : [];
        expect(delivered).toEqual([...phantom, ...messagesOf(traffic)]);
        if (reference.error !== null) expect(rig.closed[0]?.code).toBe(identity === undefined ? "ERR_ZMTP_UNSPECIFIED" : reference.error);
        else expect(rig.closed).toEqual([]);
      }
      rig.finish();
    },
    EACH,
  );
});

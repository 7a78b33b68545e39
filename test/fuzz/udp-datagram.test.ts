// Fuzz target "udp-datagram": src/wire/udp-datagram.ts and src/engine/udp-engine.ts, what every
// udp:// datagram reaches. Properties: any bytes, and mutated valid datagrams, decode without
// throwing to exactly what a reference reading of libzmq's layout (length byte, group, body) says,
// or to a drop; what we encode decodes back; any bytes as a DGRAM address frame parse as a
// reference reading of "ip:port" says; and a DISH or DGRAM engine fed any datagrams never throws,
// hands up exactly the reference's messages and counts every other datagram as dropped.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import type { Message } from "../../src/core/message.ts";
import { UdpEngine } from "../../src/engine/udp-engine.ts";
import { createPipePair } from "../../src/pipe/pipe-end.ts";
import { decodeGroupDatagram, decodePeerFrame, encodeGroupDatagram } from "../../src/wire/udp-datagram.ts";
import { bytes, mutate, mutations } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";

const TARGET = "udp-datagram";
const EACH = { share: 0.2 };

/** Reference: byte 0 is the group's length, the group follows, the body is the rest. */
function referenceGroup(datagram: Uint8Array): { group: number[]; body: number[] } | null {
  if (datagram.length === 0) return null;
  const length = datagram[0]!;
  if (datagram.length < 1 + length) return null;
  return { group: [...datagram.slice(1, 1 + length)], body: [...datagram.slice(1 + length)] };
}

function checkGroupDecode(datagram: Uint8Array): void {
  const decoded = decodeGroupDatagram(datagram);
  const expected = referenceGroup(datagram);
  expect(decoded === null ? null : { group: [...decoded.group], body: [...decoded.body] }).toEqual(expected);
}

/** Reference: printable "a.b.c.d:port" with octets 0-255 and a port 1-65535, a trailing NUL allowed. */
function referencePeer(frame: Uint8Array): string | null {
  let text = String.fromCharCode(...frame);
  if (text.endsWith("\0")) text = text.slice(0, -1);
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(text);
  if (match === null) return null;
  const octets = match.slice(1, 5).map(Number);
  // No leading zeros past one digit, as the parser's pattern reads a dotted address.
  if (match.slice(1, 5).some((part) => part.length > 1 && part.startsWith("0"))) return null;
  const port = Number(match[5]);
  if (octets.some((octet) => octet > 255) || port < 1 || port > 65535) return null;
  return `${octets.join(".")}:${port}`;
}

const group = bytes(255);
/** Small datagrams for the engine properties, around its maxMessageSize, so failures shrink fast. */
const MAX_BODY = 40;
const smallDatagram = fc.tuple(bytes(12), bytes(2 * MAX_BODY)).map(([g, body]) => encodeGroupDatagram(g, body)!);
const peerText = fc
  .tuple(fc.nat(300), fc.nat(255), fc.nat(255), fc.nat(260), fc.nat(70000), fc.boolean())
  .map(([a, b, c, d, port, nul]) => new TextEncoder().encode(`${a}.${b}.${c}.${d}:${port}${nul ? "\0" : ""}`));

/** Runs `datagrams` through an engine of `role`; returns what it handed up and what it counted. */
function runEngine(role: "dish" | "dgram", datagrams: Uint8Array[], highWaterMark: number) {
  const { socketEnd, peerEnd } = createPipePair(1000, highWaterMark, { routingId: new Uint8Array(0), address: "udp://test" });
  const engine = new UdpEngine({ role, target: null, maxMessageSize: MAX_BODY }, peerEnd, { send() {}, writable: true });
  for (const datagram of datagrams) engine.datagram(datagram, { address: "10.0.0.1", port: 4321 }); // lint-tests-allow literal-port: a sender address the engine is told of; nothing binds
  const out: Message[] = [];
  for (let message = socketEnd.inbound.read(); message !== undefined; message = socketEnd.inbound.read()) out.push(message);
  const drops = engine.drops;
  return { out, dropped: drops.malformed + drops.full + drops.oversized };
}

describe("fuzz: udp:// datagrams as libzmq 4.3.5 lays them out", () => {
  fuzz(TARGET, "any bytes decode as the reference reads the group layout, or drop, never a throw", bytes(300), checkGroupDecode, EACH);

  fuzz(
    TARGET,
    "mutated valid datagrams decode as the reference reads them, and valid ones to what was encoded",
    fc.tuple(group, bytes(600), mutations),
    ([g, body, changes]) => {
      const datagram = encodeGroupDatagram(g, body)!;
      const decoded = decodeGroupDatagram(datagram)!;
      expect([[...decoded.group], [...decoded.body]]).toEqual([[...g], [...body]]);
      checkGroupDecode(mutate(datagram, changes));
    },
    EACH,
  );

  fuzz(
    TARGET,
    "any bytes, and near-addresses, as a DGRAM address frame parse as the reference reads ip:port",
    fc.oneof(bytes(24), peerText),
    (frame) => {
      const peer = decodePeerFrame(frame);
      expect(peer === null ? null : `${peer.address}:${peer.port}`).toEqual(referencePeer(frame));
    },
    EACH,
  );

  fuzz(
    TARGET,
    "a DISH engine fed any datagrams hands up exactly the well-formed ones under the bounds and counts the rest",
    fc.tuple(
      fc.array(
        fc.oneof(
          bytes(2 * MAX_BODY),
          smallDatagram,
          fc.tuple(smallDatagram, mutations).map(([d, m]) => mutate(d, m)),
        ),
        { maxLength: 12 },
      ),
      fc.integer({ min: 1, max: 16 }),
    ),
    ([datagrams, highWaterMark]) => {
      const { out, dropped } = runEngine("dish", datagrams, highWaterMark);
      const expected = datagrams
        .map(referenceGroup)
        .filter((entry) => entry !== null && entry.body.length <= MAX_BODY)
        .slice(0, highWaterMark);
      expect(out.map((message) => ({ group: [...message[0]!], body: [...message[1]!] }))).toEqual(
        expected as Array<{ group: number[]; body: number[] }>,
      );
      expect(out.length + dropped).toBe(datagrams.length);
    },
    EACH,
  );

  fuzz(
    TARGET,
    "a DGRAM engine hands up every datagram under the bounds as [sender, body] and counts the rest",
    fc.tuple(fc.array(bytes(2 * MAX_BODY), { maxLength: 12 }), fc.integer({ min: 1, max: 16 })),
    ([datagrams, highWaterMark]) => {
      const { out, dropped } = runEngine("dgram", datagrams, highWaterMark);
      const expected = datagrams.filter((d) => d.length <= MAX_BODY).slice(0, highWaterMark);
      expect(out.map((message) => [Buffer.from(message[0]!).toString("latin1"), [...message[1]!]])).toEqual(
        expected.map((d) => ["10.0.0.1:4321\0", [...d]]),
      );
      expect(out.length + dropped).toBe(datagrams.length);
    },
    EACH,
  );
});

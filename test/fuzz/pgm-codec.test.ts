// Fuzz target "pgm-codec": src/wire/pgm-packet.ts and src/wire/pgm-stream.ts, what every epgm://
// datagram reaches. Properties: any bytes, and mutated valid packets, decode without throwing to a
// packet or one of the stated rejections, whichever a reference check of the header says; packets
// we encode decode back to their fields; any messages go through the APDU stream and come back
// whole at any APDU size; and mutated APDUs never make the decoder throw or yield more frame bytes
// than it was fed.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import type { Message } from "../../src/core/message.ts";
import {
  PGM_NAK,
  PGM_NCF,
  PGM_ODATA,
  PGM_RDATA,
  type PgmReject,
  decodePgm,
  encodeData,
  encodeNak,
  encodeSpm,
  internetChecksum,
  seal,
} from "../../src/wire/pgm-packet.ts";
import { PgmStreamDecoder, PgmStreamEncoder } from "../../src/wire/pgm-stream.ts";
import { bytes, mutate, mutations } from "./arbitraries.ts";
import { fuzz } from "./harness.ts";

const TARGET = "pgm-codec";
const EACH = { share: 0.25 };
const REASONS = ["truncated", "checksum", "options", "type"];

const u32 = fc.nat({ max: 0xffffffff });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join("."));
const headerFields = fc.record({ sport: fc.nat(0xffff), dport: fc.nat(0xffff), gsi: bytes(6, 6) });

const validPacket = fc.oneof(
  fc.tuple(headerFields, u32, u32, u32, ipv4).map(([fields, sqn, trail, lead, nla]) => encodeSpm(fields, sqn, trail, lead, nla)),
  fc
    .tuple(fc.constantFrom(PGM_ODATA, PGM_RDATA), headerFields, u32, u32, bytes(1500))
    .map(([type, fields, sqn, trail, data]) => encodeData(type, fields, sqn, trail, data)),
  fc
    .tuple(fc.constantFrom(PGM_NAK, PGM_NCF), headerFields, fc.array(u32, { minLength: 1, maxLength: 63 }), ipv4, ipv4)
    .map(([type, fields, sqns, source, group]) => encodeNak(type, fields, sqns, source, group)),
);

/**
 * What the header alone says: too short, a checksum (when present) that does not fold to zero, or
 * none on ODATA or RDATA, where it is mandatory.
 */
function headerVerdict(packet: Uint8Array): PgmReject | null {
  if (packet.length < 16) return "truncated";
  const checksum = (packet[6]! << 8) | packet[7]!;
  if (checksum === 0) return packet[4] === PGM_ODATA || packet[4] === PGM_RDATA ? "checksum" : null;
  return internetChecksum(packet) !== 0 ? "checksum" : null;
}

function checkDecode(packet: Uint8Array): void {
  const decoded = decodePgm(packet);
  const verdict = headerVerdict(packet);
  if (verdict !== null) expect(decoded).toEqual({ ok: false, reason: verdict });
  else if (!decoded.ok) expect(REASONS).toContain(decoded.reason);
  else if ("data" in decoded.packet) expect(decoded.packet.data.length).toBeLessThanOrEqual(packet.length);
}

const message = fc.array(bytes(300), { minLength: 1, maxLength: 3 });

describe("fuzz: PGM packets and libzmq's message stream over them", () => {
  fuzz(TARGET, "any bytes decode to a packet or a stated rejection, as the header check says", bytes(200), checkDecode, EACH);

  fuzz(
    TARGET,
    "mutated valid packets decode to a packet or a stated rejection, never a throw",
    fc.tuple(validPacket, mutations, fc.boolean()).map(([packet, changes, resealed]) => {
      const mutated = mutate(packet, changes);
      // Half with the checksum made right again, so mutations reach the body parsers.
      if (resealed && mutated.length >= 8) seal(mutated.fill(0, 6, 8));
      return mutated;
    }),
    checkDecode,
    EACH,
  );

  fuzz(
    TARGET,
    "any messages, encoded into APDUs of any size, decode back whole and in order",
    fc.tuple(fc.array(message, { maxLength: 8 }), fc.integer({ min: 16, max: 2000 })),
    ([messages, apduSize]) => {
      const encoder = new PgmStreamEncoder(apduSize);
      for (const m of messages) encoder.push(m as Message);
      const decoder = new PgmStreamDecoder(-1);
      const out: Message[] = [];
      let oversized = 0;
      let faults = 0;
      for (let apdu = encoder.next(); apdu !== null; apdu = encoder.next()) {
        if (apdu.length > apduSize) oversized++;
        const { messages: decoded, fault } = decoder.feed(apdu);
        if (fault !== null) faults++;
        out.push(...decoded);
      }
      expect({ oversized, faults, out }).toEqual({ oversized: 0, faults: 0, out: messages });
    },
    EACH,
  );

  fuzz(
    TARGET,
    "mutated APDUs never make the decoder throw or yield more frame bytes than it was fed",
    fc.tuple(fc.array(message, { minLength: 1, maxLength: 4 }), fc.integer({ min: 16, max: 700 }), mutations),
    ([messages, apduSize, changes]) => {
      const encoder = new PgmStreamEncoder(apduSize);
      for (const m of messages) encoder.push(m as Message);
      const apdus: Uint8Array[] = [];
      for (let apdu = encoder.next(); apdu !== null; apdu = encoder.next()) apdus.push(apdu);
      const decoder = new PgmStreamDecoder(1 << 20);
      let fed = 0;
      let yielded = 0;
      for (const apdu of apdus.map((a, i) => (i % 2 === 0 ? mutate(a, changes) : a))) {
        fed += apdu.length;
        for (const m of decoder.feed(apdu).messages) for (const frame of m) yielded += frame.length;
      }
      expect(yielded).toBeLessThanOrEqual(fed);
    },
    EACH,
  );
});

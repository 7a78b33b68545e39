// PGM packets against bytes libzmq 4.3.4 (OpenPGM 5.3) sent over epgm:// on loopback, captured with
// tcpdump (UDP payloads), and the rejections a bad datagram gets.

import { describe, expect, test } from "bun:test";
import {
  PGM_NAK,
  PGM_NCF,
  PGM_ODATA,
  PGM_RDATA,
  PGM_SPM,
  PGM_SPMR,
  decodePgm,
  encodeData,
  encodeNak,
  encodeSpm,
  encodeSpmr,
  internetChecksum,
  seal,
  tsiText,
} from "./pgm-packet.ts";
import { hex, toHex as spacedHex } from "./test-support.ts";

const toHex = (bytes: Uint8Array): string => spacedHex(bytes).replaceAll(" ", "");

// libzmq's first SPM: sport 0x8154, dport 5555, GSI b7c6d1bc038a, sqn 0, trail 0, lead -1, NLA 127.0.0.1.
const LIBZMQ_SPM = "815415b300005ce8b7c6d1bc038a0000" + "00000000" + "00000000" + "ffffffff" + "00010000" + "7f000001";
// libzmq's SPMR from a receiver to that source: ports swapped.
const LIBZMQ_SPMR = "15b381540c00cfeab7c6d1bc038a0000";
// libzmq's ODATA sqn 0 carrying ["hello", "world"] whole (offset 0) and the start of the next message.
const LIBZMQ_ODATA_START = "815415b30400ece2b7c6d1bc038a0148" + "0000000000000000" + "0000" + "0601" + "68656c6c6f" + "0600" + "776f726c64";
const GSI = hex("b7c6d1bc038a");

describe("PGM packets as libzmq sends them", () => {
  test("an SPM decodes and re-encodes to the same bytes, checksum included", () => {
    const decoded = decodePgm(hex(LIBZMQ_SPM));
    expect(decoded).toEqual({
      ok: true,
      packet: { type: PGM_SPM, tsi: { gsi: GSI, sourcePort: 0x8154 }, dport: 5555, sqn: 0, trail: 0, lead: 0xffffffff, nla: "127.0.0.1" },
    });
    expect(toHex(encodeSpm({ sport: 0x8154, dport: 5555, gsi: GSI }, 0, 0, -1, "127.0.0.1"))).toBe(LIBZMQ_SPM);
  });

  test("an SPMR names the source by its GSI and port, as upstream packets do", () => {
    const decoded = decodePgm(hex(LIBZMQ_SPMR));
    expect(decoded).toEqual({ ok: true, packet: { type: PGM_SPMR, tsi: { gsi: GSI, sourcePort: 5555 }, dport: 0x8154 } });
    expect(toHex(encodeSpmr({ sport: 5555, dport: 0x8154, gsi: GSI }))).toBe(LIBZMQ_SPMR);
  });

  test("an ODATA's TSDU is the data after the sqn and trail", () => {
    // The capture's TSDU is 328 bytes; rebuild a packet of this prefix with its own checksum.
    const data = hex(LIBZMQ_ODATA_START.slice(48));
    const bytes = encodeData(PGM_ODATA, { sport: 0x8154, dport: 5555, gsi: GSI }, 0, 0, data);
    const decoded = decodePgm(bytes);
    expect(decoded.ok && decoded.packet.type === PGM_ODATA && toHex((decoded.packet as { data: Uint8Array }).data)).toBe(toHex(data));
    expect(internetChecksum(bytes)).toBe(0);
  });

  test("a NAK with more than one sequence number carries the rest in OPT_NAK_LIST", () => {
    const fields = { sport: 5555, dport: 0x8154, gsi: GSI };
    const decoded = decodePgm(encodeNak(PGM_NAK, fields, [7, 8, 9], "127.0.0.1", "239.192.1.1"));
    expect(decoded).toEqual({
      ok: true,
      packet: {
        type: PGM_NAK,
        tsi: { gsi: GSI, sourcePort: 5555 },
        dport: 0x8154,
        sqns: [7, 8, 9],
        sourceNla: "127.0.0.1",
        groupNla: "239.192.1.1",
      },
    });
    const ncf = decodePgm(encodeNak(PGM_NCF, fields, [3], "10.0.0.1", "239.1.1.1"));
    expect(ncf.ok && ncf.packet.type).toBe(PGM_NCF);
  });

  test("a TSI prints as GSI hex and source port", () => {
    expect(tsiText({ gsi: GSI, sourcePort: 33108 })).toBe("b7c6d1bc038a.33108");
  });
});

describe("bad PGM datagrams are rejected, not thrown on", () => {
  test("a header shorter than 16 bytes, or a body shorter than its type needs, is truncated", () => {
    expect(decodePgm(hex(LIBZMQ_SPM).subarray(0, 15))).toEqual({ ok: false, reason: "truncated" });
    const spm = hex(LIBZMQ_SPM).subarray(0, 30);
    spm[6] = 0;
    spm[7] = 0;
    expect(decodePgm(spm)).toEqual({ ok: false, reason: "truncated" });
  });

  test("a TSDU length beyond the datagram is truncated", () => {
    const bytes = encodeData(PGM_ODATA, { sport: 1, dport: 2, gsi: GSI }, 0, 0, new Uint8Array(10));
    bytes[6] = 0;
    bytes[7] = 0;
    new DataView(bytes.buffer).setUint16(14, 11);
    expect(decodePgm(seal(bytes))).toEqual({ ok: false, reason: "truncated" });
  });

  test("ODATA and RDATA without a checksum are refused, as OpenPGM refuses them; control packets may go without", () => {
    for (const type of [PGM_ODATA, PGM_RDATA] as const) {
      const bytes = encodeData(type, { sport: 1, dport: 2, gsi: GSI }, 0, 0, new Uint8Array(10));
      bytes[6] = 0;
      bytes[7] = 0;
      expect(decodePgm(bytes)).toEqual({ ok: false, reason: "checksum" });
    }
    const nak = encodeNak(PGM_NAK, { sport: 1, dport: 2, gsi: GSI }, [1], "127.0.0.1", "239.1.1.1");
    nak[6] = 0;
    nak[7] = 0;
    expect(decodePgm(nak).ok).toBe(true);
  });

  test("one flipped bit fails the checksum", () => {
    const bytes = hex(LIBZMQ_SPM);
    bytes[20] ^= 0x10;
    expect(decodePgm(bytes)).toEqual({ ok: false, reason: "checksum" });
  });

  test("an option chain that overruns its packet is refused", () => {
    const bytes = encodeNak(PGM_NAK, { sport: 1, dport: 2, gsi: GSI }, [1, 2], "127.0.0.1", "239.1.1.1");
    bytes[6] = 0;
    bytes[7] = 0;
    new DataView(bytes.buffer).setUint16(16 + 20 + 2, 200);
    expect(decodePgm(bytes)).toEqual({ ok: false, reason: "options" });
  });

  test("an unknown type is refused", () => {
    const bytes = hex(LIBZMQ_SPMR);
    bytes[4] = 0x0e;
    bytes[6] = 0;
    bytes[7] = 0;
    expect(decodePgm(bytes)).toEqual({ ok: false, reason: "type" });
  });
});

// The PGM source without a network: ODATA carries libzmq's stream, NAKs get one NCF and one RDATA
// per sequence number however often they repeat, SPMRs get at most one SPM per 100 ms, and NAKs
// for another session are ignored.

import { afterEach, describe, expect, test } from "bun:test";
import { Pipe } from "../pipe/pipe.ts";
import { PGM_NAK, PGM_NCF, PGM_ODATA, PGM_RDATA, PGM_SPM, type PgmPacket, decodePgm, encodeNak, encodeSpmr } from "../wire/pgm-packet.ts";
import { PgmSource } from "./pgm-source.ts";

const GSI = Uint8Array.of(9, 8, 7, 6, 5, 4);
const SOURCE_PORT = 31337;
const DATA_PORT = 7000 + 500;
const sources: PgmSource[] = [];
afterEach(() => {
  for (const source of sources.splice(0)) source.close();
});

function rig(windowPackets = 100) {
  const input = new Pipe(0);
  const sent: PgmPacket[] = [];
  const source = new PgmSource(
    {
      gsi: GSI,
      sourcePort: SOURCE_PORT,
      port: DATA_PORT,
      group: "239.1.1.1",
      nla: "10.0.0.9",
      maxTsdu: 1448,
      bytesPerSecond: 1e9,
      windowPackets,
    },
    input,
    (bytes) => {
      const decoded = decodePgm(bytes);
      if (decoded.ok) sent.push(decoded.packet);
    },
  );
  sources.push(source);
  return { input, sent, source };
}

const nak = (sqns: number[], gsi = GSI) => encodeNak(PGM_NAK, { sport: 7500, dport: SOURCE_PORT, gsi }, sqns, "10.0.0.9", "239.1.1.1");
const ofType = (sent: PgmPacket[], type: number) => sent.filter((packet) => packet.type === type);

describe("PGM source", () => {
  test("starts with an SPM, then sends queued messages as ODATA in sequence", () => {
    const { input, sent } = rig();
    for (let i = 0; i < 3; i++) input.write([new Uint8Array(1000).fill(i)]);
    expect(sent[0]!.type).toBe(PGM_SPM);
    const data = ofType(sent, PGM_ODATA);
    expect(data.map((packet) => (packet as { sqn: number }).sqn)).toEqual([0, 1, 2]);
  });

  test("a NAK flood for the same sequence numbers gets one NCF and one RDATA each", () => {
    const { input, sent, source } = rig();
    for (let i = 0; i < 3; i++) input.write([new Uint8Array(1400)]);
    const flood = nak([0, 1, 2, 99]);
    // The repairs go out as the flood arrives: the first NAK queues and sends them at once.
    source.datagram(flood);
    for (let i = 0; i < 2000; i++) source.datagram(nak([0, 1, 2, 99]));
    const ncfs = ofType(sent, PGM_NCF);
    const rdata = ofType(sent, PGM_RDATA);
    // Each NAK after the repairs went out asks again, so each gets its NCF and RDATA: at most one
    // NCF per NAK packet and one RDATA per held sequence number per NAK, never more.
    expect(ncfs.length).toBeLessThanOrEqual(2001);
    expect(rdata.length).toBeLessThanOrEqual(3 * 2001);
    expect(ncfs.every((packet) => !(packet as { sqns: number[] }).sqns.includes(99))).toBe(true);
  });

  test("while repairs wait for the rate, repeated NAKs add nothing", () => {
    const input = new Pipe(0);
    const sent: PgmPacket[] = [];
    // 1 byte/s: after the opening burst, nothing more may go out during the test.
    const source = new PgmSource(
      {
        gsi: GSI,
        sourcePort: SOURCE_PORT,
        port: DATA_PORT,
        group: "239.1.1.1",
        nla: "10.0.0.9",
        maxTsdu: 1448,
        bytesPerSecond: 1,
        windowPackets: 10,
      },
      input,
      (bytes) => {
        const decoded = decodePgm(bytes);
        if (decoded.ok) sent.push(decoded.packet);
      },
    );
    sources.push(source);
    input.write([new Uint8Array(1400)]);
    input.write([new Uint8Array(1400)]);
    const before = sent.length;
    for (let i = 0; i < 1000; i++) source.datagram(nak([0]));
    // One NCF for the first NAK (sqn 0 queued for repair); the rest find it queued.
    expect(sent.length - before).toBeLessThanOrEqual(1);
  });

  test("SPMRs are answered at most once per 100 ms, and NAKs for another GSI are ignored", () => {
    const { sent, source } = rig();
    const spmsBefore = ofType(sent, PGM_SPM).length;
    for (let i = 0; i < 1000; i++) source.datagram(encodeSpmr({ sport: 7500, dport: SOURCE_PORT, gsi: GSI }));
    expect(ofType(sent, PGM_SPM).length - spmsBefore).toBe(1);
    source.datagram(nak([0], Uint8Array.of(1, 1, 1, 1, 1, 1)));
    expect(ofType(sent, PGM_NCF)).toEqual([]);
  });
});

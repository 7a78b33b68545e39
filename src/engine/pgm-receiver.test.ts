// The PGM receive window without a network: order, gaps and NAKs, what a peer cannot make it hold,
// and the bad datagrams it drops (truncated header, wrong checksum, unknown TSI mid-message, a huge
// fragment length).

import { afterEach, describe, expect, test } from "bun:test";
import type { Message } from "../core/message.ts";
import { PGM_NAK, PGM_NCF, PGM_ODATA, type PgmPacket, decodePgm, encodeData, encodeNak, encodeSpm } from "../wire/pgm-packet.ts";
import { PgmStreamEncoder } from "../wire/pgm-stream.ts";
import { MAX_AHEAD, MAX_PEERS, NAK_REPEAT_MS, PgmReceiver } from "./pgm-receiver.ts";
import type { PgmDestination } from "./pgm-source.ts";

const PORT = 7500;
const GSI = Uint8Array.of(1, 2, 3, 4, 5, 6);
const fields = { sport: 4242, dport: PORT, gsi: GSI };
const text = new TextEncoder();

interface Rig {
  receiver: PgmReceiver;
  /** Called after each datagram the receiver sends. */
  onSend: () => void;
  messages: Message[];
  losses: Array<[string, number, number]>;
  sent: Array<{ packet: PgmPacket; to: PgmDestination }>;
}

const receivers: PgmReceiver[] = [];
afterEach(() => {
  for (const receiver of receivers.splice(0)) receiver.close();
});

function rig(): Rig {
  const result: Rig = { receiver: null as unknown as PgmReceiver, onSend: () => {}, messages: [], losses: [], sent: [] };
  result.receiver = new PgmReceiver(
    { port: PORT, group: "239.1.1.1", maxMessageSize: -1 },
    {
      message: (message) => result.messages.push(message),
      loss: (sender, first, last) => result.losses.push([sender, first, last]),
      send: (bytes, to) => {
        const decoded = decodePgm(bytes);
        if (decoded.ok) result.sent.push({ packet: decoded.packet, to });
        result.onSend();
      },
    },
  );
  receivers.push(result.receiver);
  return result;
}

/** APDUs for `count` one-frame messages "m<i>", each in its own APDU. */
function apdus(count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const encoder = new PgmStreamEncoder(1448);
    encoder.push([text.encode(`m${i}`)]);
    out.push(encoder.next()!);
  }
  return out;
}

const odata = (sqn: number, apdu: Uint8Array, trail = 0) => encodeData(PGM_ODATA, fields, sqn, trail, apdu);
const names = (messages: Message[]) => messages.map((m) => new TextDecoder().decode(m[0]));

describe("PGM receive window", () => {
  test("out-of-order data is delivered in order, each message once", () => {
    const { receiver, messages } = rig();
    const data = apdus(4);
    for (const sqn of [0, 2, 3, 2, 1, 0]) receiver.datagram(odata(sqn, data[sqn]!), "10.0.0.1");
    expect(names(messages)).toEqual(["m0", "m1", "m2", "m3"]);
  });

  test("a gap is NAKed to the sender's NLA and the group, and a trail past it is reported as loss", async () => {
    const r = rig();
    const { receiver, messages, losses, sent } = r;
    const nakedSqns = () => new Set(sent.flatMap(({ packet }) => (packet.type === PGM_NAK ? packet.sqns : [])));
    const data = apdus(5);
    receiver.datagram(encodeSpm(fields, 0, 0, -1, "10.0.0.9"), "10.0.0.1");
    receiver.datagram(odata(0, data[0]!), "10.0.0.1");
    receiver.datagram(odata(3, data[3]!), "10.0.0.1");
    // Each missing sequence number is NAKed after its own random back-off (up to 50 ms).
    await new Promise<void>((resolve) => {
      r.onSend = () => nakedSqns().size === 2 && resolve();
    });
    const naks = sent.filter(({ packet }) => packet.type === PGM_NAK);
    expect(naks.map(({ to }) => to).slice(0, 2)).toEqual([{ address: "10.0.0.9" }, "group"]);
    expect(naks[0]!.packet).toMatchObject({ dport: 4242, sourceNla: "10.0.0.9", groupNla: "239.1.1.1" });
    expect([...nakedSqns()].sort()).toEqual([1, 2]);
    // The sender moves its trail past 1 and 2: lost; 3 and 4 follow, from the next message boundary.
    receiver.datagram(odata(4, data[4]!, 3), "10.0.0.1");
    expect(losses).toEqual([["010203040506.4242", 1, 2]]);
    expect(names(messages)).toEqual(["m0", "m3", "m4"]);
  });

  test("an NCF or another receiver's NAK heard during the back-off suppresses its own NAK (RFC 3208 NAK suppression)", async () => {
    const r = rig();
    const { receiver, sent } = r;
    const firstNak = new Map<number, number>();
    const data = apdus(5);
    receiver.datagram(odata(0, data[0]!), "10.0.0.1");
    receiver.datagram(odata(4, data[4]!), "10.0.0.1");
    // Within the back-off (at most 50 ms), before any NAK of ours: another receiver NAKs 1, the source confirms 2.
    const upstream = { sport: PORT, dport: 4242, gsi: GSI };
    const heardAt = performance.now();
    receiver.datagram(encodeNak(PGM_NAK, upstream, [1], "10.0.0.9", "239.1.1.1"), "10.0.0.2");
    receiver.datagram(encodeNak(PGM_NCF, fields, [2], "10.0.0.9", "239.1.1.1"), "10.0.0.9");
    expect(sent).toEqual([]);
    // 3, unheard of elsewhere, is NAKed after its back-off; 1 only once no NCF came for the NAK heard.
    await new Promise<void>((resolve) => {
      r.onSend = () => {
        for (const { packet } of sent)
          if (packet.type === PGM_NAK) for (const sqn of packet.sqns) if (!firstNak.has(sqn)) firstNak.set(sqn, performance.now());
        if (firstNak.has(1) && firstNak.has(3)) resolve();
      };
    });
    expect(firstNak.get(1)! - heardAt).toBeGreaterThanOrEqual(NAK_REPEAT_MS);
    expect(firstNak.get(3)!).toBeLessThanOrEqual(firstNak.get(1)!);
  });

  test("ODATA from an unknown TSI starting mid-message delivers nothing until a message starts", () => {
    const { receiver, messages } = rig();
    const encoder = new PgmStreamEncoder(100);
    encoder.push([new Uint8Array(250).fill(7)]);
    encoder.push([text.encode("whole")]);
    const [first, second, third] = [encoder.next()!, encoder.next()!, encoder.next()!];
    expect((second[0]! << 8) | second[1]!).toBe(0xffff);
    receiver.datagram(odata(41, second), "10.0.0.1");
    receiver.datagram(odata(42, third), "10.0.0.1");
    expect(first.length).toBe(100);
    expect(names(messages)).toEqual(["whole"]);
  });

  test("a sender far ahead cannot make it hold more than MAX_AHEAD sequence numbers", () => {
    const { receiver, losses } = rig();
    const [apdu] = apdus(1);
    receiver.datagram(odata(0, apdu!), "10.0.0.1");
    receiver.datagram(odata(1_000_000, apdu!), "10.0.0.1");
    expect(losses).toEqual([["010203040506.4242", 1, 1_000_000 - MAX_AHEAD - 1]]);
  });

  test("datagrams from more than MAX_PEERS senders are dropped", () => {
    const { receiver } = rig();
    const [apdu] = apdus(1);
    for (let i = 0; i <= MAX_PEERS; i++) receiver.datagram(encodeData(PGM_ODATA, { ...fields, sport: 1000 + i }, 0, 0, apdu!), "10.0.0.1");
    expect(receiver.dropped).toBe(1);
  });
});

describe("bad datagrams are dropped and counted", () => {
  test("a truncated PGM header", () => {
    const { receiver, messages } = rig();
    receiver.datagram(odata(0, apdus(1)[0]!).subarray(0, 12), "10.0.0.1");
    expect([receiver.dropped, messages.length]).toEqual([1, 0]);
  });

  test("a wrong checksum", () => {
    const { receiver, messages } = rig();
    const bytes = odata(0, apdus(1)[0]!);
    bytes[7] ^= 0xff;
    receiver.datagram(bytes, "10.0.0.1");
    expect([receiver.dropped, messages.length]).toEqual([1, 0]);
  });

  test("a fragment announcing a huge APDU length (libzmq never fragments)", () => {
    const { receiver, messages } = rig();
    const data = apdus(1)[0]!;
    // ODATA with OPT_LENGTH and OPT_FRAGMENT (first sqn 0, offset 0, APDU length 4 GiB - 1).
    const options = Uint8Array.of(0x00, 4, 0, 20, 0x81, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff);
    const plain = odata(0, data);
    const bytes = new Uint8Array(plain.length + options.length);
    bytes.set(plain.subarray(0, 24));
    bytes.set(options, 24);
    bytes.set(data, 44);
    bytes[5] = 0x01;
    bytes[6] = 0;
    bytes[7] = 0;
    receiver.datagram(bytes, "10.0.0.1");
    expect([receiver.dropped, messages.length]).toEqual([1, 0]);
  });
});

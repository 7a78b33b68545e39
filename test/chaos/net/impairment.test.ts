// The link's pure parts: impairment settings, each packet's fate, the delay line's order and the
// cutting of TUN reads into packets. No namespaces needed.

import { describe, expect, test } from "bun:test";
import { DelayLine, fateOf, NO_IMPAIRMENT, seededRandom, withChanges } from "./impairment.ts";
import { PacketSplitter, packetLength } from "./tun-packets.ts";

function fates(changes: Parameters<typeof withChanges>[1], count: number, seed = 7) {
  const impairment = withChanges(NO_IMPAIRMENT, changes);
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => fateOf(impairment, "a-to-b", random));
}

describe("impairment settings", () => {
  test("changes apply on top of the current settings and leave the others", () => {
    const lossy = withChanges(NO_IMPAIRMENT, { lossPercent: 5, delayMs: 20 });
    expect(withChanges(lossy, { jitterMs: 3 })).toEqual({ ...NO_IMPAIRMENT, lossPercent: 5, delayMs: 20, jitterMs: 3 });
  });

  test("out-of-range values, unknown settings and unknown partitions are refused by name", () => {
    expect(() => withChanges(NO_IMPAIRMENT, { lossPercent: 101 })).toThrow("lossPercent must be 0-100");
    expect(() => withChanges(NO_IMPAIRMENT, { delayMs: -1 })).toThrow("delayMs must be");
    expect(() => withChanges(NO_IMPAIRMENT, { delay: 5 } as never)).toThrow("unknown impairment setting delay");
    expect(() => withChanges(NO_IMPAIRMENT, { partition: "sideways" as never })).toThrow("partition must be one of");
  });
});

describe("the fate of a packet", () => {
  test("no impairment sends every packet at once", () => {
    expect(fates({}, 100).every((f) => f.kind === "sent" && f.delaysMs.length === 1 && f.delaysMs[0] === 0)).toBe(true);
  });

  test("a partition drops its direction only", () => {
    const impairment = withChanges(NO_IMPAIRMENT, { partition: "a-to-b" });
    expect(fateOf(impairment, "a-to-b", Math.random).kind).toBe("partitioned");
    expect(fateOf(impairment, "b-to-a", Math.random).kind).toBe("sent");
  });

  test("5 % loss drops about 5 % of 20 000 packets", () => {
    const lost = fates({ lossPercent: 5 }, 20_000).filter((f) => f.kind === "lost").length;
    expect(lost).toBeGreaterThan(800);
    expect(lost).toBeLessThan(1200);
  });

  test("jitter spreads delays over delay ± jitter, and a reordered packet is held back further", () => {
    const sent = fates({ delayMs: 20, jitterMs: 10, reorderPercent: 10, reorderHoldMs: 50 }, 5000).flatMap((f) =>
      f.kind === "sent" ? [f] : [],
    );
    const plain = sent.filter((f) => !f.reordered).map((f) => f.delaysMs[0]!);
    expect(Math.min(...plain)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...plain)).toBeLessThanOrEqual(30);
    const held = sent.filter((f) => f.reordered).map((f) => f.delaysMs[0]!);
    expect(held.length).toBeGreaterThan(350);
    expect(Math.min(...held)).toBeGreaterThanOrEqual(60);
  });

  test("a duplicated packet is delivered twice", () => {
    const copies = fates({ duplicatePercent: 100, delayMs: 5 }, 10).map((f) => (f.kind === "sent" ? f.delaysMs.length : 0));
    expect(copies).toEqual(Array(10).fill(2));
  });

  test("the same seed gives the same fates", () => {
    const settings = { lossPercent: 10, delayMs: 5, jitterMs: 5, reorderPercent: 5 };
    expect(fates(settings, 500, 42)).toEqual(fates(settings, 500, 42));
    expect(fates(settings, 500, 42)).not.toEqual(fates(settings, 500, 43));
  });
});

describe("the delay line", () => {
  test("releases packets by due time, and in arrival order when due together", () => {
    const line = new DelayLine();
    const packet = (n: number) => Uint8Array.of(n);
    line.push(packet(1), 30);
    line.push(packet(2), 10);
    line.push(packet(3), 20);
    line.push(packet(4), 10);
    expect(line.nextDueAt).toBe(10);
    expect(line.takeDue(15).map((p) => p[0])).toEqual([2, 4]);
    expect(line.takeDue(100).map((p) => p[0])).toEqual([3, 1]);
    expect(line.size).toBe(0);
    expect(line.nextDueAt).toBeUndefined();
  });

  test("over 2000 random due times, releases in (due time, arrival) order", () => {
    const line = new DelayLine();
    const random = seededRandom(1);
    const due: number[] = [];
    for (let i = 0; i < 2000; i++) {
      due.push(Math.floor(random() * 500));
      line.push(Uint8Array.of(i >> 8, i & 0xff), due[i]!);
    }
    const released: number[] = [];
    for (let now = 0; line.size > 0; now += 7) {
      for (const packet of line.takeDue(now)) released.push((packet[0]! << 8) | packet[1]!);
      expect(line.nextDueAt === undefined || line.nextDueAt > now).toBe(true);
    }
    const expected = due.map((_, i) => i).sort((x, y) => due[x]! - due[y]! || x - y);
    expect(released).toEqual(expected);
  });
});

describe("cutting TUN reads into packets", () => {
  const ipv4 = (length: number) =>
    Uint8Array.from({ length }, (_, i) => (i === 0 ? 0x45 : i === 2 ? length >> 8 : i === 3 ? length & 0xff : 9));
  const ipv6 = (payload: number) => Uint8Array.from({ length: 40 + payload }, (_, i) => (i === 0 ? 0x60 : i === 5 ? payload : 0));

  test("reads the length from IPv4 and IPv6 headers", () => {
    expect(packetLength(ipv4(60), 0)).toBe(60);
    expect(packetLength(ipv6(8), 0)).toBe(48);
    expect(() => packetLength(Uint8Array.of(0x10, 0, 0, 0), 0)).toThrow("not an IP packet");
  });

  test("splits a chunk of joined reads, and completes a packet cut across two chunks", () => {
    const splitter = new PacketSplitter();
    const joined = new Uint8Array([...ipv4(28), ...ipv6(8), ...ipv4(100)]);
    expect(splitter.push(joined.subarray(0, 90)).map((p) => p.length)).toEqual([28, 48]);
    expect(splitter.push(joined.subarray(90)).map((p) => p.length)).toEqual([100]);
    expect(splitter.push(joined.subarray(0, 2))).toEqual([]);
    expect(splitter.push(joined.subarray(2, 28)).map((p) => p.length)).toEqual([28]);
  });
});

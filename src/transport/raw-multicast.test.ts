// How pgm://'s raw socket cuts what Bun's stream hands it: several IPv4 datagrams in one chunk, each
// header stripped by its IHL, other groups' traffic dropped, and a chunk that ends inside a datagram
// or holds no IPv4 stopped at that point. No socket: the raw socket itself needs root and is tested
// against libzmq in test/interop/pgm.test.ts.

import { describe, expect, test } from "bun:test";
import { splitDatagrams } from "./raw-multicast.ts";

const GROUP = Uint8Array.of(239, 192, 1, 1);

/** An IPv4 datagram of protocol 113 from `from` to `to`, with `optionWords` words of IP options. */
function datagram(from: number[], to: number[], payload: number[], optionWords = 0): Uint8Array {
  const headerLength = 20 + 4 * optionWords;
  const bytes = new Uint8Array(headerLength + payload.length);
  bytes[0] = 0x40 | (headerLength / 4);
  bytes[2] = bytes.length >> 8;
  bytes[3] = bytes.length & 0xff;
  bytes[9] = 113;
  bytes.set(from, 12);
  bytes.set(to, 16);
  bytes.set(payload, headerLength);
  return bytes;
}

function split(...datagrams: Uint8Array[]): Array<[number[], string]> {
  const chunk = new Uint8Array(datagrams.reduce((sum, d) => sum + d.length, 0));
  let at = 0;
  for (const d of datagrams) {
    chunk.set(d, at);
    at += d.length;
  }
  const out: Array<[number[], string]> = [];
  splitDatagrams(chunk, GROUP, (payload, from) => out.push([[...payload], from]));
  return out;
}

describe("raw-socket reads cut into PGM packets", () => {
  test("several datagrams in one chunk come out one by one, each header stripped by its IHL", () => {
    const a = datagram([10, 0, 0, 1], [239, 192, 1, 1], [1, 2, 3]);
    const b = datagram([10, 0, 0, 2], [239, 192, 1, 1], [4, 5], 2);
    expect(split(a, b)).toEqual([
      [[1, 2, 3], "10.0.0.1"],
      [[4, 5], "10.0.0.2"],
    ]);
  });

  test("another group's datagram is dropped; one sent to this host (a NAK) is kept", () => {
    const other = datagram([10, 0, 0, 1], [239, 192, 1, 2], [9]);
    const unicast = datagram([10, 0, 0, 3], [10, 0, 0, 1], [7]);
    expect(split(other, unicast)).toEqual([[[7], "10.0.0.3"]]);
  });

  test("a datagram cut short, or bytes that are not IPv4, end the chunk there", () => {
    const whole = datagram([10, 0, 0, 1], [239, 192, 1, 1], [1]);
    const cut = datagram([10, 0, 0, 1], [239, 192, 1, 1], [2, 2, 2, 2]).subarray(0, 22);
    expect(split(whole, cut)).toEqual([[[1], "10.0.0.1"]]);
    const ipv6 = datagram([10, 0, 0, 1], [239, 192, 1, 1], [3]);
    ipv6[0] = 0x60;
    expect(split(ipv6, whole)).toEqual([]);
  });
});

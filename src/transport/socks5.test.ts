// The SOCKS5 client state machine against golden byte exchanges (RFC 1928 / RFC 1929), each proxy
// transcript also fed split at every byte boundary and one byte at a time.

import { describe, expect, test } from "bun:test";
import { Socks5Client, type Socks5Target, ipv6Bytes } from "./socks5.ts";

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));
const ascii = (text: string): string => Buffer.from(text).toString("hex");

interface Outcome {
  sent: string;
  connected: boolean;
  error: string | null;
  leftover: string;
}

/**
 * Runs a handshake with the proxy's bytes delivered in `chunks`, as the dial does: once connected,
 * later chunks belong to the tunnel. Returns what the client sent after its greeting (on a failure,
 * only the reason counts: what went out before it depends on the chunking).
 */
function run(target: Socks5Target, chunks: Uint8Array[]): Outcome {
  const client = new Socks5Client(target);
  let sent = "";
  let tunnel = "";
  for (const chunk of chunks) {
    if (client.connected) {
      tunnel += Buffer.from(chunk).toString("hex");
      continue;
    }
    const reply = client.feed(chunk);
    if (reply !== null) sent += Buffer.from(reply).toString("hex");
    if (client.connected) tunnel = Buffer.from(client.leftover).toString("hex");
  }
  if (client.failed) sent = "";
  return { sent, connected: client.connected, error: client.error, leftover: tunnel };
}

/** The same transcript whole, split at every boundary, and byte by byte: every way gives one outcome. */
function everySplit(target: Socks5Target, proxy: Uint8Array): Outcome {
  const whole = run(target, [proxy]);
  for (let cut = 1; cut < proxy.length; cut++) {
    expect(run(target, [proxy.subarray(0, cut), proxy.subarray(cut)])).toEqual(whole);
  }
  expect(
    run(
      target,
      [...proxy].map((byte) => Uint8Array.of(byte)),
    ),
  ).toEqual(whole);
  return whole;
}

// Targets are only bytes in a request here; no socket is opened.
const noAuth = (host: string, port: number): Socks5Target => ({ host, port, username: "", password: "" });
const withAuth = (host: string, port: number, username: string, password: string): Socks5Target => ({ host, port, username, password });

describe("SOCKS5 client handshake", () => {
  test("RFC 1928: without a username it offers only 'no authentication' (05 01 00)", () => {
    expect(new Socks5Client(noAuth("127.0.0.1", 5555)).greeting()).toEqual(hex("05 01 00"));
    expect(new Socks5Client(withAuth("h", 1, "u", "")).greeting()).toEqual(hex("05 01 02"));
  });

  test("RFC 1928: CONNECT to an IPv4 literal goes as ATYP 1; bytes after the reply belong to the tunnel", () => {
    const proxy = hex("05 00  05 00 00 01 0a 00 00 01 c3 50  ff 00 00 00");
    const outcome = everySplit(noAuth("127.0.0.1", 5555), proxy);
    expect(outcome).toEqual({ sent: "050100017f00000115b3", connected: true, error: null, leftover: "ff000000" });
  });

  test("RFC 1929: username/password sub-negotiation, then CONNECT to a host name as ATYP 3 (not resolved here)", () => {
    const target = withAuth("example.com", 0x1234, "user", "secret");
    const proxy = hex(`05 02  01 00  05 00 00 03 04 ${ascii("abcd")} 12 34`);
    const outcome = everySplit(target, proxy);
    expect(outcome.sent).toBe(`0104${ascii("user")}06${ascii("secret")}` + `05010003 0b${ascii("example.com")}1234`.replace(" ", ""));
    expect([outcome.connected, outcome.leftover]).toEqual([true, ""]);
  });

  test("RFC 1928: CONNECT to an IPv6 literal goes as ATYP 4, and a reply with an IPv6 bound address is read whole", () => {
    const proxy = hex(`05 00  05 00 00 04 ${"00".repeat(15)}01 00 50  01`);
    const outcome = everySplit(noAuth("::1", 80), proxy);
    expect(outcome).toEqual({ sent: `05010004${"00".repeat(15)}010050`, connected: true, error: null, leftover: "01" });
    expect(ipv6Bytes("fe80::1:2%eth0")).toEqual([0xfe, 0x80, ...new Array(10).fill(0), 0, 1, 0, 2]);
    expect(ipv6Bytes("::ffff:10.1.2.3")).toEqual([...new Array(10).fill(0), 0xff, 0xff, 10, 1, 2, 3]);
    expect([ipv6Bytes("1::2::3"), ipv6Bytes("example.com"), ipv6Bytes("1:2:3:4:5:6:7:8:9")]).toEqual([null, null, null]);
  });

  test("refusals and malformed replies fail the handshake with a reason, whatever the chunking", () => {
    const cases: Array<[Socks5Target, string, RegExp]> = [
      [noAuth("h", 1), "05 ff", /none of the offered authentication methods.*socksUsername/],
      [noAuth("h", 1), "05 02", /method 2, which was not offered/],
      [noAuth("h", 1), "04 00", /SOCKS version 4/],
      [withAuth("h", 1, "u", "p"), "05 02 01 01", /refused the username and password \(status 1\)/],
      [withAuth("h", 1, "u", "p"), "05 02 05 00", /authentication with version 5/],
      [noAuth("h", 1), "05 00 05 05 00 01 00 00 00 00 00 00", /could not connect to h:1: connection refused \(5\)/],
      [noAuth("h", 1), "05 00 05 00 01 01 00 00 00 00 00 00", /reserved byte/],
      [noAuth("h", 1), "05 00 05 00 00 07 00 00 00 00 00 00", /unknown address type 7/],
      [noAuth("h".repeat(256), 1), "05 00", /does not fit a SOCKS5 request/],
    ];
    for (const [target, proxy, reason] of cases) {
      const outcome = everySplit(target, hex(proxy));
      expect(outcome.connected).toBe(false);
      expect(outcome.error).toMatch(reason);
    }
  });

  test("after it connected or failed, further bytes are ignored", () => {
    const client = new Socks5Client(noAuth("127.0.0.1", 1));
    client.feed(hex("05 ff"));
    expect(client.failed).toBe(true);
    expect(client.feed(hex("05 00"))).toBe(null);
    expect(client.failed).toBe(true);
  });
});

// zeromq.js's socket-options-test.ts in our words, for the options that reach the wire or the kernel:
// socksProxy as its string option that can be reset (a Buffer reads back as text, null clears it), and
// the defaults zeromq.js reads from libzmq for typeOfService, interface, tcpMaxRetransmitTimeout,
// zapEnforceDomain and loopbackFastPath. Behaviour is tested in test/api and test/interop.

import { describe, expect, test } from "bun:test";
import { Dealer, XPublisher } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";

const cleanup = useCleanup();

describe("socket options (wire and kernel)", () => {
  test("socksProxy starts unset, takes a Buffer and reads it back as a string, and null unsets it", () => {
    const sock = cleanup.track(new Dealer());
    expect(sock.socksProxy).toBe(null);
    (sock as unknown as { socksProxy: unknown }).socksProxy = Buffer.from("foo");
    expect(sock.socksProxy).toBe("foo");
    (sock as unknown as { socksProxy: unknown }).socksProxy = null;
    expect(sock.socksProxy).toBe(null);
  });

  test("the options zeromq.js defines read libzmq 4.3.4's defaults", () => {
    const sock = cleanup.track(new Dealer());
    expect(sock.typeOfService).toBe(0);
    expect(sock.interface).toBe(null);
    expect(sock.tcpMaxRetransmitTimeout).toBe(0);
    expect(sock.zapEnforceDomain).toBe(false);
    expect(sock.loopbackFastPath).toBe(false);
  });

  test("libzmq's DRAFT options that zeromq.js leaves out are there too, with libzmq's defaults", () => {
    const sock = cleanup.track(new Dealer());
    expect([sock.socksUsername, sock.socksPassword, sock.metadata, sock.inBatchSize]).toEqual([null, null, {}, 8192]);
    expect(cleanup.track(new XPublisher()).manualLastValue).toBe(false);
  });

  test("each can be given to the constructor", () => {
    const sock = cleanup.track(
      new Dealer({
        socksProxy: "127.0.0.1:1080",
        socksUsername: "u",
        socksPassword: "p",
        typeOfService: 0x10,
        interface: "lo",
        tcpMaxRetransmitTimeout: 500,
        zapEnforceDomain: true,
        loopbackFastPath: true,
        tcpAcceptFilter: "127.0.0.1",
        metadata: { "X-Key": "value" },
        inBatchSize: 1024,
      }),
    );
    expect([sock.socksProxy, sock.socksUsername, sock.socksPassword, sock.typeOfService, sock.interface]).toEqual([
      "127.0.0.1:1080",
      "u",
      "p",
      0x10,
      "lo",
    ]);
    expect([sock.tcpMaxRetransmitTimeout, sock.zapEnforceDomain, sock.loopbackFastPath, sock.tcpAcceptFilter]).toEqual([
      500,
      true,
      true,
      "127.0.0.1",
    ]);
    expect([sock.metadata, sock.inBatchSize]).toEqual([{ "X-Key": "value" }, 1024]);
  });
});

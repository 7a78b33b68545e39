// The same raw byte peers as bad-peer.test.ts, aimed at a libzmq PULL: this pins down the reference
// behaviour (zmtp-notes §2.4, §3.3) and proves the hand-built bytes are right where they should be.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { command, concat, frameHeader, greeting, message, metadata, ready } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();

function libzmqPull(options: { maxMessageSize?: number } = {}): LibzmqSocket {
  const pull = cleanup.libzmq().socket(ZMQ.PULL);
  if (options.maxMessageSize !== undefined) pull.setInt(ZMQ.MAXMSGSIZE, options.maxMessageSize);
  pull.bind(TCP_ANY);
  return pull;
}

async function rawPeer(endpoint: string): Promise<RawPeer> {
  return cleanup.track(await RawPeer.connect(endpoint));
}

describe("libzmq 4.3 PULL against raw byte peers (reference behaviour)", () => {
  test("the hand-built greeting and READY complete a handshake and data frames arrive", async () => {
    const pull = libzmqPull();
    const raw = await rawPeer(pull.lastEndpoint);
    const readyEnd = await raw.handshake("PUSH");
    expect(Array.from(raw.bytes().subarray(0, 12))).toEqual([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 1]);
    expect(Buffer.from(raw.bytes().subarray(64, readyEnd)).toString("latin1")).toBe("\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04PULL");

    raw.write(message("", "", "x", ""));
    expect((await pull.receive()).map(String)).toEqual(["", "", "x", ""]);
  });

  test("the helper's READY for PUSH is the golden frame from zmtp-notes §3.2", () => {
    expect(Buffer.from(ready("PUSH")).toString("latin1")).toBe("\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04PUSH");
  });

  test("an unknown command after the handshake is ignored and later data still arrives", async () => {
    const pull = libzmqPull();
    const raw = await rawPeer(pull.lastEndpoint);
    await raw.handshake("PUSH");
    raw.write(command("FOOBAR", new Uint8Array([1, 2, 3])));
    raw.write(message("after-unknown"));
    expect((await pull.receive()).map(String)).toEqual(["after-unknown"]);
    expect(raw.closed).toBe(false);
  });

  test("a READY without Socket-Type is accepted unchecked", async () => {
    const pull = libzmqPull();
    const raw = await rawPeer(pull.lastEndpoint);
    raw.write(greeting());
    raw.write(command("READY"));
    await raw.waitForBytes(64 + 28);
    raw.write(message("untyped"));
    expect((await pull.receive()).map(String)).toEqual(["untyped"]);
  });

  test("a frame over MAXMSGSIZE closes the connection", async () => {
    const pull = libzmqPull({ maxMessageSize: 100 });
    const monitor = pull.monitor();
    const raw = await rawPeer(pull.lastEndpoint);
    await raw.handshake("PUSH");
    raw.write(message(new Uint8Array(101)));
    await raw.waitForClose();
    await monitor.waitFor("DISCONNECTED");
    expect(pull.tryReceive()).toBeNull();
  });

  // Not listed, because libzmq keeps these connections open: ASCII garbage ("GET / HTTP/1.1") and a
  // signature ending in 0x7e. libzmq takes both for an unversioned ZMTP 1.0 peer (first byte = length
  // prefix) and waits for more; bunzmq speaks 3.x only and closes them (bad-peer.test.ts).
  const closers: Array<[string, () => Uint8Array]> = [
    ["a greeting with a wrong mechanism", () => greeting({ mechanism: "PLAIN" })],
    ["a READY with a mismatching Socket-Type", () => concat(greeting(), ready("PUB"))],
    ["an unknown command instead of READY", () => concat(greeting(), command("JUNK"))],
    [
      "a READY whose metadata is truncated",
      () => concat(greeting(), command("READY", metadata([["Socket-Type", "PUSH"]]).subarray(0, 14))),
    ],
  ];
  for (const [what, bytes] of closers) {
    test(`${what} makes libzmq close the connection`, async () => {
      const pull = libzmqPull();
      const raw = await rawPeer(pull.lastEndpoint);
      raw.write(bytes());
      await raw.waitForClose();
    });
  }

  test("a frame header announcing 2^62 bytes closes the connection even without MAXMSGSIZE", async () => {
    const pull = libzmqPull();
    const raw = await rawPeer(pull.lastEndpoint);
    await raw.handshake("PUSH");
    raw.write(frameHeader(0x02, 1n << 62n));
    raw.write(new Uint8Array(64));
    await raw.waitForClose();
  });
});

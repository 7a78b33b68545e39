// The engine with ZMTP 1.0 and 2.0 peers over a scripted stream: the staged greeting's legacy
// branch, identity frames both ways, each protocol's framing, libzmq's phantom subscription, and the
// peers libzmq (and we) refuse. Peer bytes are written by hand from zmtp-notes §1.3, not encoded here.

import { describe, expect, test } from "bun:test";
import { SocketType } from "../core/socket-type.ts";
import type { Mechanism } from "../mechanism/mechanism.ts";
import { NullMechanism } from "../mechanism/null.ts";
import { PlainClient } from "../mechanism/plain.ts";
import { createPipePair, type PipeEnd } from "../pipe/pipe-end.ts";
import { hex, toHex } from "../wire/test-support.ts";
import type { EngineFailure, EngineHost, PeerDescription } from "./engine.ts";
import { FakeStream } from "./test-support.ts";
import { ZmtpEngine } from "./zmtp-engine.ts";

const text = new TextEncoder();

/** Lets scheduled flushes (a microtask, then the check phase) run. */
const flushes = () => new Promise((resolve) => setImmediate(resolve));
const SIGNATURE = "ff 00 00 00 00 00 00 00 01 7f";

class FakeHost implements EngineHost {
  closed: Array<EngineFailure | null> = [];
  peers: PeerDescription[] = [];
  pipes = createPipePair(1000, 1000, { routingId: new Uint8Array(0), address: "x" });
  engineReady(_engine: unknown, peer: PeerDescription): PipeEnd {
    this.peers.push(peer);
    return this.pipes.peerEnd;
  }
  engineClosed(_engine: unknown, failure: EngineFailure | null): void {
    this.closed.push(failure);
  }
  received(): string[][] {
    const out: string[][] = [];
    for (let m = this.pipes.socketEnd.inbound.read(); m !== undefined; m = this.pipes.socketEnd.inbound.read())
      out.push(m.map((f) => toHex(f)));
    return out;
  }
}

function setup(socketType: SocketType, options: { mechanism?: Mechanism; routingId?: Uint8Array } = {}) {
  const stream = new FakeStream();
  const host = new FakeHost();
  const mechanism = options.mechanism ?? new NullMechanism([["Socket-Type", text.encode("X")]]);
  const config = { socketType, mechanism, maxMessageSize: -1, handshakeInterval: 0, outBatchSize: 8192, routingId: options.routingId };
  new ZmtpEngine(stream, config, host).start();
  const feed = (bytes: string) => stream.handler!.onData(Buffer.from(hex(bytes)));
  const send = (...frames: string[]) => host.pipes.socketEnd.outbound.write(frames.map((f) => text.encode(f)));
  return { stream, host, feed, send, written: () => toHex(stream.bytes()) };
}

describe("a ZMTP 2.0 peer (libzmq 3.x, JeroMQ 0.3)", () => {
  test("RFC 15 gets our socket type after our major, sends its identity and framed data, and gets ours", async () => {
    const { host, feed, send, written } = setup(SocketType.Pull);
    // A PUSH (8): signature, revision 1, socket type, an empty identity frame, then "hello".
    feed(`${SIGNATURE} 01 08`);
    // libzmq 4.3.4 answers a 2.0 peer with its already-sent major 03, its type, an empty identity.
    expect(written()).toBe(`${SIGNATURE} 03 07 00 00`);
    feed("00 00 00 05 68 65 6c 6c 6f");
    expect(host.peers).toEqual([{ socketType: "PUSH", routingId: new Uint8Array(0), properties: new Map() }]);
    expect(host.received()).toEqual([["68 65 6c 6c 6f"]]);
    send("a", "b");
    await flushes();
    expect(written()).toBe(`${SIGNATURE} 03 07 00 00 01 01 61 00 01 62`);
  });

  test("a ROUTER answers a 2.0 peer with exactly libzmq 4.3.4's bytes (zmtp-notes §1.3)", () => {
    const { feed, written } = setup(SocketType.Router);
    feed(`${SIGNATURE} 01 05`);
    expect(written()).toBe("ff 00 00 00 00 00 00 00 01 7f 03 06 00 00");
  });

  test("its identity frame becomes the routing id, and ours carries the socket's, announced in the padding", () => {
    const { host, feed, written } = setup(SocketType.Router, { routingId: text.encode("me") });
    feed(`${SIGNATURE} 01 05 00 03 61 62 63`);
    expect(written()).toBe("ff 00 00 00 00 00 00 00 03 7f 03 06 00 02 6d 65");
    expect(Buffer.from(host.peers[0]!.routingId).toString()).toBe("abc");
    expect(host.peers[0]!.socketType).toBe("DEALER");
  });

  test("an incompatible socket type is refused at the greeting with ERR_ZMTP_SOCKET_TYPE_MISMATCH", () => {
    const { host, stream, feed } = setup(SocketType.Pull);
    feed(`${SIGNATURE} 01 02 00 00`);
    expect(host.closed).toEqual([expect.objectContaining({ stage: "handshake", kind: "protocol", code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH" })]);
    expect(host.closed[0]!.message).toContain("SUB");
    expect(host.peers).toEqual([]);
    expect(stream.destroyed).toBe(true);
  });

  test("an out-of-range socket type number is refused the same way", () => {
    const { host, feed } = setup(SocketType.Pull);
    feed(`${SIGNATURE} 01 63`);
    expect(host.closed[0]).toMatchObject({ code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH" });
  });

  test("a socket with a security mechanism or a ZAP domain refuses it, as libzmq's zap_enabled() does", () => {
    const plain = setup(SocketType.Pull, { mechanism: new PlainClient([], text.encode("u"), text.encode("p")) });
    plain.feed(`${SIGNATURE} 01 08`);
    expect(plain.host.closed[0]).toMatchObject({ stage: "handshake", code: "ERR_ZMTP_UNSUPPORTED_VERSION" });
    expect(plain.host.closed[0]!.message).toContain("PLAIN");
    const judged = setup(SocketType.Pull, { mechanism: new NullMechanism([], true) });
    judged.feed(`${SIGNATURE} 01 08`);
    expect(judged.host.closed[0]).toMatchObject({ code: "ERR_ZMTP_UNSUPPORTED_VERSION" });
    expect(judged.host.closed[0]!.message).toContain("ZAP domain");
  });

  test("sends subscriptions as data frames, as to a ZMTP 3.0 peer", async () => {
    const stream = new FakeStream();
    const host = new FakeHost();
    const mechanism = new NullMechanism([]);
    const config = {
      socketType: SocketType.Subscriber,
      mechanism,
      maxMessageSize: -1,
      handshakeInterval: 0,
      outBatchSize: 8192,
      heartbeatInterval: 1,
    };
    new ZmtpEngine(stream, config, host).start();
    stream.handler!.onData(Buffer.from(hex(`${SIGNATURE} 01 01 00 00`)));
    const subscribe = [text.encode("\x01ab")] as Uint8Array[] & { isSubscription?: boolean };
    subscribe.isSubscription = true;
    host.pipes.socketEnd.outbound.write(subscribe);
    await flushes();
    expect(toHex(stream.bytes())).toBe(`${SIGNATURE} 03 02 00 00 00 03 01 61 62`);
  });
});

describe("a ZMTP 1.0 peer (libzmq 2.x, no greeting)", () => {
  test("RFC 13 is known by its first byte; gets our identity's body after the signature it read as a header", async () => {
    const { host, feed, send, written } = setup(SocketType.Pull);
    // Its identity frame (empty), then a two-frame message "a" MORE, "bc".
    feed("01 00 02 01 61 03 00 62 63");
    expect(written()).toBe(SIGNATURE);
    expect(host.peers).toEqual([{ socketType: "", routingId: new Uint8Array(0), properties: new Map() }]);
    expect(host.received()).toEqual([["61", "62 63"]]);
    send("hello");
    await flushes();
    expect(written()).toBe(`${SIGNATURE} 06 00 68 65 6c 6c 6f`);
  });

  test("our routing id follows the signature whose padding announced it, and its identity is decoded however it was split", () => {
    const { host, feed, written } = setup(SocketType.Router, { routingId: text.encode("me") });
    feed("04");
    feed("00 61 62");
    feed("63 02 00 7a");
    expect(written()).toBe("ff 00 00 00 00 00 00 00 03 7f 6d 65");
    expect(Buffer.from(host.peers[0]!.routingId).toString()).toBe("abc");
    expect(host.received()).toEqual([["7a"]]);
  });

  test("a long identity header (byte 9 with its low bit clear) is a 1.0 peer too", () => {
    const { host, feed } = setup(SocketType.Pull);
    feed(`ff 00 00 00 00 00 00 01 2d 00 ${Array(300).fill("41").join(" ")} 02 00 42`);
    expect(host.peers[0]!.routingId.length).toBe(300);
    expect(host.received()).toEqual([["42"]]);
  });

  test("a PUB or XPUB subscribes it to everything (libzmq's phantom subscription): it filters for itself", () => {
    for (const type of [SocketType.Publisher, SocketType.XPublisher]) {
      const { host, feed } = setup(type);
      feed("01 00");
      expect(host.received()).toEqual([["01"]]);
    }
    const twoZero = setup(SocketType.Publisher);
    twoZero.feed(`${SIGNATURE} 01 02 00 00`);
    expect(twoZero.host.received()).toEqual([]);
  });

  test("a malformed length (0) after the identity drops the connection with EPROTO", () => {
    const { host, feed } = setup(SocketType.Pull);
    feed("01 00 02 00 41 00");
    expect(host.received()).toEqual([["41"]]);
    expect(host.closed).toEqual([expect.objectContaining({ stage: "traffic", kind: "protocol", code: "EPROTO" })]);
  });

  test("a malformed identity frame fails the handshake", () => {
    const { host, feed } = setup(SocketType.Pull);
    feed("00");
    expect(host.closed).toEqual([expect.objectContaining({ stage: "handshake", kind: "protocol", code: "ERR_ZMTP_UNSPECIFIED" })]);
  });

  test("is refused by a socket with a security mechanism before anything but the signature is sent", () => {
    const { host, feed, written } = setup(SocketType.Pull, { mechanism: new PlainClient([], text.encode("u"), text.encode("p")) });
    feed("01 00");
    expect(host.closed[0]).toMatchObject({ code: "ERR_ZMTP_UNSUPPORTED_VERSION" });
    expect(host.closed[0]!.message).toContain("ZMTP 1.0");
    expect(written()).toBe(SIGNATURE);
  });
});

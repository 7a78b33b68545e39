// metadata (ZMQ_METADATA): application properties in READY (ZMTP 3.1 / RFC 37 metadata), both ways
// with libzmq 4.3.4: libzmq reads ours with zmq_msg_gets, we read libzmq's on the "handshake" event's
// peer.metadata; under NULL and CURVE (where they travel inside INITIATE and READY). Our READY is
// compared byte for byte with libzmq's for the same socket and properties.

import { describe, expect, test } from "bun:test";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { CLIENT_OPTIONS, SERVER_OPTIONS, libzmqCurveClient, libzmqCurveServer } from "../helpers/curve.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { hex, ready } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const EINVAL = expect.objectContaining({ code: "EINVAL" });

type Handshake = { peer?: { metadata?: Record<string, string> } };

async function peerMetadata(log: EventLog): Promise<Record<string, string> | undefined> {
  return ((await log.waitFor("handshake")) as Handshake).peer?.metadata;
}

/** The READY frame (header included) a socket bound at `endpoint` sends a raw ROUTER-typed peer. */
async function readyFrom(endpoint: string): Promise<string> {
  const raw = cleanup.track(await RawPeer.connect(endpoint));
  const end = await raw.handshake("ROUTER");
  return hex(raw.bytes().subarray(64, end));
}

describe("metadata option", () => {
  test("names start with X-, values are non-empty; reads give a fresh object sorted by name; null clears", () => {
    const push = cleanup.track(new Push());
    expect(push.metadata).toEqual({});
    push.metadata = { "X-b": "2", "X-a": "1" };
    expect(Object.keys(push.metadata)).toEqual(["X-a", "X-b"]);
    push.metadata["X-c"] = "not stored";
    expect(push.metadata).toEqual({ "X-a": "1", "X-b": "2" });
    for (const bad of [
      { "Y-a": "1" },
      { "X-a:b": "1" },
      { "X-é": "1" },
      { "X-a": "" },
      { "X-a": "a\0b" },
      { "X-a": 1 },
      "X-a:1",
      [["X-a", "1"]],
    ]) {
      expect(() => (push.metadata = bad as unknown as Record<string, string>)).toThrow(EINVAL);
    }
    push.metadata = null;
    expect(push.metadata).toEqual({});
  });

  test("our READY carries them after Socket-Type and Identity, byte for byte as libzmq's READY does", async () => {
    const theirs = cleanup.libzmq().socket(ZMQ.DEALER);
    theirs.setBytes(ZMQ.ROUTING_ID, "me");
    theirs.setBytes(ZMQ.METADATA, "X-b:2");
    theirs.setBytes(ZMQ.METADATA, "X-a:value:with:colons");
    theirs.bind(TCP_ANY);
    const ours = cleanup.track(new Dealer({ linger: 0, routingId: "me", metadata: { "X-b": "2", "X-a": "value:with:colons" } }));
    await ours.bind(TCP_ANY);
    // 04 4d 05 READY 0b Socket-Type 00000006 DEALER 08 Identity 00000002 me 03 X-a 00000011 value:… 03 X-b 00000001 2
    const golden = hex(
      ready([
        ["Socket-Type", "DEALER"],
        ["Identity", "me"],
        ["X-a", "value:with:colons"],
        ["X-b", "2"],
      ]),
    );
    expect(golden.startsWith("04 4d 05 52 45 41 44 59 0b")).toBe(true);
    expect(await readyFrom(theirs.lastEndpoint)).toBe(golden);
    expect(await readyFrom(ours.lastEndpoint!)).toBe(golden);
  });

  test("libzmq reads ours with zmq_msg_gets, and ours reads libzmq's on the handshake event", async () => {
    const pull = cleanup.libzmq().socket(ZMQ.PULL);
    pull.setBytes(ZMQ.METADATA, "X-Served-By:libzmq");
    pull.bind(TCP_ANY);
    const push = cleanup.track(new Push({ linger: 0, metadata: { "X-Hello": "wörld", "X-Zone": "eu-1" } }));
    const log = new EventLog(push);
    push.connect(pull.lastEndpoint);
    await push.send("with metadata");
    const { frames, properties } = await pull.receiveWithProperties(["X-Hello", "X-Zone", "Socket-Type", "X-Absent"]);
    expect(frames.map(String)).toEqual(["with metadata"]);
    expect(properties).toEqual({ "X-Hello": "wörld", "X-Zone": "eu-1", "Socket-Type": "PUSH", "X-Absent": null });
    expect(await peerMetadata(log)).toEqual({ "Socket-Type": "PULL", "X-Served-By": "libzmq" });
  });

  test("a bound socket reads each connecting peer's metadata; bunzmq to bunzmq too", async () => {
    const pull = cleanup.track(new Pull({ linger: 0 }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = cleanup.track(new Push({ linger: 0, metadata: { "X-Worker": "7" } }));
    push.connect(pull.lastEndpoint!);
    expect(await peerMetadata(log)).toEqual({ "Socket-Type": "PUSH", "X-Worker": "7" });
  });

  test("under CURVE they travel inside INITIATE and READY, both ways with libzmq", async () => {
    const server = libzmqCurveServer(cleanup.libzmq(), ZMQ.PULL);
    server.setBytes(ZMQ.METADATA, "X-Side:server");
    server.bind(TCP_ANY);
    const push = cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS, metadata: { "X-Side": "client" } }));
    const pushLog = new EventLog(push);
    push.connect(server.lastEndpoint);
    await push.send("sealed");
    expect((await server.receiveWithProperties(["X-Side"])).properties).toEqual({ "X-Side": "client" });
    expect((await peerMetadata(pushLog))?.["X-Side"]).toBe("server");

    const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS, metadata: { "X-Side": "our server" } }));
    const pullLog = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const client = libzmqCurveClient(cleanup.libzmq(), ZMQ.PUSH);
    client.setBytes(ZMQ.METADATA, "X-Side:their client");
    client.connect(pull.lastEndpoint!);
    expect((await peerMetadata(pullLog))?.["X-Side"]).toBe("their client");
  });
});

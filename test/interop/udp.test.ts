// udp:// between bunzmq and libzmq 4.3.5 built with the draft API, over unicast on loopback:
// RADIO to DISH each way, and DGRAM to DGRAM each way, byte for byte as libzmq's udp_engine lays
// the datagrams out. Multicast is in udp-multicast.test.ts (it needs a network namespace).

import { describe, expect, test } from "bun:test";
import { LibzmqDraftSocket, ZMQ } from "../../peers/libzmq/index.ts";
import { Datagram, Dish, Radio } from "../../src/draft.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { DRAFT_LIBZMQ, draftLibzmqMissing } from "../helpers/libzmq-draft.ts";
import { anyUdpEndpoint } from "../helpers/udp.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const missing = draftLibzmqMissing("test/interop/udp.test.ts");

function theirs(type: number): LibzmqDraftSocket {
  return new LibzmqDraftSocket(cleanup.libzmq({ library: DRAFT_LIBZMQ! }).socket(type));
}

describe.skipIf(missing)("udp:// against libzmq 4.3.5 (draft API)", () => {
  test("a libzmq RADIO reaches a bunzmq Dish bound to udp://*:port, in the joined groups only", async () => {
    const { endpoint, port } = await anyUdpEndpoint();
    const dish = cleanup.track(new Dish({ linger: 0 }));
    dish.join("news", "");
    await dish.bind(`udp://*:${port}`);
    const radio = theirs(ZMQ.RADIO);
    radio.socket.connect(endpoint);
    // The Dish's UDP socket binds asynchronously: datagrams before that are lost, as UDP loses them.
    const [first, { group }] = await waitFor(
      () => {
        radio.trySend("other group", { group: "sport" });
        radio.trySend("first", { group: "news" });
        return dish.tryReceive();
      },
      { what: "a datagram of group news at the Dish", timeoutMs: 5000 },
    );
    expect([String(first), String(group)]).toEqual(["first", "news"]);
    await radio.send("no group");
    await radio.send(Buffer.alloc(8000, 7), { group: "news" });
    const seen: string[] = [];
    await waitFor(
      () => {
        for (let next = dish.tryReceive(); next !== null; next = dish.tryReceive()) seen.push(`${next[1].group}:${next[0].length}`);
        return seen.includes("news:8000") ? true : null;
      },
      { what: "the 8000-byte message", timeoutMs: 5000 },
    );
    expect(seen.filter((entry) => !entry.startsWith("news:5"))).toEqual([":8", "news:8000"]);
  });

  test("a bunzmq Radio connected to a libzmq DISH's unicast address reaches it, in the joined groups only", async () => {
    const { endpoint } = await anyUdpEndpoint();
    const dish = theirs(ZMQ.DISH);
    dish.socket.bind(endpoint);
    dish.join("news");
    const radio = cleanup.track(new Radio({ linger: 0 }));
    radio.connect(endpoint);
    const first = await waitFor(
      () => {
        radio.trySend("other group", { group: "sport" });
        radio.trySend("first", { group: "news" });
        return dish.tryReceive();
      },
      { what: "a datagram of group news at the DISH", timeoutMs: 5000 },
    );
    expect([String(first.body), first.group]).toEqual(["first", "news"]);
    await radio.send(Buffer.alloc(8000, 9), { group: "news" });
    const big = await waitFor(
      () => {
        const next = dish.tryReceive();
        return next !== null && next.body.length > 5 ? next : null;
      },
      { what: "the 8000-byte message at the DISH", timeoutMs: 5000 },
    );
    expect([big.group, big.body.length, big.body[7999]]).toEqual(["news", 8000, 9]);
  });

  test("a bunzmq Datagram and a libzmq DGRAM exchange [address, body] both ways", async () => {
    const ours = await anyUdpEndpoint();
    const other = await anyUdpEndpoint();
    const dgram = cleanup.track(new Datagram({ linger: 0 }));
    await dgram.bind(ours.endpoint);
    const peer = theirs(ZMQ.DGRAM);
    peer.socket.bind(other.endpoint);
    // bunzmq -> libzmq, until our socket's bind completed and the datagram got through.
    const request = await waitFor(
      () => {
        dgram.trySend([`127.0.0.1:${other.port}`, "ping"]);
        return peer.socket.tryReceive();
      },
      { what: "our datagram at the libzmq DGRAM", timeoutMs: 5000 },
    );
    // libzmq's sender frame is a C string: "ip:port" and its NUL; ours is the same.
    expect(request.map(String)).toEqual([`127.0.0.1:${ours.port}\0`, "ping"]);
    // libzmq -> bunzmq: an echo to the address it was given.
    await peer.socket.send([request[0]!, Buffer.from("pong")]);
    const [from, body] = await withTimeout(dgram.receive(), 5000, "the libzmq DGRAM's reply");
    expect([String(from), String(body)]).toEqual([`127.0.0.1:${other.port}\0`, "pong"]);
    // Our echo of theirs, to the address we were given.
    await dgram.send([from!, "pong again"]);
    // Pings the loop above sent more than once may still be queued before it.
    const echoed = await waitFor(
      () => {
        const next = peer.socket.tryReceive();
        return next !== null && String(next[1]) === "pong again" ? next : null;
      },
      { what: "our echo at the libzmq DGRAM", timeoutMs: 5000 },
    );
    expect(echoed.map(String)).toEqual([`127.0.0.1:${ours.port}\0`, "pong again"]);
  });
});

// The libzmq binding itself (peers/libzmq), libzmq talking to libzmq: if these fail, interop and
// bench failures mean nothing.

import { describe, expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { cBuffer, LibzmqContext, LibzmqError, loadLibzmq, ZMQ } from "../../peers/libzmq/index.ts";

const cleanup = useCleanup();

function pattern(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe("libzmq through bun:ffi", () => {
  test("reports the installed libzmq version", () => {
    expect(loadLibzmq().version).toMatch(/^4\.\d+\.\d+$/);
  });

  test("a PUSH delivers to a PULL over tcp with an ephemeral port", async () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    expect(pull.lastEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const push = ctx.socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint);

    await push.send(["hello"]);
    expect((await pull.receive()).map(String)).toEqual(["hello"]);
  });

  test("multipart messages keep their empty frames exactly", async () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    const push = ctx.socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint);

    await push.send(["", "", "x", ""]);
    await push.send([new Uint8Array([0, 1, 2]), ""]);
    expect((await pull.receive()).map(String)).toEqual(["", "", "x", ""]);
    expect(await pull.receive()).toEqual([Buffer.from([0, 1, 2]), Buffer.alloc(0)]);
  });

  test("PAIR sockets exchange messages in both directions", async () => {
    const ctx = cleanup.libzmq();
    const bound = ctx.socket(ZMQ.PAIR);
    bound.bind(TCP_ANY);
    const connected = ctx.socket(ZMQ.PAIR);
    connected.connect(bound.lastEndpoint);

    await connected.send(["ping", "1"]);
    expect((await bound.receive()).map(String)).toEqual(["ping", "1"]);
    await bound.send(["pong"]);
    expect((await connected.receive()).map(String)).toEqual(["pong"]);
  });

  test("a 16 MiB frame arrives intact", async () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    const push = ctx.socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint);
    const body = pattern(16 * 1024 * 1024);

    await push.send([body, "tail"], 20_000);
    const [big, tail] = await pull.receive(20_000);
    expect(big!.length).toBe(body.length);
    expect(big!.equals(body)).toBe(true);
    expect(String(tail)).toBe("tail");
  }, 30_000);

  test("tryReceive returns null and trySend returns false instead of blocking", () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    expect(pull.tryReceive()).toBeNull();
    const push = ctx.socket(ZMQ.PUSH); // no peer at all: libzmq says EAGAIN
    expect(push.trySend(["nobody"])).toBe(false);
  });

  test("a bounded receive rejects with an error naming what it waited for", async () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    await expect(pull.receive(20)).rejects.toThrow(/a message on libzmq PULL/);
  });

  test("failures carry the errno name and zmq_strerror text", () => {
    const ctx = cleanup.libzmq();
    const first = ctx.socket(ZMQ.PULL);
    first.bind(TCP_ANY);
    const second = ctx.socket(ZMQ.PULL);
    let caught: unknown;
    try {
      second.bind(first.lastEndpoint);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LibzmqError);
    expect((caught as LibzmqError).code).toBe("EADDRINUSE");
    expect((caught as LibzmqError).message).toContain("Address already in use");
    expect(() => second.connect("tcp://127.0.0.1:*")).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });

  test("integer, 64-bit and string options round-trip", () => {
    const ctx = cleanup.libzmq();
    const socket = ctx.socket(ZMQ.DEALER);
    socket.setInt(ZMQ.SNDHWM, 7);
    socket.setInt(ZMQ.MAXMSGSIZE, 1 << 20);
    socket.setBytes(ZMQ.ROUTING_ID, "me");
    expect(socket.getInt(ZMQ.SNDHWM)).toBe(7);
    expect(socket.getInt(ZMQ.MAXMSGSIZE)).toBe(1 << 20);
    expect(socket.getString(ZMQ.ROUTING_ID)).toBe("me");
    expect(socket.getInt(ZMQ.TYPE)).toBe(ZMQ.DEALER);
  });

  test("the monitor reports the handshake and the peer's disconnect", async () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    const monitor = pull.monitor();
    pull.bind(TCP_ANY);
    const push = ctx.socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint);

    await monitor.waitFor("LISTENING");
    await monitor.waitFor("ACCEPTED");
    const handshake = await monitor.waitFor("HANDSHAKE_SUCCEEDED");
    expect(handshake.endpoint).toBe(pull.lastEndpoint);
    push.close();
    await monitor.waitFor("DISCONNECTED");
    monitor.close();
  });

  test("closing the context closes sockets left open", () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    const push = ctx.socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint);
    push.trySend(["never read"]); // LINGER 0 (set by close) keeps term() from waiting for it
    ctx.term();
    expect(push.closed && pull.closed).toBe(true);
    expect(ctx.terminated).toBe(true);
  });
});

describe("the fast path of the benches and fixture processes", () => {
  test("sendMany sends from one buffer and receiveSize reads sizes without copying", () => {
    const ctx = cleanup.libzmq();
    const pull = ctx.socket(ZMQ.PULL);
    pull.setInt(ZMQ.RCVTIMEO, 5000);
    pull.bind(TCP_ANY);
    const push = ctx.socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint);

    expect(push.sendMany(cBuffer(100), 100, 3)).toBe(3);
    expect([pull.receiveSize(), pull.receiveSize(), pull.receiveSize()]).toEqual([100, 100, 100]);
    pull.setInt(ZMQ.RCVTIMEO, 0);
    expect(pull.receiveSize()).toBe(-1);
  });

  test("echoMessage returns a message to the DEALER that sent it, every frame", async () => {
    const ctx = cleanup.libzmq();
    const router = ctx.socket(ZMQ.ROUTER);
    router.setInt(ZMQ.RCVTIMEO, 5000);
    router.bind(TCP_ANY);
    const dealer = ctx.socket(ZMQ.DEALER);
    dealer.connect(router.lastEndpoint);

    await dealer.send(["a", "bc"]);
    expect(router.echoMessage()).toBe(3); // the routing id, then the two frames
    expect((await dealer.receive()).map(String)).toEqual(["a", "bc"]);
  });

  test("blocking calls give up when SNDTIMEO or RCVTIMEO expires", () => {
    const ctx = cleanup.libzmq();
    const push = ctx.socket(ZMQ.PUSH); // no peer: nowhere to queue
    push.setInt(ZMQ.SNDTIMEO, 10);
    expect(push.sendBlocking(["x"])).toBe(false);
    const pull = ctx.socket(ZMQ.PULL);
    pull.setInt(ZMQ.RCVTIMEO, 10);
    expect(pull.receiveBlocking()).toBeNull();
  });

  test("a context adopted by its address shares inproc endpoints, and term() leaves it running", async () => {
    const owner = cleanup.libzmq();
    const adopted = new LibzmqContext({ adopt: owner.address });
    cleanup.add(() => adopted.term());
    const pull = owner.socket(ZMQ.PULL);
    pull.bind("inproc://adopted-context");
    const push = adopted.socket(ZMQ.PUSH);
    push.connect("inproc://adopted-context");

    await push.send(["through one context"]);
    expect((await pull.receive()).map(String)).toEqual(["through one context"]);
    adopted.term();
    expect(push.closed).toBe(true);
    expect(owner.terminated).toBe(false);
    expect(owner.socket(ZMQ.PUSH).closed).toBe(false);
  });
});

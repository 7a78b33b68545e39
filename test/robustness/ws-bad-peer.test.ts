// Bad input on a ws:// endpoint, a test each: a plain HTTP request, a wrong subprotocol (and a bare
// ZWS2.0 client at a CURVE server, refused as libzmq refuses it), a text message, an oversized
// message, and a client that never reads. Each bad peer loses only its own connection: a good
// client on the same endpoint is served afterwards. Memory a non-reader can pin is bounded by the
// WebSocket buffer limit (ws-stream.ts) plus the send high-water mark.

import { describe, expect, test } from "bun:test";
import type { Socket } from "bun";
import { Pull, Push, Reply, Request } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { SERVER_OPTIONS } from "../helpers/curve.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const WS_ANY = "ws://127.0.0.1:*/bad";
const httpOf = (endpoint: string) => endpoint.replace(/^ws:/, "http:");

/** A bound REP that echoes, and a proof it still serves: a good REQ's round trip. */
async function echoServer(options: ConstructorParameters<typeof Reply>[0] = {}) {
  const rep = cleanup.track(new Reply({ linger: 0, ...options }));
  const log = new EventLog(rep);
  await rep.bind(WS_ANY);
  void (async () => {
    for await (const [message] of rep) await rep.send(message!);
  })().catch(() => {});
  const stillServes = async () => {
    const req = cleanup.track(new Request({ linger: 0 }));
    req.connect(endpointOf(rep));
    await req.send("still there?");
    expect(String((await withTimeout(req.receive(), 5000, "the good client's reply"))[0])).toBe("still there?");
  };
  return { rep, log, stillServes };
}

/** A raw WebSocket client offering `protocol`; resolves how it ended: open, or closed without opening. */
function rawClient(endpoint: string, protocol: string): Promise<{ ws: WebSocket; opened: boolean }> {
  const ws = new WebSocket(endpoint, { headers: { "Sec-WebSocket-Protocol": protocol } } as unknown as string[]);
  cleanup.add(() => ws.close());
  ws.binaryType = "arraybuffer";
  return new Promise((resolve) => {
    ws.onopen = () => resolve({ ws, opened: true });
    ws.onclose = () => resolve({ ws, opened: false });
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(1006);
    ws.onclose = (event) => resolve(event.code);
  });
}

describe("bad input on a ws:// endpoint", () => {
  test("a plain HTTP request gets 426 Upgrade Required, and the socket carries on", async () => {
    const { rep: server, stillServes } = await echoServer();
    const response = await withTimeout(fetch(httpOf(endpointOf(server))), 5000, "the HTTP answer");
    expect(response.status).toBe(426);
    expect(await response.text()).toContain("ZeroMQ");
    const elsewhere = await withTimeout(fetch(httpOf(endpointOf(server)).replace(/\/bad$/, "/nothing-here")), 5000, "the 404");
    expect(elsewhere.status).toBe(404);
    await stillServes();
  });

  test("a wrong subprotocol is refused before the upgrade, and the socket carries on", async () => {
    const { rep, stillServes } = await echoServer();
    const { opened } = await withTimeout(rawClient(endpointOf(rep), "chat"), 5000, "the refusal");
    expect(opened).toBe(false);
    await stillServes();
  });

  test("a ZWS2.0/CURVE server refuses a bare ZWS2.0 client (libzmq's rule), and takes a ZWS2.0/CURVE one", async () => {
    const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS }));
    await pull.bind(WS_ANY);
    expect((await withTimeout(rawClient(endpointOf(pull), "ZWS2.0"), 5000, "the bare client's refusal")).opened).toBe(false);
    expect((await withTimeout(rawClient(endpointOf(pull), "ZWS2.0/NULL"), 5000, "the NULL client's refusal")).opened).toBe(false);
    const { ws, opened } = await withTimeout(rawClient(endpointOf(pull), "ZWS2.0/CURVE"), 5000, "the CURVE client's upgrade");
    expect(opened).toBe(true);
    expect(ws.protocol).toBe("ZWS2.0/CURVE");
  });

  test("a text message closes that connection only", async () => {
    const { rep, log, stillServes } = await echoServer();
    const { ws, opened } = await withTimeout(rawClient(endpointOf(rep), "ZWS2.0"), 5000, "the upgrade");
    expect(opened).toBe(true);
    ws.send(new Uint8Array([0])); // our routing id: bare ZWS2.0 has no handshake
    ws.send("a text message");
    await withTimeout(closed(ws), 5000, "the connection to close");
    await log.waitFor("disconnect");
    await stillServes();
  });

  test("a message over maxMessageSize closes that connection only", async () => {
    const { rep, stillServes } = await echoServer({ maxMessageSize: 1000 });
    const { ws, opened } = await withTimeout(rawClient(endpointOf(rep), "ZWS2.0"), 5000, "the upgrade");
    expect(opened).toBe(true);
    ws.send(new Uint8Array([0]));
    const big = new Uint8Array(1 + 5000);
    ws.send(big);
    expect(await withTimeout(closed(ws), 5000, "the connection to close")).toBe(1009);
    await stillServes();
  });

  test("a client that never reads pins a bounded amount: sends stop at the high-water mark", async () => {
    const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 10, sendTimeout: 200 }));
    const log = new EventLog(push);
    await push.bind(WS_ANY);
    const { hostname, port, path } = (() => {
      const url = new URL(endpointOf(push));
      return { hostname: url.hostname, port: Number(url.port), path: url.pathname };
    })();
    // A WebSocket upgrade by hand, its bare routing id (a masked binary frame), then no reads at all.
    const request =
      `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ZWS2.0\r\n\r\n";
    const routingId = new Uint8Array([0x82, 0x81, 1, 2, 3, 4, 0x00 ^ 1]);
    const socket: Socket<undefined> = await Bun.connect({
      hostname,
      port,
      socket: {
        open(socket) {
          socket.pause();
          socket.write(new TextEncoder().encode(request));
          socket.write(routingId);
        },
        data() {},
      },
    });
    cleanup.add(() => socket.terminate());
    await log.waitFor("handshake");
    const body = new Uint8Array(64 * 1024);
    let accepted = 0;
    // Each send is taken, or fails EAGAIN once nothing moved for 200 ms: the loop ends when the
    // pipe, the WebSocket's buffer and the kernel's are all full.
    for (;;) {
      try {
        await push.send(body);
        accepted++;
      } catch (error) {
        expect((error as { code?: string }).code).toBe("EAGAIN");
        break;
      }
      if (accepted > 2000) break;
    }
    // HWM 10 plus the WebSocket buffer limit (1 MiB) plus the kernel's socket buffers on both ends.
    console.log(`a never-reading ws client: ${accepted} messages of 64 KiB taken before EAGAIN`);
    expect(accepted).toBeGreaterThan(10);
    expect(accepted * body.length).toBeLessThan(16 * 1024 * 1024);
  });
});

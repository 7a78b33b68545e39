// The PING flood of #14 against a bound ROUTER: a raw NULL DEALER completes the handshake, shrinks
// its receive buffer, stops reading and writes PINGs (16-byte context) as fast as we take them.
// Checked by counts, not by time: after 16 MiB of PINGs, what we had queued for the flooder (read
// back once it reads again) stays far below what one PONG per PING would be, and a good DEALER on
// the same ROUTER is answered throughout. With a tiny maxProtocolBacklog, a flooder that does not read
// the data it is sent either is dropped with ENOBUFS. The engine runs wherever BUNZMQ_IO_THREADS puts it (CI: 0, 1 and 2 I/O threads).

import { describe, expect, test } from "bun:test";
import { Dealer, Pull, Push, Router } from "../../src/index.ts";
import { pingFlood } from "../chaos/ping-flood.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const MiB = 1024 * 1024;
/** A PONG echoing a 16-byte context: 2 bytes of header, a 21-byte body. */
const PONG_BYTES = 23;

type RouterOptions = ConstructorParameters<typeof Router>[0];

/** A bound ROUTER echoing every request, with a good DEALER that counts its answered requests. */
async function echoServer(options: RouterOptions) {
  const router = cleanup.track(new Router({ linger: 0, ...options }));
  const log = new EventLog(router);
  await router.bind(TCP_ANY);
  void (async () => {
    for await (const message of router) await router.send(message);
  })().catch(() => {});
  const good = cleanup.track(new Dealer({ linger: 0 }));
  good.connect(endpointOf(router));
  let answered = 0;
  let running = true;
  const goodLoop = (async () => {
    while (running) {
      await good.send("ping from a good peer");
      await good.receive();
      answered++;
    }
  })().catch(() => {});
  cleanup.add(() => {
    running = false;
  });
  /** Resolves once the good peer has had `more` further requests answered. */
  const goodPeerAnswered = async (more: number, what: string) => {
    const target = answered + more;
    const deadline = performance.now() + 10_000;
    while (answered < target) {
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what} (${answered}/${target})`);
      await withTimeout(new Promise((resolve) => setImmediate(resolve)), 1000, what);
    }
  };
  await goodPeerAnswered(10, "the good peer's first answers");
  return { router, log, endpoint: endpointOf(router), goodPeerAnswered, answered: () => answered, goodLoop };
}

describe("a PING flood from a peer that never reads (#14)", () => {
  test("16 MiB of PINGs leave at most a few hundred KiB of PONGs queued, and the good peer is answered throughout", async () => {
    // 64 KiB of kernel send buffer (Linux doubles it) keeps what the kernel itself holds small and known.
    const server = await echoServer({ sendBufferSize: 64 * 1024 });
    const answeredBefore = server.answered();
    const result = await pingFlood({ endpoint: server.endpoint, maxBytes: 16 * MiB, collect: true, timeoutMs: 20_000 });
    expect(result.dropped).toBe(false);
    expect(result.collected).toBe(true);
    // One PONG per PING would be 671,088 PONGs, 14.7 MiB. What we may queue: the kernel's buffers
    // (ours and the flooder's), one write batch (256 KiB at most) and the one PONG that waits.
    expect(result.pingsSent).toBe(Math.floor((16 * MiB) / 25));
    expect(result.repliesBytes!).toBeLessThan(MiB);
    expect(result.repliesBytes! % PONG_BYTES).toBe(0);
    expect(result.pongs!).toBeLessThan(MiB / PONG_BYTES);
    expect(result.pongs!).toBeGreaterThanOrEqual(1);
    expect(server.answered()).toBeGreaterThan(answeredBefore);
    await server.goodPeerAnswered(10, "the good peer's answers after the flood");
    expect(server.log.count("disconnect")).toBe(1); // the flooder, closing when done
  }, 30_000);

  test("a flooder that reads neither PONGs nor the data it is sent: its PONGs stay bounded, or with maxProtocolBacklog 16 it is dropped with ENOBUFS", async () => {
    // A PUSH that keeps sending: the flooder's share fills the kernel and the writer's backlog, and
    // PONGs wait behind it (one at most). Should a write the kernel refuses in part hold a PONG, which
    // counts whole, 23 bytes pass the bound of 16 and the flooder goes; either way the good peer stays.
    const push = cleanup.track(new Push({ linger: 0, sendBufferSize: 4096, maxProtocolBacklog: 16 }));
    expect(push.maxProtocolBacklog).toBe(16);
    const log = new EventLog(push);
    await push.bind(TCP_ANY);
    const good = cleanup.track(new Pull({ linger: 0 }));
    good.connect(endpointOf(push));
    let sending = true;
    cleanup.add(() => {
      sending = false;
    });
    const payload = new Uint8Array(1024);
    const sender = (async () => {
      while (sending) if (!push.trySend(payload)) await new Promise((resolve) => setImmediate(resolve));
    })();
    await withTimeout(good.receive(), 5000, "the good peer's first message");
    const result = await pingFlood({
      endpoint: endpointOf(push),
      socketType: "PULL",
      maxBytes: 16 * MiB,
      collect: true,
      timeoutMs: 20_000,
    });
    if (result.dropped) {
      const disconnect = await log.waitFor("disconnect");
      expect(disconnect.error?.code).toBe("ENOBUFS");
      expect(disconnect.error?.message).toContain("maxProtocolBacklog (16 bytes)");
    } else {
      expect(result.collected).toBe(true);
      // 671,088 PINGs; the PONGs that reached the flooder are those written while its kernel buffers
      // had room, plus the one that waited, plus the marker's.
      expect(result.pongs!).toBeLessThan(10_000);
      expect(result.otherFrames!).toBeGreaterThan(0);
    }
    // The good peer still receives.
    for (let i = 0; i < 100; i++) await withTimeout(good.receive(), 5000, "the good peer's messages after the flood");
    sending = false;
    await sender;
  }, 30_000);
});

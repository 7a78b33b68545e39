// Raw byte peers breaking the request-reply envelope rules against bunzmq REQ, REP and ROUTER, while a
// good libzmq peer keeps working on the same socket (zmtp-notes §0 item 15, §6.2, §6.3, §6.5, §6.9).
// Property: a malformed reply or request is discarded without touching the connection (libzmq REQ would
// drop the connection instead; bunzmq documents discarding), and a ROUTER peer that stops reading costs
// at most its own queue (sendHighWaterMark messages), never the other peer's service nor unbounded memory.

import { describe, expect, test } from "bun:test";
import { heapSize } from "bun:jsc";
import type { Socket as BunSocket } from "bun";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Reply, Request, Router } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { parseTcpEndpoint, TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { concat, greeting, hex, message, parseFrameAt, ready } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();
const TEST_TIMEOUT = 20_000;
const decoder = new TextDecoder();

const text = (frames: Buffer[]): string[] => frames.map(String);

async function rawPeer(endpoint: string): Promise<RawPeer> {
  return cleanup.track(await RawPeer.connect(endpoint));
}

/** A parsed data message from a raw peer's receive stream, and the offset just past it. */
interface RawMessage {
  frames: string[];
  bytes: Uint8Array;
  end: number;
}

/** The complete message at `offset` in what `raw` has received, or null while it is incomplete. */
function messageAt(raw: RawPeer, offset: number): RawMessage | null {
  const all = raw.bytes();
  const frames: string[] = [];
  for (let at = offset; ; ) {
    const parsed = parseFrameAt(all, at);
    if (parsed === null) return null;
    if ((parsed.flags & 0x04) !== 0) throw new Error(`unexpected command from bunzmq: ${hex(all.subarray(at, parsed.end))}`);
    frames.push(decoder.decode(parsed.body));
    at = parsed.end;
    if ((parsed.flags & 0x01) === 0) return { frames, bytes: all.slice(offset, at), end: at };
  }
}

describe("a bunzmq REQ facing a raw REP that breaks the reply envelope", () => {
  interface ReqFixture {
    req: Request;
    log: EventLog;
    good: LibzmqSocket;
    raw: RawPeer;
    /** Offset in raw.bytes() up to which messages have been consumed. */
    rawOffset: number;
  }

  /** A bound REQ with a libzmq REP and a raw REP peer both attached. */
  async function reqWithPeers(relaxed: boolean): Promise<ReqFixture> {
    const req = cleanup.track(new Request({ linger: 0, relaxed }));
    const log = new EventLog(req);
    await req.bind(TCP_ANY);
    const good = cleanup.libzmq().socket(ZMQ.REP);
    good.connect(endpointOf(req));
    const raw = await rawPeer(endpointOf(req));
    const rawOffset = await raw.handshake("REP");
    await log.waitFor("handshake", { count: 2 });
    return { req, log, good, raw, rawOffset };
  }

  /**
   * Sends `tag` (round-robin picks the peer) and waits until one of the two peers has it. With the good
   * peer the exchange is completed here; with the raw peer its request is returned, unanswered.
   */
  async function sendRequest(f: ReqFixture, tag: string): Promise<"good" | RawMessage> {
    await withTimeout(f.req.send(tag), 5000, `the REQ to send "${tag}"`);
    const where = await waitFor(
      () => {
        const atGood = f.good.tryReceive();
        if (atGood !== null) return { good: atGood, raw: null };
        const atRaw = messageAt(f.raw, f.rawOffset);
        return atRaw === null ? null : { good: null, raw: atRaw };
      },
      { what: `request "${tag}" at the libzmq REP or the raw REP` },
    );
    if (where.raw !== null) {
      f.rawOffset = where.raw.end;
      return where.raw;
    }
    expect(text(where.good!)).toEqual([tag]);
    await f.good.send([`re: ${tag}`]);
    expect(text(await withTimeout(f.req.receive(), 5000, `the libzmq REP's reply to "${tag}"`))).toEqual([`re: ${tag}`]);
    return "good";
  }

  /** Round-robin over two peers: at most two requests until the raw peer holds one. */
  async function requestAtRaw(f: ReqFixture): Promise<RawMessage> {
    for (let i = 0; i < 3; i++) {
      const result = await sendRequest(f, `for raw ${i}`);
      if (result !== "good") return result;
    }
    throw new Error("round-robin never chose the raw REP peer");
  }

  /** A non-relaxed REQ: exchanges until the good peer has answered once (the raw peer answers properly). */
  async function goodPeerServes(f: ReqFixture, tag: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const result = await sendRequest(f, `${tag} ${i}`);
      if (result === "good") return;
      f.raw.write(message("", `raw re: ${tag} ${i}`));
      expect(text(await withTimeout(f.req.receive(), 5000, "the raw REP's proper reply"))).toEqual([`raw re: ${tag} ${i}`]);
    }
    throw new Error("round-robin never chose the libzmq REP peer");
  }

  test(
    "replies without the empty delimiter are discarded and the next well-formed reply from that peer is delivered",
    async () => {
      const f = await reqWithPeers(false);
      const request = await requestAtRaw(f);
      // The request went out as delimiter + body (`01 00 00 ...`).
      expect(request.frames).toEqual(["", request.frames[1]!]);
      expect(Array.from(request.bytes.subarray(0, 2))).toEqual([0x01, 0x00]);
      f.raw.write(message("no delimiter"));
      f.raw.write(message("still", "no delimiter"));
      f.raw.write(message("")); // an empty frame without MORE is no delimiter either
      f.raw.write(message("", "well formed"));
      expect(text(await withTimeout(f.req.receive(), 5000, "the well-formed reply"))).toEqual(["well formed"]);
      expect(f.raw.closed).toBe(false);
      expect(f.log.count("disconnect")).toBe(0);
      await goodPeerServes(f, "after");
      // The connection that sent garbage still carries requests and replies.
      const again = await requestAtRaw(f);
      f.raw.write(message("", "raw again"));
      expect(again.frames[0]).toBe("");
      expect(text(await withTimeout(f.req.receive(), 5000, "the raw REP's second reply"))).toEqual(["raw again"]);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a relaxed REQ left without a valid reply by the raw peer gets its answer from the good peer",
    async () => {
      const f = await reqWithPeers(true);
      await requestAtRaw(f);
      f.raw.write(message("bad reply"));
      // Relaxed: re-send until the libzmq REP has the request (round-robin alternates, so at most twice).
      let answered = false;
      for (let i = 0; i < 3 && !answered; i++) answered = (await sendRequest(f, `retry ${i}`)) === "good";
      expect(answered).toBe(true);
      expect(f.raw.closed).toBe(false);
      expect(f.log.count("disconnect")).toBe(0);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe("a bunzmq REP facing a raw DEALER that sends requests without a delimiter", () => {
  interface RepFixture {
    rep: Reply;
    log: EventLog;
    raw: RawPeer;
    rawOffset: number;
    goodPeerServed(tag: string): Promise<void>;
  }

  /** A bound REP that a libzmq REQ is using, and a raw DEALER peer after its handshake. */
  async function repWithPeers(): Promise<RepFixture> {
    const rep = cleanup.track(new Reply({ linger: 0 }));
    const log = new EventLog(rep);
    await rep.bind(TCP_ANY);
    const good = cleanup.libzmq().socket(ZMQ.REQ);
    good.connect(endpointOf(rep));
    const goodPeerServed = async (tag: string) => {
      await good.send([tag]);
      expect(text(await withTimeout(rep.receive(), 5000, `"${tag}" from the libzmq REQ`))).toEqual([tag]);
      await rep.send(`re: ${tag}`);
      expect(text(await good.receive())).toEqual([`re: ${tag}`]);
    };
    await goodPeerServed("before");
    const raw = await rawPeer(endpointOf(rep));
    const rawOffset = await raw.handshake("DEALER");
    return { rep, log, raw, rawOffset, goodPeerServed };
  }

  async function rawReply(f: RepFixture, what: string): Promise<RawMessage> {
    const reply = await waitFor(() => messageAt(f.raw, f.rawOffset), { what });
    f.rawOffset = reply.end;
    return reply;
  }

  test(
    "requests without an empty delimiter are discarded silently and the next proper request is answered",
    async () => {
      const f = await repWithPeers();
      f.raw.write(message("no delimiter"));
      f.raw.write(message("two", "frames"));
      f.raw.write(message("trailing", "")); // the empty frame has no MORE, so it is no delimiter
      f.raw.write(message("", "proper"));
      expect(text(await withTimeout(f.rep.receive(), 5000, "the proper request"))).toEqual(["proper"]);
      await f.rep.send("answer");
      const reply = await rawReply(f, "the REP's answer at the raw DEALER");
      expect(hex(reply.bytes)).toBe(hex(message("", "answer")));
      expect(f.raw.closed).toBe(false);
      expect(f.log.count("disconnect")).toBe(0);
      await f.goodPeerServed("after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a request of routing frames without a delimiter is discarded and a later enveloped one is answered with its envelope",
    async () => {
      const f = await repWithPeers();
      f.raw.write(message("hop1", "hop2", "body"));
      f.raw.write(message("hop1", "", "body"));
      expect(text(await withTimeout(f.rep.receive(), 5000, "the enveloped request"))).toEqual(["body"]);
      await f.rep.send("rep");
      const reply = await rawReply(f, "the REP's answer at the raw DEALER");
      expect(hex(reply.bytes)).toBe(hex(message("hop1", "", "rep"))); // `01 04 hop1 01 00 00 03 rep`
      expect(f.raw.closed).toBe(false);
      await f.goodPeerServed("after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

/**
 * A DEALER that completes its side of the handshake (greeting + READY with Identity, written at once,
 * zmtp-notes §0 item 3) and never reads a byte: the socket is paused, so the kernel buffers fill up.
 */
async function stuckDealer(endpoint: string, identity: string): Promise<void> {
  const { hostname, port } = parseTcpEndpoint(endpoint);
  const socket: BunSocket<undefined> = await Bun.connect({ hostname, port, socket: { data() {} } });
  socket.pause();
  cleanup.add(() => socket.terminate());
  const hello = concat(
    greeting(),
    ready([
      ["Socket-Type", "DEALER"],
      ["Identity", identity],
    ]),
  );
  expect(socket.write(hello)).toBe(hello.length);
}

describe("a bunzmq ROUTER with unknown and stuck peers", () => {
  const HWM = 16;
  const FRAME_BYTES = 1024;
  /** 32 MiB in total: far beyond HWM messages plus what the kernel's socket buffers can take. */
  const FLOOD = 32 * 1024;

  interface RouterFixture {
    router: Router;
    goodPeerServed(tag: string): Promise<void>;
  }

  async function routerWithGoodPeer(options: { mandatory?: boolean; sendTimeout?: number } = {}): Promise<RouterFixture> {
    const router = cleanup.track(new Router({ linger: 0, sendHighWaterMark: HWM, ...options }));
    await router.bind(TCP_ANY);
    const good = cleanup.libzmq().socket(ZMQ.DEALER);
    good.setBytes(ZMQ.ROUTING_ID, "good");
    good.connect(endpointOf(router));
    const goodPeerServed = async (tag: string) => {
      await good.send([tag]);
      expect(text(await withTimeout(router.receive(), 5000, `"${tag}" from the libzmq DEALER`))).toEqual(["good", tag]);
      await withTimeout(router.send(["good", `re: ${tag}`]), 5000, "the ROUTER to queue the reply to the good peer");
      expect(text(await good.receive())).toEqual([`re: ${tag}`]);
    };
    await goodPeerServed("before");
    return { router, goodPeerServed };
  }

  /** Attaches the stuck peer and waits until the ROUTER knows its id (mandatory sends stop failing). */
  async function attachStuckPeer(router: Router): Promise<void> {
    const wasMandatory = router.mandatory;
    router.mandatory = true;
    await stuckDealer(endpointOf(router), "stuck");
    await waitFor(
      () => {
        try {
          return router.trySend(["stuck", "probe"]);
        } catch (error) {
          if ((error as { code?: string }).code === "EHOSTUNREACH") return false;
          throw error;
        }
      },
      { what: "the ROUTER to attach the stuck peer" },
    );
    router.mandatory = wasMandatory;
  }

  /** A fresh buffer per message, so a queue that kept them would show in the heap. */
  const payload = (i: number): Uint8Array => new Uint8Array(FRAME_BYTES).fill(i & 0xff);

  function heapAfterGc(): number {
    Bun.gc(true);
    return heapSize();
  }

  test(
    "a send to an unknown routing id is dropped silently and the good peer keeps being served",
    async () => {
      const { router, goodPeerServed } = await routerWithGoodPeer();
      await withTimeout(router.send(["nobody", "lost"]), 5000, "a send to an unknown id to resolve");
      expect(router.trySend(["nobody", "lost again"])).toBe(true);
      await goodPeerServed("after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "with mandatory a send to an unknown routing id fails with EHOSTUNREACH and the good peer keeps being served",
    async () => {
      const { router, goodPeerServed } = await routerWithGoodPeer({ mandatory: true });
      // Thrown synchronously, as the RFC 28 spec suite documents for bunzmq's ROUTER.
      expect(() => router.trySend(["nobody", "refused"])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
      await expect(router.send(["nobody", "refused"])).rejects.toMatchObject({ code: "EHOSTUNREACH" });
      await goodPeerServed("after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "sends to a peer that never reads are dropped once its queue is full and memory stays bounded",
    async () => {
      const { router, goodPeerServed } = await routerWithGoodPeer();
      await attachStuckPeer(router);
      const heapBefore = heapAfterGc();
      for (let i = 0; i < FLOOD; i++) {
        expect(router.trySend(["stuck", payload(i)])).toBe(true);
        if (i % 4096 === 4095) {
          await withTimeout(router.send(["stuck", payload(i)]), 5000, "a send to the stuck peer to resolve");
          await goodPeerServed(`during ${i}`);
        }
      }
      const growth = heapAfterGc() - heapBefore;
      // Unbounded queueing would keep ~32 MiB; HWM messages plus write buffers are well under 8 MiB.
      expect(growth).toBeLessThan(8 * 1024 * 1024);
      await goodPeerServed("after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "with mandatory and sendTimeout 0 a peer that never reads ends in trySend false and EAGAIN, memory bounded",
    async () => {
      const { router, goodPeerServed } = await routerWithGoodPeer({ mandatory: true, sendTimeout: 0 });
      await attachStuckPeer(router);
      const heapBefore = heapAfterGc();
      let accepted = 0;
      // Fill until a round starts with a refusal: the engine wrote nothing out since the last round, so
      // the kernel buffers are full and the ROUTER's queue is at its high-water mark.
      await waitFor(
        () => {
          let first = true;
          for (;;) {
            if (router.trySend(["stuck", payload(accepted)])) {
              accepted++;
              first = false;
              if (accepted > FLOOD) throw new Error(`the stuck peer's queue took ${accepted} messages without filling`);
              continue;
            }
            return first && accepted > 0;
          }
        },
        { what: () => `the stuck peer's queue to stay full (accepted ${accepted})`, timeoutMs: 10_000 },
      );
      expect(router.trySend(["stuck", "one more"])).toBe(false);
      await expect(router.send(["stuck", "one more"])).rejects.toMatchObject({ code: "EAGAIN" });
      await goodPeerServed("while stuck");
      const growth = heapAfterGc() - heapBefore;
      // What was accepted sits in the pipe (≤ HWM), the engine and the kernel; none of it is unbounded.
      expect(growth).toBeLessThan(HWM * FRAME_BYTES + 8 * 1024 * 1024);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

// The transport contract: the same cases over every row of transports.ts (nng's per-transport suite,
// hono's runTest), and over the multicast rows, where each case is a gap (PUB/SUB only: see
// pubsub-conformance.test.ts). What a transport does differently is data in its row; a case it cannot meet is a
// skipped test that gives the row's reason. Facts about one transport alone stay in its own file
// (inproc.test.ts).

import { expect } from "bun:test";
import { Pair, Pull, Push, type Socket, type SocketInit } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { EventLog } from "../helpers/events.ts";
import { pattern } from "../helpers/payload.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { MULTICAST_TRANSPORTS } from "./multicast-rows.ts";
import { conformanceTest, forEachTransport, peersGone, peersReady, TRANSPORTS, type TransportRow } from "./transports.ts";

const cleanup = useCleanup();
const HUGE = 16 * 1024 * 1024;
const RECONNECT_MS = 10;

function open<T extends Socket>(type: new (options?: SocketInit) => T, options: SocketInit = {}): T {
  return cleanup.track(new type({ linger: 0, ...options }));
}

async function bound<T extends Socket>(
  row: TransportRow,
  type: new (options?: SocketInit) => T,
  options: SocketInit = {},
): Promise<{ socket: T; endpoint: string }> {
  const socket = open(type, options);
  await socket.bind(row.bindable());
  return { socket, endpoint: socket.lastEndpoint! };
}

async function receive(socket: Pull | Pair, what = "a message"): Promise<Buffer[]> {
  return withTimeout(socket.receive(), 5000, what);
}

async function receiveTexts(socket: Pull | Pair, count: number): Promise<string[][]> {
  const out: string[][] = [];
  while (out.length < count) out.push((await receive(socket, `message ${out.length + 1} of ${count}`)).map(String));
  return out;
}

/** `sequence` must be `attempt` repeated some number of times (maybe none) and then `rest`. */
function expectRepeatsThen(sequence: string[], attempt: readonly string[], rest: readonly string[]): void {
  let at = 0;
  while (sequence.length - at > rest.length && attempt.every((type, i) => sequence[at + i] === type)) at += attempt.length;
  expect(sequence.slice(at)).toEqual([...rest]);
}

forEachTransport(
  (row) => {
    conformanceTest(
      row,
      "refused dial",
      "connect() to a vacant endpoint succeeds, sends wait in the queue, and it redials until a bind takes the endpoint",
      async () => {
        const endpoint = row.vacant();
        const push = open(Push, { reconnectInterval: RECONNECT_MS });
        const log = new EventLog(push);
        push.connect(endpoint);
        expect(push.writable).toBe(true);
        expect(push.trySend("queued")).toBe(true);
        await withTimeout(push.send(["", "multipart", ""]), 5000, "a send with no peer yet");
        if (row.events !== null) {
          const attempt = row.events.refusedAttempt;
          await log.waitFor("connect:retry", { count: 2 });
          expect(log.types().slice(0, 2 * attempt.length)).toEqual([...attempt, ...attempt]);
          expect(log.events.every((event) => event.address === endpoint)).toBe(true);
        }
        const pull = open(Pull);
        await pull.bind(endpoint);
        expect(await receiveTexts(pull, 2)).toEqual([["queued"], ["", "multipart", ""]]);
        if (row.events === null) {
          expect(log.types()).toEqual([]);
        } else {
          await log.waitFor("handshake");
          expectRepeatsThen(log.types(), row.events.refusedAttempt, row.events.dial);
        }
      },
    );

    conformanceTest(
      row,
      "duplicate bind",
      "binding an endpoint already bound fails with EADDRINUSE, 'Address already in use', and the first binding keeps serving",
      async () => {
        const { socket: first, endpoint } = await bound(row, Pull);
        const second = open(Pull);
        const log = new EventLog(second);
        const error = await withTimeout(
          second.bind(endpoint).then(
            () => null,
            (caught: unknown) => caught,
          ),
          5000,
          "the second bind",
        );
        expect(error).toBeInstanceOf(Error);
        expect(error).toMatchObject({ code: "EADDRINUSE", message: "Address already in use", address: endpoint });
        expect(() => second.bindSync(endpoint)).toThrow(expect.objectContaining({ code: "EADDRINUSE", message: "Address already in use" }));
        if (row.events === null) {
          expect(log.types()).toEqual([]);
        } else {
          // libzmq names the failed address after its "scheme://".
          await log.waitFor("bind:error", { count: 2 });
          const failed = log.events[0]!;
          expect(`${row.name}://${failed.address}`).toBe(endpoint);
          expect(failed.error).toMatchObject({ code: "EADDRINUSE", message: "Address already in use" });
        }
        const push = open(Push);
        push.connect(endpoint);
        await push.send("still served");
        expect(await receiveTexts(first, 1)).toEqual([["still served"]]);
      },
    );

    conformanceTest(
      row,
      "exchange",
      "messages cross both ways unchanged, multipart and empty frames included, in the order sent",
      async () => {
        const { socket: a, endpoint } = await bound(row, Pair);
        const b = open(Pair);
        const ready = peersReady(row, b, 1);
        b.connect(endpoint);
        await ready;
        const messages: Buffer[][] = [
          [Buffer.alloc(0)],
          [Buffer.alloc(0), Buffer.alloc(0)],
          [Buffer.from("head"), Buffer.alloc(0), Buffer.from([0, 1, 255])],
          [Buffer.alloc(255, 1), Buffer.alloc(256, 2), Buffer.alloc(0)],
          [pattern(70_000)],
        ];
        for (const [from, to] of [
          [b, a],
          [a, b],
        ] as const) {
          for (const message of messages) await from.send(message);
          for (const message of messages) {
            const got = await receive(to, "an exchanged message");
            expect(got.map((frame) => frame.toString("hex"))).toEqual(message.map((frame) => frame.toString("hex")));
          }
        }
        // Both directions at once, many in flight: each side gets the other's in order.
        const count = 500;
        const sendAll = (from: Pair, tag: string) =>
          (async () => {
            for (let i = 0; i < count; i++) await from.send([tag, String(i)]);
          })();
        const sending = Promise.all([sendAll(a, "a"), sendAll(b, "b")]);
        const [atB, atA] = await Promise.all([receiveTexts(b, count), receiveTexts(a, count)]);
        await withTimeout(sending, 5000, "both senders");
        expect(atB).toEqual(Array.from({ length: count }, (_, i) => ["a", String(i)]));
        expect(atA).toEqual(Array.from({ length: count }, (_, i) => ["b", String(i)]));
      },
    );

    conformanceTest(
      row,
      "huge message",
      "a 16 MiB frame crosses intact, between smaller frames of the same message",
      async () => {
        const { socket: pull, endpoint } = await bound(row, Pull);
        const push = open(Push);
        push.connect(endpoint);
        const huge = pattern(HUGE);
        await push.send(["before", huge, ""]);
        const [before, body, after] = await withTimeout(pull.receive(), 15_000, "the 16 MiB message");
        expect(String(before)).toBe("before");
        expect(body!.length).toBe(HUGE);
        expect(body!.equals(huge)).toBe(true);
        expect(after!.length).toBe(0);
      },
      30_000,
    );

    conformanceTest(
      row,
      "reconnect",
      "when the bound peer goes and binds the endpoint again, the connecting socket redials and delivers what it queued meanwhile",
      async () => {
        const endpoint = row.vacant();
        const first = open(Pull);
        await first.bind(endpoint);
        const push = open(Push, { reconnectInterval: RECONNECT_MS });
        const ready = peersReady(row, push, 1);
        push.connect(endpoint);
        await ready;
        await push.send("to the first");
        expect(await receiveTexts(first, 1)).toEqual([["to the first"]]);

        const gone = peersGone(row, push);
        first.close();
        await gone;
        // The connecting side's queue outlives its connections: these wait for the next one.
        await withTimeout(push.send("queued 1"), 5000, "a send while the peer is away");
        await withTimeout(push.send(["queued", "2"]), 5000, "a send while the peer is away");
        const second = open(Pull);
        // A tcp port just released may be refused for a moment; the retry is bounded.
        await waitFor(
          () =>
            second.bind(endpoint).then(
              () => true,
              () => false,
            ),
          { what: `${endpoint} to be free again` },
        );
        expect(await receiveTexts(second, 2)).toEqual([["queued 1"], ["queued", "2"]]);
        await push.send("after");
        expect(await receiveTexts(second, 1)).toEqual([["after"]]);
      },
    );

    for (const linger of [-1, 5000]) {
      conformanceTest(
        row,
        "close with linger",
        `linger ${linger}: what the sender queued before close() still reaches the peer, in order`,
        async () => {
          const { socket: pull, endpoint } = await bound(row, Pull);
          const push = open(Push, { linger, sendHighWaterMark: 4 });
          const ready = peersReady(row, push, 1);
          push.connect(endpoint);
          await ready;
          const body = Buffer.alloc(64 * 1024, 3);
          // Synchronous sends: the queue fills before any of it can be written out.
          let sent = 0;
          while (push.trySend([String(sent), body])) sent++;
          push.close();
          const got = (await receiveTexts(pull, sent)).map(([n]) => n);
          expect(got).toEqual(Array.from({ length: sent }, (_, i) => String(i)));
          expect(pull.tryReceive()).toBeNull();
        },
      );
    }

    conformanceTest(
      row,
      "close with linger 0",
      row.lingerZeroDrops
        ? "what the connection could not take is dropped"
        : "send() already put every message in the peer's queue, which reads them all",
      async () => {
        // A receiver that reads nothing for now: once its queue is full, the connection fills up too.
        const { socket: pull, endpoint } = await bound(row, Pull, { receiveHighWaterMark: 1 });
        const push = open(Push, { sendHighWaterMark: 4 });
        const ready = peersReady(row, push, 1);
        push.connect(endpoint);
        await ready;
        // Messages larger than the kernel buffers can ever hold, so that close() finds whole ones it
        // cannot hand over, however the buffers have grown meanwhile.
        const body = Buffer.alloc(row.lingerZeroDrops ? 4 * 1024 * 1024 : 64 * 1024, 3);
        let sent = 0;
        const fill = () => {
          while (push.trySend([String(sent), body])) sent++;
        };
        const got: string[] = [];
        const drain = () => {
          for (let message = pull.tryReceive(); message !== null; message = pull.tryReceive()) got.push(String(message[0]));
        };
        if (!row.lingerZeroDrops) {
          fill();
          push.close();
          drain();
          expect(got).toEqual(Array.from({ length: sent }, (_, i) => String(i)));
          return;
        }
        // Fill until the sender's queue stays full across turns: then the connection, to the kernel
        // buffers on both ends, holds all it can, and close() finds messages it cannot hand over.
        let fullChecks = 0;
        await waitFor(
          () => {
            fill();
            fullChecks = push.writable ? 0 : fullChecks + 1;
            return fullChecks >= 3;
          },
          { timeoutMs: 10_000, what: "the connection to fill up" },
        );
        let left = false;
        const gone = peersGone(row, pull).then(() => void (left = true));
        push.close();
        // Reading lets the receiver take in the rest of the stream and then see its end.
        await waitFor(
          () => {
            drain();
            return left;
          },
          { timeoutMs: 10_000, what: () => `the sender's close to reach the receiver (${got.length} of ${sent} read)` },
        );
        await gone;
        drain();
        expect(got.length).toBeLessThan(sent);
        expect(got).toEqual(Array.from({ length: got.length }, (_, i) => String(i)));
      },
    );

    conformanceTest(row, "monitor events", "the connecting side leaves: each side reports the sequence libzmq reports", async () => {
      const pull = open(Pull);
      const pullLog = new EventLog(pull);
      await pull.bind(row.bindable());
      const endpoint = pull.lastEndpoint!;
      const push = open(Push);
      const pushLog = new EventLog(push);
      push.connect(endpoint);
      await push.send("hello");
      expect(await receiveTexts(pull, 1)).toEqual([["hello"]]);
      if (row.events === null) {
        push.close();
        await pushLog.waitFor("end");
        expect(pushLog.types()).toEqual(["end"]);
        expect(pullLog.types()).toEqual([]);
        return;
      }
      await pushLog.waitFor("handshake");
      await pullLog.waitFor("handshake");
      expect(pushLog.types()).toEqual([...row.events.dial]);
      // Closing a connected socket reports no disconnect of its own, only the end.
      push.close();
      await pushLog.waitFor("end");
      await pullLog.waitFor("disconnect");
      expect(pushLog.types()).toEqual([...row.events.dial, "end"]);
      expect(pullLog.types()).toEqual(["bind", "accept", "handshake", "disconnect"]);
      expect([...pushLog.events, ...pullLog.events].every((event) => event.type === "end" || event.address === endpoint)).toBe(true);
    });

    conformanceTest(
      row,
      "monitor events",
      "the bound side leaves: it reports its close and end, and the connecting side its loss and each refused redial",
      async () => {
        const endpoint = row.vacant();
        const pull = open(Pull);
        const pullLog = new EventLog(pull);
        await pull.bind(endpoint);
        const push = open(Push, { reconnectInterval: RECONNECT_MS });
        const pushLog = new EventLog(push);
        push.connect(endpoint);
        await push.send("hello");
        expect(await receiveTexts(pull, 1)).toEqual([["hello"]]);
        pull.close();
        if (row.events === null) {
          await pullLog.waitFor("end");
          expect(pullLog.types()).toEqual(["end"]);
          expect(pushLog.types()).toEqual([]);
          return;
        }
        await pullLog.waitFor("end");
        expect(pullLog.types()).toEqual(["bind", "accept", "handshake", "close", "end"]);
        const { dial, refusedAttempt } = row.events;
        await pushLog.waitFor("connect:retry", { count: 2 });
        expect(pushLog.types().slice(0, dial.length + 2 + refusedAttempt.length)).toEqual([
          ...dial,
          "disconnect",
          "connect:retry",
          ...refusedAttempt,
        ]);
        expect(pushLog.events.every((event) => event.address === endpoint)).toBe(true);
      },
    );
  },
  [...TRANSPORTS, ...MULTICAST_TRANSPORTS],
);

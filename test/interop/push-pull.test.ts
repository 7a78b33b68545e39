// PUSH/PULL between bunzmq and libzmq 4.3 (zmtp-notes §6.7, §9 items 7, 12, 14, 18), in one process:
// libzmq's own I/O threads run while the JS thread awaits, so both sides make progress.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { BODY_SIZES, collectFrom, endpointOf, HUGE_BODY, pattern } from "../helpers/payload.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
const HUGE_TIMEOUT = 40_000;
type Order = "bunzmq binds" | "libzmq binds";
const ORDERS: Order[] = ["bunzmq binds", "libzmq binds"];

function libzmqSocket(type: number): LibzmqSocket {
  return cleanup.libzmq().socket(type);
}

/** A bunzmq PUSH and a libzmq PULL joined in the given order. */
async function pushToLibzmq(order: Order): Promise<{ push: Push; pull: LibzmqSocket }> {
  const push = cleanup.track(new Push({ linger: 0 }));
  const pull = libzmqSocket(ZMQ.PULL);
  if (order === "bunzmq binds") {
    await push.bind(TCP_ANY);
    pull.connect(endpointOf(push));
  } else {
    pull.bind(TCP_ANY);
    push.connect(pull.lastEndpoint);
  }
  return { push, pull };
}

/** A libzmq PUSH and a bunzmq PULL joined in the given order. */
async function libzmqToPull(order: Order): Promise<{ push: LibzmqSocket; pull: Pull }> {
  const pull = cleanup.track(new Pull({ linger: 0 }));
  const push = libzmqSocket(ZMQ.PUSH);
  if (order === "bunzmq binds") {
    await pull.bind(TCP_ANY);
    push.connect(endpointOf(pull));
  } else {
    push.bind(TCP_ANY);
    pull.connect(push.lastEndpoint);
  }
  return { push, pull };
}

/** A bunzmq PULL and two libzmq PUSHers, joined in the given order, both handshakes done. */
async function pullWithTwoPushers(
  order: Order,
  options: ConstructorParameters<typeof Pull>[0],
): Promise<{ pull: Pull; pushers: LibzmqSocket[] }> {
  const pull = cleanup.track(new Pull({ linger: 0, ...options }));
  const log = new EventLog(pull);
  const pushers = [libzmqSocket(ZMQ.PUSH), libzmqSocket(ZMQ.PUSH)];
  if (order === "bunzmq binds") {
    await pull.bind(TCP_ANY);
    for (const push of pushers) push.connect(endpointOf(pull));
  } else {
    for (const push of pushers) {
      push.bind(TCP_ANY);
      pull.connect(push.lastEndpoint);
    }
  }
  await log.waitFor("handshake", { count: 2 });
  return { pull, pushers };
}

/**
 * Sends ["A"|"B", index, body] from each pusher until libzmq refuses both (EAGAIN) on three
 * consecutive checks; returns how many each sent.
 */
async function fillUntilRefused(pushers: LibzmqSocket[], body: Uint8Array): Promise<number[]> {
  for (const push of pushers) push.setInt(ZMQ.SNDHWM, 2);
  const sent = pushers.map(() => 0);
  let refusedInARow = 0;
  await waitFor(
    () => {
      let refused = 0;
      pushers.forEach((push, i) => {
        if (push.trySend([i === 0 ? "A" : "B", String(sent[i]), body])) sent[i]!++;
        else refused++;
      });
      refusedInARow = refused === pushers.length ? refusedInARow + 1 : 0;
      return refusedInARow >= 3;
    },
    { timeoutMs: 10_000, what: () => `both libzmq PUSHers to be held back by the PULL (sent ${sent.join(" / ")})` },
  );
  return sent;
}

function send(push: Push, message: Parameters<Push["send"]>[0], timeoutMs = 5000): Promise<void> {
  return withTimeout(push.send(message), timeoutMs, "bunzmq PUSH to accept a message");
}

function receive(pull: Pull, timeoutMs = 5000, what = "a message on the bunzmq PULL"): Promise<Buffer[]> {
  return withTimeout(pull.receive(), timeoutMs, what);
}

describe("bunzmq PUSH to libzmq PULL", () => {
  for (const order of ORDERS) {
    test(
      `bodies of 0, 1, 255, 256 bytes and 1 MiB arrive intact when ${order}`,
      async () => {
        const { push, pull } = await pushToLibzmq(order);
        for (const size of BODY_SIZES) {
          const body = pattern(size, size);
          await send(push, body);
          const received = await pull.receive();
          expect(received.length).toBe(1);
          expect(received[0]!.length).toBe(size);
          expect(received[0]!.equals(body)).toBe(true);
        }
      },
      TEST_TIMEOUT,
    );

    test(
      `a 16 MiB body arrives intact when ${order}`,
      async () => {
        const { push, pull } = await pushToLibzmq(order);
        const body = pattern(HUGE_BODY, 3);
        await send(push, [body, "end"], 20_000);
        const [big, end] = await pull.receive(20_000);
        expect(big!.length).toBe(HUGE_BODY);
        expect(big!.equals(body)).toBe(true);
        expect(String(end)).toBe("end");
      },
      HUGE_TIMEOUT,
    );

    test(
      `the multipart message ["", "", "x", ""] keeps every empty frame when ${order}`,
      async () => {
        const { push, pull } = await pushToLibzmq(order);
        await send(push, ["", "", "x", ""]);
        await send(push, [new Uint8Array([1, 2]), ""]);
        expect((await pull.receive()).map(String)).toEqual(["", "", "x", ""]);
        expect(await pull.receive()).toEqual([Buffer.from([1, 2]), Buffer.alloc(0)]);
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "a bound PUSH round-robins 100 messages 50/50 over two connected libzmq PULLs",
    async () => {
      const push = cleanup.track(new Push({ linger: 0 }));
      const log = new EventLog(push);
      await push.bind(TCP_ANY);
      const pulls = [libzmqSocket(ZMQ.PULL), libzmqSocket(ZMQ.PULL)];
      for (const pull of pulls) pull.connect(endpointOf(push));
      await log.waitFor("handshake", { count: 2 });

      for (let i = 0; i < 100; i++) await send(push, `m${i}`);
      const [first, second] = await collectFrom(pulls, 100);
      expect([first!.length, second!.length]).toEqual([50, 50]);
      expectAscending(first!.map(([f]) => f!));
      expectAscending(second!.map(([f]) => f!));
    },
    TEST_TIMEOUT,
  );

  test(
    "a PUSH connected to two bound libzmq PULLs round-robins 100 messages 50/50",
    async () => {
      const push = cleanup.track(new Push({ linger: 0 }));
      const log = new EventLog(push);
      const pulls = [libzmqSocket(ZMQ.PULL), libzmqSocket(ZMQ.PULL)];
      for (const pull of pulls) {
        pull.bind(TCP_ANY);
        push.connect(pull.lastEndpoint);
      }
      await log.waitFor("handshake", { count: 2 });

      for (let i = 0; i < 100; i++) await send(push, `m${i}`);
      const [first, second] = await collectFrom(pulls, 100);
      expect([first!.length, second!.length]).toEqual([50, 50]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a PUSH held back by a libzmq PULL that stopped reading resumes once it reads",
    async () => {
      const pull = libzmqSocket(ZMQ.PULL);
      pull.setInt(ZMQ.RCVHWM, 2);
      pull.bind(TCP_ANY);
      const push = cleanup.track(new Push({ linger: 0, sendHighWaterMark: 2 }));
      push.connect(pull.lastEndpoint);
      const body = pattern(256 * 1024);
      let sent = 0;
      let refusedInARow = 0;
      await waitFor(
        () => {
          if (push.trySend([String(sent), body])) {
            sent++;
            refusedInARow = 0;
          } else {
            refusedInARow++;
          }
          return refusedInARow >= 3;
        },
        { timeoutMs: 10_000, what: () => `the bunzmq PUSH to be held back by the libzmq PULL (sent ${sent})` },
      );

      const [received] = await collectFrom([pull], sent, 10_000);
      expect(received!.map(([index]) => Number(index))).toEqual(Array.from({ length: sent }, (_, i) => i));
      await send(push, ["after", "back-pressure"]);
      expect((await pull.receive()).map(String)).toEqual(["after", "back-pressure"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "messages sent while the libzmq PULL is down arrive once a new PULL binds the same endpoint",
    async () => {
      const first = libzmqSocket(ZMQ.PULL);
      first.bind(TCP_ANY);
      const endpoint = first.lastEndpoint;
      const push = cleanup.track(new Push({ linger: 0, reconnectInterval: 50 }));
      const log = new EventLog(push);
      push.connect(endpoint);
      await send(push, "before");
      expect((await first.receive()).map(String)).toEqual(["before"]);

      first.close();
      await log.waitFor("disconnect");
      for (let i = 0; i < 3; i++) await send(push, ["while-down", String(i)]);
      const second = libzmqSocket(ZMQ.PULL);
      second.bind(endpoint);

      const [messages] = await collectFrom([second], 3, 10_000);
      expect(messages).toEqual([
        ["while-down", "0"],
        ["while-down", "1"],
        ["while-down", "2"],
      ]);
      await send(push, "after");
      expect((await second.receive()).map(String)).toEqual(["after"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a bunzmq PUSH refuses a libzmq PUSH peer with a socket-type mismatch",
    async () => {
      const peer = libzmqSocket(ZMQ.PUSH);
      const monitor = peer.monitor();
      peer.bind(TCP_ANY);
      const push = cleanup.track(new Push({ linger: 0 }));
      const log = new EventLog(push);
      push.connect(peer.lastEndpoint);

      await expectMismatchRefused(log, monitor);
    },
    TEST_TIMEOUT,
  );

  test(
    "a bound bunzmq PUSH refuses a connecting libzmq PUSH with a socket-type mismatch",
    async () => {
      const push = cleanup.track(new Push({ linger: 0 }));
      const log = new EventLog(push);
      await push.bind(TCP_ANY);
      const peer = libzmqSocket(ZMQ.PUSH);
      const monitor = peer.monitor();
      peer.connect(endpointOf(push));

      await expectMismatchRefused(log, monitor);
    },
    TEST_TIMEOUT,
  );
});

describe("libzmq PUSH to bunzmq PULL", () => {
  for (const order of ORDERS) {
    test(
      `bodies of 0, 1, 255, 256 bytes and 1 MiB arrive intact when ${order}`,
      async () => {
        const { push, pull } = await libzmqToPull(order);
        for (const size of BODY_SIZES) {
          const body = pattern(size, size + 1);
          await push.send([body]);
          const received = await receive(pull);
          expect(received.length).toBe(1);
          expect(received[0]!.length).toBe(size);
          expect(received[0]!.equals(body)).toBe(true);
        }
      },
      TEST_TIMEOUT,
    );

    test(
      `a 16 MiB body arrives intact when ${order}`,
      async () => {
        const { push, pull } = await libzmqToPull(order);
        const body = pattern(HUGE_BODY, 5);
        await push.send(["start", body], 20_000);
        const [start, big] = await receive(pull, 20_000);
        expect(String(start)).toBe("start");
        expect(big!.length).toBe(HUGE_BODY);
        expect(big!.equals(body)).toBe(true);
      },
      HUGE_TIMEOUT,
    );

    test(
      `the multipart message ["", "", "x", ""] keeps every empty frame when ${order}`,
      async () => {
        const { push, pull } = await libzmqToPull(order);
        await push.send(["", "", "x", ""]);
        await push.send(["", new Uint8Array([9])]);
        expect((await receive(pull)).map(String)).toEqual(["", "", "x", ""]);
        expect(await receive(pull)).toEqual([Buffer.alloc(0), Buffer.from([9])]);
      },
      TEST_TIMEOUT,
    );

    test(
      `messages from two libzmq PUSHers both arrive, each in order, when ${order}`,
      async () => {
        const { pull, pushers } = await pullWithTwoPushers(order, {});
        // Lockstep rounds: whatever the fair-queue order, each round must yield one message from each.
        for (let round = 0; round < 50; round++) {
          await pushers[0]!.send(["A", String(round)]);
          await pushers[1]!.send(["B", String(round)]);
          const pair = [(await receive(pull)).map(String), (await receive(pull)).map(String)];
          expect(pair.sort()).toEqual([
            ["A", String(round)],
            ["B", String(round)],
          ]);
        }
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "a PULL whose queues hold messages from two libzmq PUSHers alternates between them",
    async () => {
      // Back-pressure makes this deterministic: once both pushers are refused by libzmq (SNDHWM 2 and
      // full TCP buffers), the PULL has stopped reading both, so both of its queues are at
      // receiveHighWaterMark (4) and fair-queuing must alternate (zmtp-notes §6.1).
      const { pull, pushers } = await pullWithTwoPushers("bunzmq binds", { receiveHighWaterMark: 4 });
      const sent = await fillUntilRefused(pushers, pattern(256 * 1024));

      const sources: string[] = [];
      const bySource: Record<string, number[]> = { A: [], B: [] };
      const total = sent[0]! + sent[1]!;
      for (let n = 0; n < total; n++) {
        const what = `message ${n + 1} of ${total} (after ${sources.join("")})`;
        const [source, index] = (await receive(pull, 5000, what)).map(String);
        sources.push(source!);
        bySource[source!]!.push(Number(index));
      }
      expect(sources.slice(0, 4).sort()).toEqual(["A", "A", "B", "B"]);
      expect(sources[0]).not.toBe(sources[1]);
      expect(bySource.A).toEqual(Array.from({ length: sent[0]! }, (_, i) => i));
      expect(bySource.B).toEqual(Array.from({ length: sent[1]! }, (_, i) => i));
    },
    TEST_TIMEOUT,
  );

  test(
    "a burst far beyond receiveHighWaterMark is delivered completely once the PULL drains",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, receiveHighWaterMark: 10 }));
      await pull.bind(TCP_ANY);
      const push = libzmqSocket(ZMQ.PUSH);
      push.setInt(ZMQ.SNDHWM, 0); // unlimited on the libzmq side: the whole burst is queued at once
      push.connect(endpointOf(pull));
      const count = 5000;
      for (let i = 0; i < count; i++) await push.send([String(i)]);
      for (let i = 0; i < count; i++) {
        expect((await receive(pull, 5000, `message ${i} of ${count}`)).map(String)).toEqual([String(i)]);
      }
    },
    TEST_TIMEOUT,
  );

  test(
    "a bound PULL keeps receiving from a libzmq PUSH that reconnects after its socket was replaced",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0 }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const first = libzmqSocket(ZMQ.PUSH);
      first.connect(endpointOf(pull));
      await first.send(["one"]);
      expect((await receive(pull)).map(String)).toEqual(["one"]);

      first.close();
      await log.waitFor("disconnect");
      const second = libzmqSocket(ZMQ.PUSH);
      second.connect(endpointOf(pull));
      await second.send(["two"]);
      expect((await receive(pull)).map(String)).toEqual(["two"]);
      await waitFor(() => log.count("handshake") >= 2, { what: "a second handshake on the bunzmq PULL" });
    },
    TEST_TIMEOUT,
  );
});

/**
 * Both ends refuse a PUSH ↔ PUSH handshake. Usually we read libzmq's READY and refuse it; on a
 * loaded machine libzmq may refuse ours and close first, which we see as a handshake lost (EPIPE or
 * ECONNRESET), as the monitor-events interop test records for the other direction.
 */
async function expectMismatchRefused(log: EventLog, monitor: ReturnType<LibzmqSocket["monitor"]>): Promise<void> {
  await log.waitFor("disconnect");
  const refusals = log.events.filter((event) => event.type.startsWith("handshake:error:"));
  expect(refusals).toHaveLength(1);
  const refusal = refusals[0]!;
  if (refusal.type === "handshake:error:protocol") expect(refusal.error?.code).toBe("ERR_ZMTP_SOCKET_TYPE_MISMATCH");
  else expect(["EPIPE", "ECONNRESET"]).toContain(String(refusal.error?.code));
  await monitor.waitFor("DISCONNECTED");
  expect(monitor.names()).not.toContain("HANDSHAKE_SUCCEEDED");
  expect(log.count("handshake")).toBe(0);
}

function expectAscending(frames: string[]): void {
  const numbers = frames.map((f) => Number(f.slice(1)));
  expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
}

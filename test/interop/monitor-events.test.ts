// Monitor event sequences: bunzmq's `socket.events` against libzmq 4.3.4's zmq_socket_monitor in the
// same scenario (zmtp-notes §8). Each scenario runs twice, once with a libzmq socket and once with a
// bunzmq socket as the subject, against the same kind of counterpart (a libzmq socket or a raw TCP
// peer), and the two sequences must match after libzmq's names are mapped to zeromq.js's.
//
// Where bunzmq says more than libzmq, the test names the addition and checks the rest still matches:
// - a socket-type mismatch also reports "handshake:error:protocol" (libzmq 4.3.4 reports only the
//   disconnect, so a user cannot tell why the peer went away).
// Sequences that go on for ever (redials) are compared up to their second "connect:retry".

import { describe, expect, test } from "bun:test";
import type { LibzmqMonitor, MonitorEventName } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { waitFor } from "../helpers/wait.ts";
import { command, concat, greeting } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
const RECONNECT_MS = 50;
// Short only where the time-out is the subject; elsewhere a loaded machine must not fail handshakes.
const SHORT_HANDSHAKE_MS = 200;
const HANDSHAKE_MS = 10_000;

/** libzmq's monitor events under zeromq.js's names (its `Observer` maps them the same way). */
const ZEROMQ_JS_NAME: Partial<Record<MonitorEventName, string>> = {
  LISTENING: "bind",
  BIND_FAILED: "bind:error",
  ACCEPTED: "accept",
  ACCEPT_FAILED: "accept:error",
  CONNECTED: "connect",
  CONNECT_DELAYED: "connect:delay",
  CONNECT_RETRIED: "connect:retry",
  CLOSED: "close",
  CLOSE_FAILED: "close:error",
  DISCONNECTED: "disconnect",
  MONITOR_STOPPED: "end",
  HANDSHAKE_SUCCEEDED: "handshake",
  HANDSHAKE_FAILED_NO_DETAIL: "handshake:error:other",
  HANDSHAKE_FAILED_PROTOCOL: "handshake:error:protocol",
  HANDSHAKE_FAILED_AUTH: "handshake:error:auth",
};

/** One socket under observation, either library; every option that shapes the sequence is the same. */
interface Subject {
  bind(): Promise<string>;
  connect(endpoint: string): void;
  close(): void;
  /** Event names so far, oldest first, in zeromq.js's vocabulary. */
  types(): string[];
}

type SubjectFactory = (type: "PUSH" | "PULL", handshakeMs?: number) => Subject;

const bunzmqSubject: SubjectFactory = (type, handshakeMs = HANDSHAKE_MS) => {
  const options = { linger: 0, reconnectInterval: RECONNECT_MS, handshakeInterval: handshakeMs };
  const socket = cleanup.track(type === "PUSH" ? new Push(options) : new Pull(options));
  const log = new EventLog(socket);
  return {
    async bind() {
      await socket.bind(TCP_ANY);
      return socket.lastEndpoint!;
    },
    connect: (endpoint) => socket.connect(endpoint),
    close: () => socket.close(),
    types: () => log.types(),
  };
};

const libzmqSubject: SubjectFactory = (type, handshakeMs = HANDSHAKE_MS) => {
  const socket = cleanup.libzmq().socket(type === "PUSH" ? ZMQ.PUSH : ZMQ.PULL);
  socket.setInt(ZMQ.RECONNECT_IVL, RECONNECT_MS);
  socket.setInt(ZMQ.HANDSHAKE_IVL, handshakeMs);
  const monitor: LibzmqMonitor = socket.monitor();
  cleanup.add(() => monitor.close());
  return {
    async bind() {
      socket.bind(TCP_ANY);
      return socket.lastEndpoint;
    },
    connect: (endpoint) => socket.connect(endpoint),
    close: () => socket.close({ linger: 0 }),
    types: () => monitor.names().map((name) => ZEROMQ_JS_NAME[name as MonitorEventName] ?? name),
  };
};

function count(subject: Subject, type: string): number {
  return subject.types().filter((t) => t === type).length;
}

async function until(subject: Subject, type: string, times = 1): Promise<void> {
  await waitFor(() => count(subject, type) >= times, {
    what: () => `${times} "${type}" event(s); seen: ${subject.types().join(", ") || "none"}`,
  });
}

/** Waits until a dial ends in a disconnect that is not a lost handshake (those are redialled). */
async function untilRefused(subject: Subject): Promise<void> {
  await waitFor(
    () => {
      const types = subject.types();
      const at = types.lastIndexOf("disconnect");
      return at > 0 && types[at - 1] !== "handshake:error:other";
    },
    { what: () => `a refused dial; seen: ${subject.types().join(", ") || "none"}` },
  );
}

/** The events of the last dial: from its "connect" on. */
function lastAttempt(types: string[]): string[] {
  return types.slice(types.lastIndexOf("connect"));
}

/** The sequence up to and including the `n`th event of `type`. */
function upTo(types: string[], type: string, n: number): string[] {
  let seen = 0;
  const end = types.findIndex((t) => t === type && ++seen === n);
  return end < 0 ? types : types.slice(0, end + 1);
}

/** A libzmq socket the subject talks to; the same for both subjects. */
function counterpart(type: number) {
  return cleanup.libzmq().socket(type);
}

/** A PUSH subject connecting to a libzmq peer of `type` bound on loopback. */
function pushConnectedTo(make: SubjectFactory, type: number) {
  const peer = counterpart(type);
  peer.bind(TCP_ANY);
  const push = make("PUSH");
  push.connect(peer.lastEndpoint);
  return { peer, push };
}

/** Closes the subject and returns its whole sequence, which ends with "end". */
async function closeToEnd(subject: Subject): Promise<string[]> {
  subject.close();
  await until(subject, "end");
  return subject.types();
}

/**
 * An endpoint nobody listens on: a port bound and released a moment ago. Released by Bun, which
 * closes the listener at once; libzmq closes its listener later, on its I/O thread, so on a loaded
 * machine a libzmq-released port could still accept the first dial.
 */
function refusingEndpoint(): string {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const endpoint = `tcp://127.0.0.1:${listener.port}`;
  listener.stop(true);
  return endpoint;
}

/** Runs a scenario against both libraries and returns both sequences. */
async function both(scenario: (make: SubjectFactory) => Promise<string[]>): Promise<{ libzmq: string[]; bunzmq: string[] }> {
  return { libzmq: await scenario(libzmqSubject), bunzmq: await scenario(bunzmqSubject) };
}

describe("monitor events follow libzmq's sequences (zmtp-notes §8)", () => {
  test(
    "bind side: a peer connects, handshakes and leaves; then the socket closes",
    async () => {
      const seen = await both(async (make) => {
        const pull = make("PULL");
        const peer = counterpart(ZMQ.PUSH);
        peer.connect(await pull.bind());
        await until(pull, "handshake");
        peer.close();
        await until(pull, "disconnect");
        return closeToEnd(pull);
      });
      expect(seen.libzmq).toEqual(["bind", "accept", "handshake", "disconnect", "close", "end"]);
      expect(seen.bunzmq).toEqual(seen.libzmq);
    },
    TEST_TIMEOUT,
  );

  test(
    "connect side: closing a connected socket reports no disconnect, only the end",
    async () => {
      const seen = await both(async (make) => {
        const { push } = pushConnectedTo(make, ZMQ.PULL);
        await until(push, "handshake");
        return closeToEnd(push);
      });
      expect(seen.libzmq).toEqual(["connect:delay", "connect", "handshake", "end"]);
      expect(seen.bunzmq).toEqual(seen.libzmq);
    },
    TEST_TIMEOUT,
  );

  test(
    "connect side: the peer goes away; each refused redial is delayed, closed and retried",
    async () => {
      const seen = await both(async (make) => {
        const { peer, push } = pushConnectedTo(make, ZMQ.PULL);
        await until(push, "handshake");
        peer.close();
        await until(push, "connect:retry", 2);
        return closeToEnd(push);
      });
      const expected = ["connect:delay", "connect", "handshake", "disconnect", "connect:retry", "connect:delay", "close", "connect:retry"];
      expect(upTo(seen.libzmq, "connect:retry", 2)).toEqual(expected);
      expect(upTo(seen.bunzmq, "connect:retry", 2)).toEqual(expected);
      expect(seen.bunzmq.at(-1)).toBe("end");
    },
    TEST_TIMEOUT,
  );

  test(
    "connect side: nobody listens; every attempt is delayed, closed and retried",
    async () => {
      const endpoint = refusingEndpoint();
      const seen = await both(async (make) => {
        const push = make("PUSH");
        push.connect(endpoint);
        await until(push, "connect:retry", 2);
        return closeToEnd(push);
      });
      const expected = ["connect:delay", "close", "connect:retry", "connect:delay", "close", "connect:retry"];
      expect(upTo(seen.libzmq, "connect:retry", 2)).toEqual(expected);
      expect(upTo(seen.bunzmq, "connect:retry", 2)).toEqual(expected);
    },
    TEST_TIMEOUT,
  );

  test(
    "bind side: a peer that never sends its greeting fails the handshake at handshakeInterval",
    async () => {
      const seen = await both(async (make) => {
        const pull = make("PULL", SHORT_HANDSHAKE_MS);
        const raw = cleanup.track(await RawPeer.connect(await pull.bind()));
        await until(pull, "disconnect");
        raw.close();
        return pull.types();
      });
      expect(seen.libzmq).toEqual(["bind", "accept", "handshake:error:other", "disconnect"]);
      expect(seen.bunzmq).toEqual(seen.libzmq);
    },
    TEST_TIMEOUT,
  );

  test(
    "bind side: a command out of sequence in the handshake is a protocol failure",
    async () => {
      const seen = await both(async (make) => {
        const pull = make("PULL");
        const raw = cleanup.track(await RawPeer.connect(await pull.bind()));
        raw.write(concat(greeting(), command("HELLO", new Uint8Array([0]))));
        await until(pull, "disconnect");
        raw.close();
        return pull.types();
      });
      expect(seen.libzmq).toEqual(["bind", "accept", "handshake:error:protocol", "disconnect"]);
      expect(seen.bunzmq).toEqual(seen.libzmq);
    },
    TEST_TIMEOUT,
  );

  test(
    "connect side: a socket-type mismatch disconnects without a redial (bunzmq also says why)",
    async () => {
      const seen = await both(async (make) => {
        const { push } = pushConnectedTo(make, ZMQ.PUSH);
        await untilRefused(push);
        return push.types();
      });
      // Both ends refuse the mismatch: libzmq's connecter silently, bunzmq's as a protocol error.
      // Usually each reads the binder's READY and refuses it; on a loaded machine the binder's close
      // can reach the connecter first, a lost handshake (libzmq: NO_DETAIL, EPIPE; bunzmq:
      // handshake:error:other), which both redial until an attempt reads the READY.
      expect(lastAttempt(seen.libzmq)).toEqual(["connect", "disconnect"]);
      expect(lastAttempt(seen.bunzmq)).toEqual(["connect", "handshake:error:protocol", "disconnect"]);
      const lostAttempts = new Set(["connect:delay", "connect", "handshake:error:other", "disconnect", "connect:retry"]);
      for (const types of [seen.libzmq, seen.bunzmq]) {
        const before = types.slice(0, types.lastIndexOf("connect"));
        expect(before[0]).toBe("connect:delay");
        expect(before.filter((type) => !lostAttempts.has(type))).toEqual([]);
      }
    },
    TEST_TIMEOUT,
  );
});

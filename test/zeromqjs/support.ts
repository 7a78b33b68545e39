// Shared fixtures for test/zeromqjs: our own tests of the behaviours zeromq.js's unit suite checks.
// Endpoints per transport, sockets closed after each test, errors checked field by field as zeromq.js
// code reads them (message, code, errno, address), and bounded waits for events and messages.

import { afterAll, afterEach, describe, expect } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pull, type Event, type EventOfType, type EventType, type Socket } from "../../src/index.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

export { waitFor, withTimeout };

export type Transport = "tcp" | "ipc" | "inproc";
export const ALL_TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "inproc"];

/** One describe block per transport, as zeromq.js repeats each file for its protocols. */
export function forEachTransport(transports: readonly Transport[], body: (transport: Transport) => void): void {
  for (const transport of transports) describe(`over ${transport}`, () => body(transport));
}

// One directory for the process's ipc paths. Bun runs test files in one process with this module
// loaded once, so each file's afterAll removes it and the next ipc endpoint makes it again.
const IPC_DIR = mkdtempSync(join(tmpdir(), "bunzmq-zeromqjs-"));
afterAll(() => rmSync(IPC_DIR, { recursive: true, force: true }));
let counter = 0;

/** An endpoint to bind: tcp on any free loopback port (read `lastEndpoint` back), a new ipc path or inproc name. */
export function freshEndpoint(transport: Transport): string {
  const id = `${process.pid}-${++counter}`;
  if (transport === "tcp") return "tcp://127.0.0.1:*";
  if (transport === "inproc") return `inproc://zeromqjs-${id}`;
  mkdirSync(IPC_DIR, { recursive: true });
  return `ipc://${IPC_DIR}/socket-${id}`;
}

/** A concrete endpoint nothing listens on; for tcp a port a throwaway socket bound and released. */
export function vacantEndpoint(transport: Transport): string {
  if (transport !== "tcp") return freshEndpoint(transport);
  const probe = new Pull({ linger: 0 });
  try {
    probe.bindSync(freshEndpoint("tcp"));
    return probe.lastEndpoint!;
  } finally {
    probe.close();
  }
}

type SocketClass<T extends Socket> = new (options?: never) => T;

export interface Sockets {
  /** A socket with `linger: 0` unless `options` says otherwise, closed after the test. */
  open<T extends Socket>(type: SocketClass<T>, options?: object): T;
  /** Closes `socket` after the test (for sockets a test constructs itself). */
  track<T extends Socket>(socket: T): T;
}

/** Call once at the top level of a test file. */
export function useSockets(): Sockets {
  const opened: Socket[] = [];
  afterEach(() => {
    for (let socket = opened.pop(); socket !== undefined; socket = opened.pop()) socket.close();
  });
  return {
    open(type, options = {}) {
      const socket = new type({ linger: 0, ...options } as never);
      opened.push(socket);
      return socket;
    },
    track(socket) {
      opened.push(socket);
      return socket;
    },
  };
}

/** What zeromq.js code reads from an error: its text, code, a numeric errno and, for endpoints, the address. */
export interface ExpectedError {
  message: string;
  code: string;
  address?: string;
}

function checkError(error: unknown, expected: ExpectedError): Error & { code: string; errno: number } {
  expect(error).toBeInstanceOf(Error);
  const actual = error as Error & { code: string; errno: number; address?: string };
  expect({ message: actual.message, code: actual.code }).toEqual({ message: expected.message, code: expected.code });
  expect(typeof actual.errno).toBe("number");
  if ("address" in expected) expect(actual.address).toBe(expected.address);
  return actual;
}

/** `call` must throw synchronously (not return a rejected promise) the error described. */
export function expectThrow(call: () => unknown, expected: ExpectedError): Error & { code: string; errno: number } {
  let outcome: unknown;
  try {
    outcome = call();
  } catch (error) {
    return checkError(error, expected);
  }
  if (outcome instanceof Promise) outcome.catch(() => {});
  throw new Error(
    `expected a synchronous ${expected.code} throw; the call returned ${outcome instanceof Promise ? "a promise" : String(outcome)}`,
  );
}

/** `promise` must reject (within `ms`) with the error described. */
export async function expectRejection(promise: Promise<unknown>, expected: ExpectedError, ms = 5000): Promise<Error & { code: string }> {
  const outcome = await withTimeout(
    promise.then(
      (value) => ({ value, rejected: false }),
      (error: unknown) => ({ value: error, rejected: true }),
    ),
    ms,
    `a ${expected.code} rejection`,
  );
  if (!outcome.rejected) throw new Error(`expected a ${expected.code} rejection; the promise resolved with ${String(outcome.value)}`);
  return checkError(outcome.value, expected);
}

/** The next event of `type` (the observer switches to emitter mode); bounded. */
export function nextEvent<E extends EventType>(socket: Socket, type: E, ms = 5000): Promise<EventOfType<E>> {
  const event = new Promise<EventOfType<E>>((resolve) => {
    socket.events.on<E>(type, (event) => resolve(event));
  });
  return withTimeout(event, ms, `a "${type}" event`);
}

/** Reads the observer (receive mode) until an event of `type`, returning every event read; bounded. */
export function eventsUntil(socket: Socket, type: EventType, ms = 5000): Promise<Event[]> {
  const read = (async () => {
    const events: Event[] = [];
    for await (const event of socket.events) {
      events.push(event);
      if (event.type === type) break;
    }
    return events;
  })();
  return withTimeout(read, ms, `a "${type}" event`);
}

interface Receiver {
  receive(): Promise<Buffer[]>;
  tryReceive(): Buffer[] | null;
}

/** Receives `count` messages, each as its frames in UTF-8; bounded. */
export async function receiveTexts(socket: Receiver, count: number, ms = 5000): Promise<string[][]> {
  const all = (async () => {
    const out: string[][] = [];
    while (out.length < count) out.push((await socket.receive()).map((frame) => frame.toString()));
    return out;
  })();
  return withTimeout(all, ms, `${count} message(s)`);
}

/**
 * Publishes `marker` until `subscriber` receives a copy, so the subscription has reached the
 * publisher and what is published next on that path arrives in order (the slow-joiner problem
 * zeromq.js's tests wait out with a pause). Later copies of the marker are skipped by textsAfterJoin.
 */
export async function untilJoined(publish: (marker: string) => Promise<void>, subscriber: Receiver, marker: string): Promise<void> {
  await waitFor(
    async () => {
      await publish(marker);
      for (let message = subscriber.tryReceive(); message !== null; message = subscriber.tryReceive()) {
        if (message[0]!.toString() === marker) return true;
      }
      return false;
    },
    { what: `the subscription to carry "${marker}" through` },
  );
}

/** The first frames (each checked to be a Buffer) of the next `count` messages that are not `marker`; bounded. */
export async function textsAfterJoin(subscriber: Receiver, marker: string, count: number, ms = 5000): Promise<string[]> {
  const all = (async () => {
    const out: string[] = [];
    while (out.length < count) {
      const [frame] = await subscriber.receive();
      expect(frame).toBeInstanceOf(Buffer);
      const text = frame!.toString();
      if (text !== marker) out.push(text);
    }
    return out;
  })();
  return withTimeout(all, ms, `${count} published message(s)`);
}

/** What `yieldsOfSynchronousRuns` saw. */
export interface SynchronousRuns {
  /** Runs of 512 consecutive operations that completed at once. */
  runs: number;
  /** Those runs whose 512th operation let a setImmediate callback run before it resolved. */
  yielded: number;
  /** Operations that completed at once, were not a run's 512th, and still let one run. */
  yieldedEarly: number;
}

/**
 * Awaits `operation` `count` times and checks each against the event loop. An operation completes
 * at once when `ready()` says so just before it (a message to take, room to send); one that waits
 * starts the count again, as zeromq.js's does. Whether a turn passed is told by a setImmediate
 * callback that keeps rescheduling itself: an operation that resolves in microtasks lets none run.
 */
export async function yieldsOfSynchronousRuns(
  count: number,
  ready: () => boolean,
  operation: () => Promise<unknown>,
): Promise<SynchronousRuns> {
  let turns = 0;
  let running = true;
  const spin = (): void => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const seen: SynchronousRuns = { runs: 0, yielded: 0, yieldedEarly: 0 };
  let run = 0;
  try {
    for (let i = 0; i < count; i++) {
      const atOnce = ready();
      const before = turns;
      await operation();
      const turned = turns !== before;
      if (!atOnce) {
        run = 0;
        continue;
      }
      run++;
      if (run === 512) {
        seen.runs++;
        if (turned) seen.yielded++;
        run = 0;
      } else if (turned) seen.yieldedEarly++;
    }
  } finally {
    running = false;
  }
  return seen;
}

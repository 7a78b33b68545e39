// Shared scaffolding for the API contract suites (test/api) and the RFC suites (test/spec): sockets
// opened through `useSockets()` are closed after each test, and errors are checked by `code`.

import { afterEach, expect } from "bun:test";
import { type Pair, Pull, type Push, type ZmqError, type ZmqErrorCode } from "../../src/index.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

export { waitFor, withTimeout };

/** Bind here and read `lastEndpoint` back; never a literal port. */
export const TCP_ANY = "tcp://127.0.0.1:*";

type AnySocket = Push | Pull | Pair;
// A socket class and the options its constructor takes (a Pull's have no sendHighWaterMark).
type SocketClass<T extends AnySocket, O> = new (options?: O) => T;

export interface Sockets {
  /** Opens a socket with `linger: 0` (overridable) and closes it after the test. */
  open<T extends AnySocket, O extends object>(type: SocketClass<T, O>, options?: O): T;
  /**
   * Opens a socket and binds it to `address` (by default a fresh loopback port); returns it with
   * its resolved endpoint.
   */
  bound<T extends AnySocket, O extends object>(
    type: SocketClass<T, O>,
    options?: O,
    address?: string,
  ): Promise<{ socket: T; endpoint: string }>;
  /**
   * A loopback endpoint with a real port that nothing listens on: a throwaway socket binds port *,
   * reads the port and unbinds. Connecting there gives a pipe whose peer never comes up.
   */
  unusedEndpoint(): Promise<string>;
}

/** Call once at the top level of a test file. */
export function useSockets(): Sockets {
  const opened: AnySocket[] = [];
  afterEach(() => {
    for (let socket = opened.pop(); socket !== undefined; socket = opened.pop()) socket.close();
  });
  const sockets: Sockets = {
    open(type, options) {
      const socket = new type({ linger: 0, ...options } as typeof options);
      opened.push(socket);
      return socket;
    },
    async bound(type, options, address = TCP_ANY) {
      const socket = sockets.open(type, options);
      await socket.bind(address);
      return { socket, endpoint: endpointOf(socket) };
    },
    unusedEndpoint,
  };
  return sockets;
}

/** A loopback endpoint with a real port that nothing listens on (a throwaway PULL bound and unbound it). */
export async function unusedEndpoint(): Promise<string> {
  const pull = new Pull({ linger: 0 });
  try {
    await pull.bind(TCP_ANY);
    const endpoint = endpointOf(pull);
    pull.unbindSync(endpoint);
    return endpoint;
  } finally {
    pull.close();
  }
}

export function endpointOf(socket: { readonly lastEndpoint: string | null }): string {
  const endpoint = socket.lastEndpoint;
  if (endpoint === null) throw new Error("socket has no lastEndpoint");
  return endpoint;
}

/**
 * Runs `call`, which must throw synchronously (not return a rejected promise), and returns the error
 * after checking its `code`.
 */
export function syncError(call: () => unknown, code: ZmqErrorCode): ZmqError {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    expect((error as ZmqError).code).toBe(code);
    return error as ZmqError;
  }
  if (result instanceof Promise) result.catch(() => {});
  throw new Error(
    `expected a synchronous ${code} throw, but the call returned ${result instanceof Promise ? "a promise" : String(result)}`,
  );
}

/** Awaits `promise`, which must reject (within `ms`) with `code`; returns the error. */
export async function rejection(promise: Promise<unknown>, code: ZmqErrorCode, ms = 5000): Promise<ZmqError> {
  const outcome = await withTimeout(
    promise.then(
      (value) => ({ rejected: false as const, value }),
      (error: unknown) => ({ rejected: true as const, error }),
    ),
    ms,
    `a ${code} rejection`,
  );
  if (!outcome.rejected) throw new Error(`expected a ${code} rejection, got a resolution with ${String(outcome.value)}`);
  expect((outcome.error as ZmqError).code).toBe(code);
  return outcome.error as ZmqError;
}

/** The frames of a received message as UTF-8 strings. */
export function strings(message: Buffer[]): string[] {
  return message.map((frame) => frame.toString("utf8"));
}

/** Receives one message within `ms`, as strings. */
export async function receiveText(socket: Pull | Pair, ms = 5000): Promise<string[]> {
  return strings(await withTimeout(socket.receive(), ms, "a message"));
}

/** Receives `count` messages within `ms`, each as its frames joined by "|". */
export async function receiveMany(socket: Pull | Pair, count: number, ms = 10_000): Promise<string[]> {
  const out: string[] = [];
  const all = (async () => {
    while (out.length < count) out.push(strings(await socket.receive()).join("|"));
  })();
  await withTimeout(all, ms, `${count} messages`).catch((error: Error) => {
    throw new Error(`${error.message} (received ${out.length}: ${out.slice(-5).join(", ")} ...)`);
  });
  return out;
}

/** Records the events of one type from a socket's observer (emitter mode). */
export function record<T extends AnySocket>(socket: T, type: "handshake" | "disconnect" | "connect" | "accept") {
  const seen: Array<{ address?: string }> = [];
  socket.events.on(type, (event) => void seen.push(event));
  return {
    seen,
    /** Waits until `count` events have been seen. */
    until: (count: number, ms = 5000) =>
      waitFor(() => seen.length >= count, { timeoutMs: ms, what: () => `${count} "${type}" event(s), have ${seen.length}` }),
  };
}

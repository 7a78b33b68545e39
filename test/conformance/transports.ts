// The transports the conformance suite and the RFC spec suites run over: one row per transport.
// A new transport (ws, udp, pgm) joins every case by adding a row here; what it does differently is
// data in its row (its monitor events, what linger drops); a case it cannot meet is a gap with the
// reason, which the suite turns into an explicit skip, and a case where bunzmq does not yet do what
// ZeroMQ does is a known divergence, run as an expected failure.

import { describe, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventType, Socket } from "../../src/index.ts";
import { waitFor } from "../helpers/wait.ts";

/** The cases of transport-conformance.test.ts, by the names a row's `gaps` and `knownDivergences` use. */
export type ConformanceCase =
  | "refused dial"
  | "duplicate bind"
  | "exchange"
  | "huge message"
  | "reconnect"
  | "close with linger"
  | "close with linger 0"
  | "monitor events";

/** Monitor event sequences as libzmq 4.3.4 reports them over the transport (zeromq.js's names). */
export interface TransportEvents {
  /** The connecting socket's events for a dial that reaches a listener, up to the handshake. */
  readonly dial: readonly EventType[];
  /** The connecting socket's events for one refused dial; every retry repeats them. */
  readonly refusedAttempt: readonly EventType[];
}

export interface TransportRow {
  /** The scheme, as test names show it. */
  readonly name: string;
  /** An endpoint to bind; it may be a wildcard, so read `lastEndpoint` back after binding. */
  bindable(): string;
  /** A concrete endpoint nothing is bound to now: a connect waits there, and a later bind can take it. */
  vacant(): string;
  /** Its monitor events, or null when the transport reports none (it must then link pipes within connect()). */
  readonly events: TransportEvents | null;
  /**
   * Whether closing with linger 0 drops what was sent but not yet handed to the peer. False where
   * send() itself puts each message in the peer's queue: then there is nothing to drop, and the
   * peer can read every message as soon as close() returns.
   */
  readonly lingerZeroDrops: boolean;
  /** The cases this transport cannot meet, each with the reason. */
  readonly gaps: Partial<Record<ConformanceCase, string>>;
  /**
   * The cases where bunzmq differs from ZeroMQ over this transport, each with what differs. They
   * run as expected failures: fixing one fails the run until its entry goes.
   */
  readonly knownDivergences: Partial<Record<ConformanceCase, string>>;
}

let counter = 0;
const unique = (): string => `${process.pid}-${++counter}`;

export const TCP: TransportRow = {
  name: "tcp",
  bindable: () => "tcp://127.0.0.1:*",
  vacant() {
    // Bun closes its listener at once, so the port refuses the next dial (until something binds it).
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    listener.stop(true);
    return `tcp://127.0.0.1:${listener.port}`;
  },
  events: {
    dial: ["connect:delay", "connect", "handshake"],
    refusedAttempt: ["connect:delay", "close", "connect:retry"],
  },
  lingerZeroDrops: true,
  gaps: {},
  knownDivergences: {},
};

export const IPC: TransportRow = {
  name: "ipc",
  // A fresh path in a private directory that close() removes again.
  bindable: () => "ipc://*",
  // Nothing creates the file until a bind does, and closing that bind removes it.
  vacant: () => `ipc://${join(tmpdir(), `bunzmq-conformance-${unique()}.sock`)}`,
  events: {
    // A Unix-domain connect completes or fails at once, so libzmq reports no CONNECT_DELAYED over ipc.
    dial: ["connect", "handshake"],
    refusedAttempt: ["close", "connect:retry"],
  },
  lingerZeroDrops: true,
  // libzmq would take over the path of a live listener; bunzmq refuses with EADDRINUSE instead
  // (zmtp-notes §7.3), which the duplicate-bind case checks like tcp's.
  gaps: {},
  knownDivergences: {},
};

export const INPROC: TransportRow = {
  name: "inproc",
  bindable: () => `inproc://conformance-${unique()}`,
  vacant: () => `inproc://conformance-vacant-${unique()}`,
  // As in libzmq, inproc has no connections to report (zmtp-notes §7.4).
  events: null,
  // send() puts each message in the peer socket's queue, as libzmq's inproc does.
  lingerZeroDrops: false,
  gaps: {
    reconnect:
      "libzmq joins an inproc connect to a bind once; when the bound socket goes, a later bind of the name gets nothing from it (inproc.test.ts)",
  },
  knownDivergences: {},
};

export const WS: TransportRow = {
  name: "ws",
  bindable: () => "ws://127.0.0.1:*/conformance",
  vacant() {
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    listener.stop(true);
    return `ws://127.0.0.1:${listener.port}/conformance`;
  },
  // libzmq's ws connecter reports what its tcp connecter does.
  events: {
    dial: ["connect:delay", "connect", "handshake"],
    refusedAttempt: ["connect:delay", "close", "connect:retry"],
  },
  lingerZeroDrops: true,
  gaps: {},
  knownDivergences: {},
};

export const TRANSPORTS: readonly TransportRow[] = [TCP, IPC, INPROC, WS];

/**
 * udp:// carries RADIO/DISH (and DGRAM) only, so it is not among TRANSPORTS, whose cases use PUSH,
 * PULL and PAIR: udp-conformance.test.ts runs the cases that carry over with a Radio and Dishes.
 */
export const UDP: TransportRow = {
  name: "udp",
  bindable() {
    // A bind needs a concrete port. One the kernel just gave a TCP listener is almost surely free
    // for UDP too (the port spaces are separate), and a udp:// bind shares its port anyway.
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    listener.stop(true);
    return `udp://127.0.0.1:${listener.port}`;
  },
  vacant() {
    return this.bindable();
  },
  // As libzmq's udp engine, no connection exists to report.
  events: null,
  // What node:dgram has not sent yet at a close with linger 0 is lost, as libzmq drops its pipe.
  lingerZeroDrops: true,
  gaps: {
    "refused dial":
      "a datagram socket has no dial: a Radio's connect() never fails and never retries, and what it sends before a Dish binds is lost",
    "close with linger 0": "what a closed Radio had not sent is simply gone; UDP gives the Dish no way to tell a drop from a loss",
  },
  knownDivergences: {},
};

/** One describe block per transport, named "over <name>". */
export function forEachTransport(body: (row: TransportRow) => void): void {
  for (const row of TRANSPORTS) describe(`over ${row.name}`, () => body(row));
}

/**
 * Registers `fn` as test `title`; where `row` lists `name` as a gap, as a skipped test giving the
 * reason, and as a known divergence, as an expected failure saying what differs. The default time
 * limit sits above the suite's 5 s waits, so a stuck wait fails with its own name.
 */
export function conformanceTest(
  row: TransportRow,
  name: ConformanceCase,
  title: string,
  fn: () => Promise<void>,
  timeoutMs = 15_000,
): void {
  const gap = row.gaps[name];
  const divergence = row.knownDivergences[name];
  if (gap !== undefined) test.skip(`${name}: ${title} (not over ${row.name}: ${gap})`, fn);
  else if (divergence !== undefined) test.failing(`${name}: ${title} (fails over ${row.name}: ${divergence})`, fn, timeoutMs);
  else test(`${name}: ${title}`, fn, timeoutMs);
}

/**
 * Resolves once `socket` has `count` peers to exchange messages with: their handshakes where the
 * transport reports events; a transport without events links its pipes within connect() (to a
 * bound endpoint), so there is nothing to wait for. Call before connecting; bounded.
 */
export function peersReady(row: TransportRow, socket: Socket, count: number): Promise<void> {
  if (row.events === null) return Promise.resolve();
  let seen = 0;
  socket.events.on("handshake", () => void seen++);
  return waitFor(() => seen >= count, { what: () => `${count} handshake(s) over ${row.name}, have ${seen}` }).then(() => {});
}

/**
 * Resolves once `socket` has seen `count` peers leave: their "disconnect" events where the transport
 * reports events; without events the pipe goes within the peer's close(). Call before closing; bounded.
 */
export function peersGone(row: TransportRow, socket: Socket, count = 1): Promise<void> {
  if (row.events === null) return Promise.resolve();
  let seen = 0;
  socket.events.on("disconnect", () => void seen++);
  return waitFor(() => seen >= count, { what: () => `${count} disconnect(s) over ${row.name}, have ${seen}` }).then(() => {});
}

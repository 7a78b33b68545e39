// What every chaos peer program shares: its configuration (one JSON argument), reports as JSON lines
// on stdout, commands as JSON lines on stdin, its exit when stdin closes (so a peer never outlives
// the process that started it), and monitor events reported with their time. Imports the public API.

import { readLines } from "../../../common/read-lines.ts";
import { Context, type Socket } from "../../../src/index.ts";

/** Wall-clock ms with fractions, comparable with the other processes' (control-protocol.ts). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export function report(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

/** The peer's configuration: the JSON in argv[2]. */
export function config<T>(): T {
  const text = process.argv[2];
  if (text === undefined) {
    process.stderr.write(`usage: bun ${process.argv[1]} '<configuration as JSON>'\n`);
    process.exit(2);
  }
  return JSON.parse(text) as T;
}

/**
 * Calls `onCommand` with each JSON line from stdin; when stdin closes (the owner finished or died),
 * runs `onEnd` (closing sockets) and exits 0.
 */
export function serveCommands(onCommand: (command: { cmd: string; [field: string]: unknown }) => void, onEnd: () => void = () => {}): void {
  (async () => {
    for await (const line of readLines(Bun.stdin.stream())) onCommand(JSON.parse(line));
    onEnd();
    process.exit(0);
  })();
}

/** A context with `ioThreads` I/O threads (0: engines on this thread) and room for `maxSockets`. */
export function makeContext(ioThreads = 0, maxSockets = 1023): Context {
  return new Context({ ioThreads, maxSockets });
}

/** Socket options as the configuration gives them (numbers and booleans by zeromq.js name). */
export type SocketOptionValues = Record<string, number | boolean>;

export function applyOptions(socket: Socket, options: SocketOptionValues = {}): void {
  for (const [name, value] of Object.entries(options)) (socket as unknown as Record<string, unknown>)[name] = value;
}

/** The monitor events the checks time: a connection's start, end and handshake failures. */
const REPORTED_EVENTS = ["connect", "accept", "handshake", "disconnect", "handshake:error:protocol", "handshake:error:other"] as const;

/** Reports `REPORTED_EVENTS` as "monitor" lines with their time and error code. */
export function reportMonitorEvents(socket: Socket, label: string): void {
  for (const type of REPORTED_EVENTS) {
    socket.events.on(type, (event) => {
      const error = "error" in event ? (event.error as { code?: string } | undefined)?.code : undefined;
      report("monitor", { socket: label, type, at: epochMs(), ...(error === undefined ? {} : { error }) });
    });
  }
}

/** Samples this process's RSS (bytes). */
export function rssBytes(): number {
  return process.memoryUsage.rss();
}

/** A message numbered `seq`: [seq as text, payload]. */
export function numbered(seq: number, payload: Uint8Array): [string, Uint8Array] {
  return [String(seq), payload];
}

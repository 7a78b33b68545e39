// A Context's options as zeromq.js defines them (zmq_ctx_set / zmq_ctx_get numbers, libzmq 4.3.4's
// defaults and ranges), as properties and as the numbered getInt32Option/setInt32Option/
// getBoolOption/setBoolOption. Imports core and the value conversions beside it.

import { ZmqError } from "../core/errors.ts";
import { assertArgumentCount, fromOptionValue, toOptionValue } from "./option-values.ts";

/** A Context's options, under zeromq.js's property names, with libzmq 4.3.4's defaults. */
export interface ContextSettings {
  /**
   * Whether new sockets' `linger` starts at -1 (true: close() and process exit wait for queued
   * messages) or 0 (false: they are dropped), as in libzmq.
   * @defaultValue true
   * @libzmq ZMQ_BLOCKY (70)
   */
  blocky: boolean;
  /**
   * Bun Workers that run the sockets' tcp:// and ipc:// connection engines; 0 runs every engine on
   * the application thread. (libzmq's and zeromq.js's default of 1 counts the thread libzmq always
   * needs; bunzmq needs none.) Read when a socket is created. `BUNZMQ_IO_THREADS` sets the default
   * context's.
   * @defaultValue 0
   * @unit threads
   * @libzmq ZMQ_IO_THREADS (1)
   */
  ioThreads: number;
  /**
   * What idle I/O threads sleep on: "atomics" (measured faster) or "eventfd". `BUNZMQ_IO_SIGNALER`
   * sets the default context's.
   * @defaultValue "atomics"
   * @libzmq none (bunzmq addition)
   */
  ioSignaler: "atomics" | "eventfd";
  /**
   * Kept only, as in libzmq 4.3.4, where nothing reads it: a socket's limit is its `maxMessageSize`.
   * @defaultValue 2147483647
   * @unit bytes
   * @libzmq ZMQ_MAX_MSGSZ (5)
   */
  maxMessageSize: number;
  /**
   * The most sockets open at once in this context; creating one more throws EMFILE.
   * @defaultValue 1023
   * @unit sockets
   * @libzmq ZMQ_MAX_SOCKETS (2)
   */
  maxSockets: number;
  /**
   * The `ipv6` option of sockets created afterwards.
   * @defaultValue false
   * @libzmq ZMQ_IPV6 (42)
   */
  ipv6: boolean;
  /**
   * The I/O threads' scheduling priority: validated (0 or more) and kept, since a Bun Worker's
   * scheduling cannot be set. Write-only.
   * @defaultValue -1
   * @libzmq ZMQ_THREAD_PRIORITY (3)
   */
  threadPriority: number;
  /**
   * The I/O threads' scheduling policy: validated and kept, as `threadPriority`. Write-only.
   * @defaultValue -1
   * @libzmq ZMQ_THREAD_SCHED_POLICY (4)
   */
  threadSchedulingPolicy: number;
}

export function defaultContextSettings(): ContextSettings {
  return {
    blocky: true,
    // libzmq's default is 1, the thread libzmq always needs; bunzmq needs none (see Context.ioThreads).
    ioThreads: 0,
    ioSignaler: "atomics",
    maxMessageSize: 2_147_483_647,
    maxSockets: 1023,
    ipv6: false,
    threadPriority: -1,
    threadSchedulingPolicy: -1,
  };
}

/** ZMQ_SOCKET_LIMIT: the largest maxSockets libzmq accepts where its poller has no descriptor limit (epoll). */
const MAX_SOCKETS_LIMIT = 65_535;

interface ContextOptionSpec {
  readonly name: keyof ContextSettings | "maxSocketsLimit";
  readonly id: number | null;
  readonly kind: "int32" | "bool" | "custom";
  readonly access: "rw" | "r" | "w";
  /** Smallest value libzmq accepts (zmq_ctx_set's checks). */
  readonly min?: number;
}

const CONTEXT_OPTIONS: readonly ContextOptionSpec[] = [
  { name: "ioThreads", id: 1, kind: "int32", access: "rw", min: 0 },
  { name: "maxSockets", id: 2, kind: "int32", access: "rw", min: 1 },
  { name: "maxSocketsLimit", id: 3, kind: "int32", access: "r" },
  { name: "threadPriority", id: 3, kind: "int32", access: "w", min: 0 },
  { name: "threadSchedulingPolicy", id: 4, kind: "int32", access: "w", min: 0 },
  { name: "maxMessageSize", id: 5, kind: "int32", access: "rw", min: 0 },
  { name: "ipv6", id: 42, kind: "bool", access: "rw" },
  { name: "blocky", id: 70, kind: "bool", access: "rw" },
  { name: "ioSignaler", id: null, kind: "custom", access: "rw" },
];

function read(settings: ContextSettings, spec: ContextOptionSpec): unknown {
  return spec.name === "maxSocketsLimit" ? MAX_SOCKETS_LIMIT : settings[spec.name];
}

function write(settings: ContextSettings, spec: ContextOptionSpec, value: unknown): void {
  const name = spec.name as keyof ContextSettings;
  if (spec.kind === "custom") {
    if (value !== "atomics" && value !== "eventfd") {
      throw new ZmqError("EINVAL", `Option ioSignaler accepts "atomics" or "eventfd"; got ${String(value)}`);
    }
  } else if (typeof value === "number" && value < (spec.min ?? 0)) {
    throw new ZmqError("EINVAL", `Option ${name} accepts integers from ${spec.min ?? 0}; got ${value}`);
  }
  (settings as unknown as Record<string, unknown>)[name] =
    spec.kind === "bool" && typeof value === "number"
      ? value !== 0
      : spec.name === "maxMessageSize"
        ? Math.min(value as number, 2_147_483_647)
        : value;
}

/**
 * Defines the option properties (read-only and write-only ones as zeromq.js has them) and the
 * numbered accessors on Context's prototype, over the settings `settingsOf` finds for an instance.
 */
export function installContextOptions(prototype: object, settingsOf: (context: object) => ContextSettings): void {
  for (const spec of CONTEXT_OPTIONS) {
    const descriptor: PropertyDescriptor = { configurable: true, enumerable: false };
    if (spec.access !== "w")
      descriptor.get = function (this: object) {
        return read(settingsOf(this), spec);
      };
    if (spec.access !== "r") {
      descriptor.set = function (this: object, value: unknown) {
        write(settingsOf(this), spec, spec.kind === "custom" ? value : toOptionValue(spec.kind, value));
      };
    }
    Object.defineProperty(prototype, spec.name, descriptor);
  }
  for (const kind of ["bool", "int32"] as const) {
    const label = kind === "bool" ? "Bool" : "Int32";
    Object.defineProperty(prototype, `get${label}Option`, {
      configurable: true,
      writable: true,
      value: function (this: object, id: unknown) {
        assertArgumentCount(1, arguments.length);
        const spec = numbered(id, "r");
        return fromOptionValue(kind, read(settingsOf(this), spec));
      },
    });
    Object.defineProperty(prototype, `set${label}Option`, {
      configurable: true,
      writable: true,
      value: function (this: object, id: unknown, value: unknown) {
        assertArgumentCount(2, arguments.length);
        const spec = numbered(id, "w");
        write(settingsOf(this), spec, Number(toOptionValue(kind, value)));
      },
    });
  }
}

/** The option zmq_ctx_get (r) or zmq_ctx_set (w) reaches by number; 3 reads the socket limit but sets the thread priority. */
function numbered(id: unknown, use: "r" | "w"): ContextOptionSpec {
  if (typeof id !== "number") throw new TypeError("Identifier must be a number");
  const spec = CONTEXT_OPTIONS.find(
    (candidate) => candidate.id === id && (use === "w" ? candidate.access !== "r" : candidate.name !== "threadPriority"),
  );
  if (spec === undefined)
    throw new ZmqError("EINVAL", `Context option ${id} is not one libzmq's zmq_ctx_${use === "r" ? "get" : "set"} takes`);
  return spec;
}

// zeromq.js option properties: names, validation, and the accessors installed on Socket.prototype.
// Imports only core.

import { ZmqError } from "../core/errors.ts";
import type { SocketOptions } from "../core/options.ts";

type IntegerOption = "sendHighWaterMark" | "receiveHighWaterMark" | "sendTimeout" | "receiveTimeout" | "linger"
  | "maxMessageSize" | "handshakeInterval" | "reconnectInterval" | "reconnectMaxInterval" | "connectTimeout"
  | "backlog" | "outBatchSize" | "heartbeatInterval" | "heartbeatTimeToLive" | "heartbeatTimeout"
  | "tcpKeepalive" | "tcpKeepaliveCount" | "tcpKeepaliveIdle" | "tcpKeepaliveInterval" | "affinity";
type BooleanOption = "immediate" | "ipv6";

// Smallest accepted value of each integer option; -1 means "infinite/unset" where libzmq allows it.
const INTEGER_MIN: Record<IntegerOption, number> = {
  sendHighWaterMark: 0,
  receiveHighWaterMark: 0,
  sendTimeout: -1,
  receiveTimeout: -1,
  linger: -1,
  maxMessageSize: -1,
  handshakeInterval: 0,
  reconnectInterval: -1,
  reconnectMaxInterval: 0,
  connectTimeout: 0,
  backlog: 0,
  outBatchSize: 256,
  heartbeatInterval: 0,
  // libzmq divides by 100 first, so -99..-1 are accepted as 0 (see validateHeartbeatTimeToLive).
  heartbeatTimeToLive: -99,
  // -1 is only the default (= heartbeatInterval): libzmq refuses to set it.
  heartbeatTimeout: 0,
  tcpKeepalive: -1,
  tcpKeepaliveCount: -1,
  tcpKeepaliveIdle: -1,
  tcpKeepaliveInterval: -1,
  // ZMQ_AFFINITY: a bit per I/O thread (bit 0 the first); 0 lets the least loaded take each connection.
  affinity: 0,
};
/** ZMQ_HEARTBEAT_TTL is stored in deciseconds in a uint16_t: 65535 ds, i.e. up to 6 553 599 ms before truncation. */
const MAX_HEARTBEAT_TTL_MS = 65_535 * 100 + 99;
const BOOLEAN: readonly BooleanOption[] = ["immediate", "ipv6"];

/** Options every socket has. `routingId` exists only on the types that announce an identity. */
export type OptionName = IntegerOption | BooleanOption;
export const OPTION_NAMES: readonly OptionName[] = [...(Object.keys(INTEGER_MIN) as IntegerOption[]), ...BOOLEAN];

/** The option properties every socket has, for declaration merging with Socket. */
export type OptionProperties = { [K in OptionName]: SocketOptions[K] };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * ZMQ_ROUTING_ID: 1-255 bytes, given as a string (UTF-8) or bytes; null clears it. Stored as bytes
 * for READY's `Identity`; read back as a string, as zeromq.js does.
 */
export function validateRoutingId(value: unknown): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  const bytes = typeof value === "string" ? encoder.encode(value) : value instanceof Uint8Array ? value : null;
  if (bytes === null || bytes.length === 0 || bytes.length > 255) {
    throw new ZmqError("EINVAL", `Option routingId must be a string or bytes of 1 to 255 bytes, or null; got ${String(value)}`);
  }
  return bytes;
}

/**
 * bunzmq addition `maxSubscriptionBytes` (Publisher, XPublisher): what one peer's subscriptions may
 * cost, each topic counting its length plus a fixed overhead; -1 unlimited (libzmq's behaviour).
 */
export function validateMaxSubscriptionBytes(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < -1) {
    throw new ZmqError("EINVAL", `Option maxSubscriptionBytes must be an integer >= -1, got ${String(value)}`);
  }
  return value;
}

/**
 * ZMQ_HEARTBEAT_TTL as libzmq 4.3.4 takes it: ms truncated to whole deciseconds (1050 reads back as
 * 1000), at most 65535 ds. Values -99..-1 truncate to 0 and are accepted, as in libzmq.
 */
function validateHeartbeatTimeToLive(value: number): number {
  if (value > MAX_HEARTBEAT_TTL_MS) {
    throw new ZmqError("EINVAL", `Option heartbeatTimeToLive must be at most ${MAX_HEARTBEAT_TTL_MS} ms, got ${value}`);
  }
  return Math.trunc(value / 100) * 100 + 0;
}

export function routingIdText(bytes: Uint8Array): string | null {
  return bytes.length === 0 ? null : decoder.decode(bytes);
}

/** Type-specific boolean options (`mandatory`, `noDrop`, …) are validated the same way as common ones. */
export function validateFlag(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ZmqError("EINVAL", `Option ${name} must be a boolean, got ${String(value)}`);
  return value;
}

export function validateOption(name: string, value: unknown): unknown {
  if (name in INTEGER_MIN) {
    const min = INTEGER_MIN[name as IntegerOption];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ZmqError("EINVAL", `Option ${name} must be an integer >= ${min}, got ${String(value)}`);
    }
    if (name === "heartbeatTimeToLive") return validateHeartbeatTimeToLive(value);
    if (name === "tcpKeepalive" && value > 1) {
      throw new ZmqError("EINVAL", `Option tcpKeepalive must be -1 (OS default), 0 (off) or 1 (on), got ${value}`);
    }
    return value;
  }
  if ((BOOLEAN as readonly string[]).includes(name)) {
    return validateFlag(name, value);
  }
  if (name === "routingId") return validateRoutingId(value);
  if (name === "conflate") return validateFlag(name, value);
  throw new ZmqError("EINVAL", `Unknown socket option "${name}"; see the option table in the README`);
}

interface OptionAccess {
  setOption(name: OptionName | "routingId" | "conflate", value: unknown): void;
  getOption(name: keyof SocketOptions): unknown;
}

/**
 * Adds boolean options kept on the socket's routing core (`mandatory`, `noDrop`, `probeRouter`, …):
 * reads come from `core[name]`, writes are validated first. Declare them on the class's interface.
 */
export function installCoreFlags(prototype: object, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: { core: Record<string, boolean> }) {
        return this.core[name];
      },
      set(this: { core: Record<string, boolean> }, value: unknown) {
        this.core[name] = validateFlag(name, value);
      },
    });
  }
}

/** Adds `conflate` (ZMQ_CONFLATE) to the types zeromq.js offers it on: Push, Pull, Publisher, Subscriber, Dealer. */
export function installConflateProperty(prototype: object): void {
  Object.defineProperty(prototype, "conflate", {
    configurable: true,
    enumerable: false,
    get(this: OptionAccess) {
      return this.getOption("conflate");
    },
    set(this: OptionAccess, value: unknown) {
      this.setOption("conflate", value);
    },
  });
}

/** Adds `routingId` (string | null) to the sockets that announce an identity: REQ, REP, DEALER, ROUTER. */
export function installRoutingIdProperty(prototype: object): void {
  Object.defineProperty(prototype, "routingId", {
    configurable: true,
    enumerable: false,
    get(this: OptionAccess) {
      return routingIdText(this.getOption("routingId") as Uint8Array);
    },
    set(this: OptionAccess, value: unknown) {
      this.setOption("routingId", value);
    },
  });
}

/** Defines `sock.linger`, `sock.sendHighWaterMark`, … as accessors over the socket's option store. */
export function installOptionProperties(prototype: object): void {
  for (const name of OPTION_NAMES) {
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: OptionAccess) {
        return this.getOption(name);
      },
      set(this: OptionAccess, value: unknown) {
        this.setOption(name, value);
      },
    });
  }
}

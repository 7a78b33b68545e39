// The shape of a socket option: zeromq.js's property, libzmq's numbered option behind it, which
// socket classes have it, and how it is read and stored. Imports core and the socket layer's types.
// The tables (socket-option-table.ts, type-option-table.ts, security-options.ts) are lists of these.

import { ZmqError } from "../core/errors.ts";
import type { Event } from "../core/events.ts";
import type { SocketOptions } from "../core/options.ts";
import { SocketType } from "../core/socket-type.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import type { OptionKind } from "./option-values.ts";

/** What an option reads and writes: the socket's option store and its routing core. */
export interface OptionTarget {
  readonly options: SocketOptions;
  readonly core: SocketBase;
  /** The last endpoint bound or connected (ZMQ_LAST_ENDPOINT), or null. */
  lastEndpoint(): string | null;
  /** Whether a bind or connect is in place: most options then apply only to later ones. */
  hasEndpoints(): boolean;
  closed(): boolean;
  /** Reports a monitor event of the socket (the `swap` queues' `spill:*`). */
  emit(event: Event): void;
}

/** One option of a socket. */
export interface OptionSpec {
  /** zeromq.js's property name. */
  readonly name: string;
  /** libzmq's option number (ZMQ_LINGER is 17) for getInt32Option(17) and friends; null for bunzmq additions. */
  readonly id: number | null;
  /**
   * The C type libzmq gives it, which decides what JavaScript values the setter takes; "custom" for
   * options whose writer checks the value itself (`verbosity`, the addition `authenticate`).
   */
  readonly kind: OptionKind | "custom";
  /** Whether zeromq.js's property has a getter ("r"), a setter ("w") or both. */
  readonly access: "rw" | "r" | "w";
  /** The socket types whose class has the property, or every socket ("all"). */
  readonly on: "all" | readonly SocketType[];
  /** The socket types that accept the numbered option (libzmq's per-type options); every type if absent. */
  readonly types?: readonly SocketType[];
  /** Applies at once, so setting it after bind or connect warns of nothing (zeromq.js's list). */
  readonly immediate?: boolean;
  /** For an int32 that zeromq.js shows as names (ZMQ_MECHANISM): the name of each number. */
  readonly names?: readonly (string | null)[];
  /** The current value; absent where libzmq cannot read the option back. */
  readonly read?: (target: OptionTarget) => unknown;
  /** Stores a value already converted to `kind`; throws EINVAL for what libzmq refuses. */
  readonly write?: (target: OptionTarget, value: never) => void;
}

/** zeromq.js's Writable classes: the ones with sendHighWaterMark and the other send options. */
export const SENDING: readonly SocketType[] = [
  SocketType.Pair,
  SocketType.Publisher,
  SocketType.Request,
  SocketType.Reply,
  SocketType.Dealer,
  SocketType.Router,
  SocketType.Push,
  SocketType.XPublisher,
  SocketType.XSubscriber,
  SocketType.Stream,
  SocketType.Server,
  SocketType.Client,
  SocketType.Radio,
  SocketType.Scatter,
  SocketType.Datagram,
  SocketType.Peer,
  SocketType.Channel,
];

/** zeromq.js's Readable classes: the ones with receiveHighWaterMark and the other receive options. */
export const RECEIVING: readonly SocketType[] = [
  SocketType.Pair,
  SocketType.Subscriber,
  SocketType.Request,
  SocketType.Reply,
  SocketType.Dealer,
  SocketType.Router,
  SocketType.Pull,
  SocketType.XPublisher,
  SocketType.XSubscriber,
  SocketType.Stream,
  SocketType.Server,
  SocketType.Client,
  SocketType.Dish,
  SocketType.Gather,
  SocketType.Datagram,
  SocketType.Peer,
  SocketType.Channel,
];

/** libzmq's EINVAL for a value out of its range, naming the option and what it accepts. */
export function invalid(name: string, accepts: string, value: unknown): ZmqError {
  return new ZmqError("EINVAL", `Option ${name} accepts ${accepts}; got ${String(value)}`);
}

type NumericName = {
  [K in keyof SocketOptions]: SocketOptions[K] extends number ? K : never;
}[keyof SocketOptions];

interface NumberRule {
  /** Smallest value libzmq accepts. */
  readonly min?: number;
  readonly on?: "all" | readonly SocketType[];
  readonly immediate?: boolean;
  readonly kind?: "int32" | "int64" | "uint64";
}

/** A numeric option kept in the option store under its property name, with libzmq's lower bound. */
export function numberOption(name: NumericName, id: number | null, rule: NumberRule = {}): OptionSpec {
  const min = rule.min ?? Number.NEGATIVE_INFINITY;
  return {
    name,
    id,
    kind: rule.kind ?? "int32",
    access: "rw",
    on: rule.on ?? "all",
    ...(rule.immediate ? { immediate: true } : {}),
    read: ({ options }) => options[name],
    write: ({ options }, value: number) => {
      if (value < min) throw invalid(name, `integers from ${min}`, value);
      options[name] = value;
    },
  };
}

type FlagName = {
  [K in keyof SocketOptions]: SocketOptions[K] extends boolean ? K : never;
}[keyof SocketOptions];

/** A boolean option kept in the option store under its property name. */
export function flagOption(name: FlagName, id: number, on: "all" | readonly SocketType[] = "all", access: "rw" | "w" = "rw"): OptionSpec {
  return {
    name,
    id,
    kind: "bool",
    access,
    on,
    read: ({ options }) => options[name],
    write: ({ options }, value: boolean) => {
      options[name] = value;
    },
  };
}

/**
 * A boolean kept on the routing core of the types that have it (ROUTER's `mandatory`, …), a property
 * of the classes `on`; libzmq accepts the numbered option on the `types` whose core has it.
 */
export function coreFlag(
  name: string,
  id: number,
  on: readonly SocketType[],
  access: "rw" | "w",
  { immediate = false, types = on }: { immediate?: boolean; types?: readonly SocketType[] } = {},
): OptionSpec {
  const core = (target: OptionTarget) => target.core as unknown as Record<string, boolean>;
  return {
    name,
    id,
    kind: "bool",
    access,
    on,
    types,
    ...(immediate ? { immediate: true } : {}),
    ...(access === "rw" ? { read: (target: OptionTarget) => core(target)[name] } : {}),
    write: (target, value: boolean) => {
      core(target)[name] = value;
    },
  };
}

// The options only some socket types have, on the classes zeromq.js puts them on, most of them kept
// on the routing cores (socket/*.ts). Imports core, the socket layer's XPUB type, and the option
// shapes beside it.

import { ZmqError } from "../core/errors.ts";
import { SocketType } from "../core/socket-type.ts";
import type { XPubSocket } from "../socket/xpub.ts";
import { type OptionSpec, coreFlag, flagOption, invalid } from "./option-spec.ts";
import { type StringValue, textOf } from "./option-values.ts";

const PUBLISHING = [SocketType.Publisher, SocketType.XPublisher];
const utf8 = new TextEncoder();

/** A string option's bytes (text as UTF-8); null stays null. */
export function bytesOf(value: StringValue): Uint8Array | null {
  return typeof value === "string" ? utf8.encode(value) : value;
}

/**
 * ZMQ_ROUTING_ID as libzmq takes it: 1 to 255 bytes, as text (UTF-8) or bytes; anything else,
 * null and "" included, is EINVAL. Also checks the routingId of ROUTER's and STREAM's connect().
 */
export function validateRoutingId(value: unknown): Uint8Array {
  const bytes = typeof value === "string" ? utf8.encode(value) : value instanceof Uint8Array ? value : null;
  if (bytes === null || bytes.length === 0 || bytes.length > 255) {
    throw invalid("routingId", "a string or bytes of 1 to 255 bytes", value);
  }
  return new Uint8Array(bytes);
}

const xpub = (target: { core: unknown }) => target.core as XPubSocket;

/** ZMQ_XPUB_VERBOSE and ZMQ_XPUB_VERBOSER as one setting (zeromq.js's `verbosity`), as libzmq combines them. */
function verbosityFlag(id: 40 | 78): OptionSpec {
  return {
    name: id === 40 ? "verbose" : "verboser",
    id,
    kind: "bool",
    access: "w",
    on: [],
    types: PUBLISHING,
    immediate: true,
    write: (target, value: boolean) => {
      xpub(target).verbosity = !value ? null : id === 40 ? "allSubs" : "allSubsUnsubs";
    },
  };
}

export const TYPE_OPTIONS: readonly OptionSpec[] = [
  {
    name: "routingId",
    id: 5,
    kind: "string",
    access: "rw",
    on: [SocketType.Request, SocketType.Reply, SocketType.Dealer, SocketType.Router],
    read: ({ options }) => textOf(options.routingId),
    write: ({ options }, value: StringValue) => {
      options.routingId = validateRoutingId(value);
    },
  },
  coreFlag("mandatory", 33, [SocketType.Router], "rw", { immediate: true }),
  verbosityFlag(40),
  coreFlag("probeRouter", 51, [SocketType.Router, SocketType.Dealer, SocketType.Request], "w", { immediate: true }),
  coreFlag("correlate", 52, [SocketType.Request], "w", { immediate: true }),
  coreFlag("relaxed", 53, [SocketType.Request], "w", { immediate: true }),
  flagOption(
    "conflate",
    54,
    [
      SocketType.Pull,
      SocketType.Push,
      SocketType.Subscriber,
      SocketType.Publisher,
      SocketType.Dealer,
      SocketType.Gather,
      SocketType.Scatter,
    ],
    "w",
  ),
  coreFlag("handover", 56, [SocketType.Router], "w", { immediate: true }),
  coreFlag("noDrop", 69, PUBLISHING, "w"),
  coreFlag("manual", 71, [SocketType.XPublisher], "w", { types: PUBLISHING }),
  // libzmq DRAFT, left out by zeromq.js: a bunzmq addition, readable. Setting it sets `manual` too.
  coreFlag("manualLastValue", 98, [SocketType.XPublisher], "rw", { types: PUBLISHING }),
  {
    // Copied: the same bytes are queued to every future subscriber, so later edits must not leak in.
    name: "welcomeMessage",
    id: 72,
    kind: "string",
    access: "w",
    on: [SocketType.XPublisher],
    types: PUBLISHING,
    write: (target, value: StringValue) => {
      const bytes = bytesOf(value);
      xpub(target).welcomeMessage = bytes === null || bytes.length === 0 ? null : bytes.slice();
    },
  },
  coreFlag("notify", 73, [SocketType.Stream], "w"),
  coreFlag("invertMatching", 74, [SocketType.Publisher, SocketType.Subscriber, SocketType.XPublisher], "rw"),
  verbosityFlag(78),
  {
    name: "verbosity",
    id: null,
    kind: "custom",
    access: "w",
    on: [SocketType.XPublisher],
    immediate: true,
    write: (target, value: unknown) => {
      if (value !== null && value !== "allSubs" && value !== "allSubsUnsubs") {
        throw new ZmqError("EINVAL", `Option verbosity accepts null, "allSubs" or "allSubsUnsubs"; got ${String(value)}`);
      }
      xpub(target).verbosity = value;
    },
  },
  {
    // bunzmq addition: what one subscriber's subscriptions (a DISH's groups) may cost, each distinct
    // topic or group counting its length plus 64 bytes; -1 unlimited (libzmq's behaviour).
    name: "maxSubscriptionBytes",
    id: null,
    kind: "int64",
    access: "rw",
    // A RADIO's groups are its subscriptions (RFC 48); radio.ts bounds them the same way.
    on: [...PUBLISHING, SocketType.Radio],
    immediate: true,
    read: (target) => xpub(target).maxSubscriptionBytes,
    write: (target, value: number) => {
      if (value < -1) throw invalid("maxSubscriptionBytes", "integers from -1", value);
      xpub(target).maxSubscriptionBytes = value;
    },
  },
];

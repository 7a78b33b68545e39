// The options that shape each TCP connection on the wire or in the kernel, as zeromq.js (or, for
// libzmq's DRAFT options zeromq.js leaves out, bunzmq) names them: the SOCKS5 proxy, READY's
// application metadata, IP_TOS, the bound device, TCP_USER_TIMEOUT, accept filters, and two that
// libzmq has but which change nothing here (loopbackFastPath, inBatchSize). Validation follows
// libzmq's setsockopt. Imports transport (for the accept-filter syntax), core and the option shapes.

import { ZmqError } from "../core/errors.ts";
import type { SocketOptions } from "../core/options.ts";
import { validateAcceptFilter } from "../transport/accept-filter.ts";
import type { OptionSpec } from "./option-spec.ts";
import type { OptionKind } from "./option-values.ts";

type ConnectionOptionName =
  | "socksProxy"
  | "socksUsername"
  | "socksPassword"
  | "metadata"
  | "typeOfService"
  | "interface"
  | "tcpMaxRetransmitTimeout"
  | "loopbackFastPath"
  | "tcpAcceptFilter"
  | "inBatchSize";

/** The properties, for declaration merging with Socket. Strings also accept a Buffer (UTF-8). */
export interface ConnectionProperties {
  /** ZMQ_SOCKS_PROXY: "host:port" of a SOCKS5 proxy every tcp:// connect goes through; null for none. */
  socksProxy: string | null;
  /** ZMQ_SOCKS_USERNAME (libzmq DRAFT): at most 255 bytes; set, it makes connects offer RFC 1929 authentication. */
  socksUsername: string | null;
  /** ZMQ_SOCKS_PASSWORD (libzmq DRAFT): at most 255 bytes, sent with socksUsername. */
  socksPassword: string | null;
  /**
   * ZMQ_METADATA (libzmq DRAFT): application properties sent in READY, names starting with "X-",
   * values non-empty. Assigning replaces them all; null clears. Peers see them on the "handshake"
   * event's `peer.metadata` (libzmq: zmq_msg_gets).
   */
  get metadata(): Record<string, string>;
  set metadata(value: Record<string, string> | null);
  /** ZMQ_TOS: IP_TOS / IPV6_TCLASS of TCP connections and listeners; 0 leaves the OS default. */
  typeOfService: number;
  /** ZMQ_BINDTODEVICE: the network device TCP sockets are bound to (SO_BINDTODEVICE); null for none. */
  interface: string | null;
  /** ZMQ_TCP_MAXRT: TCP_USER_TIMEOUT in ms on TCP connections; 0 leaves the OS default. */
  tcpMaxRetransmitTimeout: number;
  /** ZMQ_LOOPBACK_FASTPATH: a Windows-only ioctl in libzmq; accepted and stored, without effect. */
  loopbackFastPath: boolean;
  /**
   * ZMQ_TCP_ACCEPT_FILTER: each assignment adds "address[/bits]" masks (comma-separated), as each
   * libzmq setsockopt adds one; null clears. Reads give them comma-separated, or null.
   */
  tcpAcceptFilter: string | null;
  /** ZMQ_IN_BATCH_SIZE (libzmq DRAFT): accepted (> 0) and stored; Bun sizes its own reads (up to 512 KiB). */
  inBatchSize: number;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Validates and stores one of these options as libzmq's setsockopt would. */
function setConnectionOption(options: SocketOptions, name: ConnectionOptionName, value: unknown): void {
  switch (name) {
    case "socksProxy":
      // libzmq stores any string here (empty: no proxy); connect() checks it is "host:port".
      options.socksProxy = text(name, value, Infinity);
      return;
    case "socksUsername":
    case "socksPassword":
    case "interface":
      // A device name is IFNAMSIZ - 1 bytes at most: the kernel would cut a longer one short.
      options[name] = text(name, value, name === "interface" ? 15 : 255);
      return;
    case "metadata":
      options.metadata = validateMetadata(value);
      return;
    case "typeOfService":
    case "tcpMaxRetransmitTimeout":
    case "inBatchSize": {
      // The value is an integer already (option-values.ts); a uint32 TOS may still exceed int's range.
      const min = name === "inBatchSize" ? 1 : 0;
      if ((value as number) < min || (value as number) > 0x7fffffff) {
        throw new ZmqError("EINVAL", `Option ${name} accepts integers from ${min} to 2147483647; got ${String(value)}`);
      }
      options[name] = value as number;
      return;
    }
    case "loopbackFastPath":
      options.loopbackFastPath = value === true;
      return;
    case "tcpAcceptFilter": {
      const added = text(name, value, Infinity)
        .split(",")
        .map((filter) => filter.trim())
        .filter((filter) => filter !== "");
      options.tcpAcceptFilter =
        added.length === 0 ? [] : [...options.tcpAcceptFilter, ...added.map((filter) => validateAcceptFilter(filter, options.ipv6))];
      return;
    }
  }
}

/** What a property reads: empty strings and lists as null, metadata as a fresh object. */
function present(name: ConnectionOptionName, value: unknown): unknown {
  if (name === "metadata") return Object.fromEntries(value as ReadonlyMap<string, string>);
  if (name === "tcpAcceptFilter") {
    const filters = value as readonly string[];
    return filters.length === 0 ? null : filters.join(",");
  }
  return value === "" ? null : value;
}

/**
 * One of these options, with libzmq's number and C type. socksUsername, socksPassword, metadata and
 * inBatchSize are libzmq DRAFT options that zeromq.js leaves out: bunzmq additions under the same rules.
 */
function connectionOption(name: ConnectionOptionName, id: number, kind: OptionKind | "custom"): OptionSpec {
  return {
    name,
    id,
    kind,
    access: "rw",
    on: "all",
    read: ({ options }) => present(name, options[name]),
    write: ({ options }, value: unknown) => setConnectionOption(options, name, value),
  };
}

/** @internal */
export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  connectionOption("tcpAcceptFilter", 38, "string"),
  connectionOption("typeOfService", 57, "uint32"),
  connectionOption("socksProxy", 68, "string"),
  connectionOption("tcpMaxRetransmitTimeout", 80, "int32"),
  connectionOption("interface", 92, "string"),
  connectionOption("loopbackFastPath", 94, "bool"),
  connectionOption("metadata", 95, "custom"),
  connectionOption("socksUsername", 99, "string"),
  connectionOption("socksPassword", 100, "string"),
  connectionOption("inBatchSize", 101, "int32"),
];

/** A string option: a string or Buffer (UTF-8) of at most `maxBytes` bytes; null is "". */
function text(name: string, value: unknown, maxBytes: number): string {
  if (value === null || value === undefined) return "";
  const string = typeof value === "string" ? value : value instanceof Uint8Array ? fromUtf8.decode(value) : null;
  if (string === null || utf8.encode(string).length > maxBytes) {
    const limit = Number.isFinite(maxBytes) ? ` of at most ${maxBytes} bytes` : "";
    throw new ZmqError("EINVAL", `Option ${name} must be a string${limit} or null, got ${String(value)}`);
  }
  return string;
}

/**
 * ZMQ_METADATA's rules (libzmq options.cpp): a name starting with "X-", at most 255 bytes and without
 * ":" (libzmq splits "name:value" at the first colon); a non-empty value without NUL (libzmq sends it
 * up to the first NUL). Names must also be printable ASCII, as ZMTP property names are.
 */
function validateMetadata(value: unknown): ReadonlyMap<string, string> {
  if (value === null || value === undefined) return new Map();
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ZmqError("EINVAL", `Option metadata must be an object of "X-" names to string values, or null; got ${String(value)}`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, property] of entries) {
    if (!/^X-[\x21-\x39\x3b-\x7e]{0,253}$/.test(key)) {
      throw new ZmqError(
        "EINVAL",
        `Option metadata: property name ${JSON.stringify(key)} must start with "X-" and be at most 255 printable ASCII characters without ":"`,
      );
    }
    if (typeof property !== "string" || property === "" || property.includes("\0")) {
      throw new ZmqError("EINVAL", `Option metadata: the value of ${key} must be a non-empty string without NUL`);
    }
  }
  // libzmq keeps them in a std::map and sends them in its order: sorted by name, bytewise.
  return new Map((entries as Array<[string, string]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// The options that shape each TCP connection on the wire or in the kernel, as zeromq.js (or, for
// libzmq's DRAFT options zeromq.js leaves out, bunzmq) names them: the SOCKS5 proxy, READY's
// application metadata, IP_TOS, the bound device, TCP_USER_TIMEOUT, accept filters, and two that
// libzmq has but which change nothing here (loopbackFastPath, inBatchSize). Validation follows
// libzmq's setsockopt. Imports transport (for the accept-filter syntax), core and the option shapes.

import { ZmqError } from "../core/errors.ts";
import type { SocketOptions } from "../core/options.ts";
import { validateAcceptFilter } from "../transport/accept-mask.ts";
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

/**
 * Options every socket has that shape its TCP connections on the wire or in the kernel. String
 * options also take a Buffer (UTF-8) and read back null when unset. Each applies to connections
 * made after it is set.
 */
export interface ConnectionProperties {
  /**
   * `"host:port"` of a SOCKS5 proxy (RFC 1928) every tcp:// connect goes through; the proxy
   * resolves host names itself. null for none.
   * @defaultValue null
   * @libzmq ZMQ_SOCKS_PROXY (68)
   */
  socksProxy: string | null;
  /**
   * With `socksProxy`, a username (at most 255 bytes) makes connects offer username/password
   * authentication (RFC 1929) instead of none. DRAFT in libzmq, left out by zeromq.js.
   * @defaultValue null
   * @libzmq ZMQ_SOCKS_USERNAME (99)
   */
  socksUsername: string | null;
  /**
   * The password sent with `socksUsername`, at most 255 bytes. DRAFT in libzmq.
   * @defaultValue null
   * @libzmq ZMQ_SOCKS_PASSWORD (100)
   */
  socksPassword: string | null;
  /**
   * Application properties sent in each handshake's READY: names start with "X-", values are
   * non-empty strings. Assigning replaces them all; null clears. A peer sees them on its
   * `handshake` event as `peer.metadata` (libzmq: zmq_msg_gets). DRAFT in libzmq.
   * @defaultValue {}
   * @libzmq ZMQ_METADATA (95)
   */
  get metadata(): Record<string, string>;
  set metadata(value: Record<string, string> | null);
  /**
   * IP_TOS (IPV6_TCLASS over IPv6) of TCP connections and listeners, for DSCP marking; 0 leaves the
   * OS default.
   * @defaultValue 0
   * @libzmq ZMQ_TOS (57)
   */
  typeOfService: number;
  /**
   * The network device TCP sockets are bound to (SO_BINDTODEVICE, e.g. "eth1"); null for none. An
   * unknown device makes bind() fail with ENODEV and a connect retry.
   * @defaultValue null
   * @libzmq ZMQ_BINDTODEVICE (92)
   */
  interface: string | null;
  /**
   * TCP_USER_TIMEOUT of TCP connections: how long sent data may stay unacknowledged before the
   * kernel drops the connection; 0 leaves the OS default.
   * @defaultValue 0
   * @unit ms
   * @libzmq ZMQ_TCP_MAXRT (80)
   */
  tcpMaxRetransmitTimeout: number;
  /**
   * A Windows-only ioctl in libzmq: accepted and kept, with no effect.
   * @defaultValue false
   * @libzmq ZMQ_LOOPBACK_FASTPATH (94)
   */
  loopbackFastPath: boolean;
  /**
   * Which TCP peers a bound socket accepts: each assignment adds `"address[/bits]"` masks
   * (comma-separated), as each libzmq setsockopt adds one, and null clears them; with any set, a
   * peer no mask matches is closed before its `accept` event. Reads give them comma-separated.
   * @defaultValue null
   * @libzmq ZMQ_TCP_ACCEPT_FILTER (38)
   */
  tcpAcceptFilter: string | null;
  /**
   * The bytes libzmq reads per recv(): accepted (at least 1) and kept, with no effect, since Bun
   * sizes its own reads (up to 512 KiB). DRAFT in libzmq.
   * @defaultValue 8192
   * @unit bytes
   * @libzmq ZMQ_IN_BATCH_SIZE (101)
   */
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

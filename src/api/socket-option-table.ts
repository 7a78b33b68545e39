// The options every socket has, and the send and receive options of zeromq.js's Writable and
// Readable classes: libzmq 4.3.4's numbers, defaults and ranges (options.cpp). Imports core and the
// option shapes beside it. Type-specific options are in type-option-table.ts, security in
// security-options.ts.

import { ZmqError } from "../core/errors.ts";
import type { SocketType } from "../core/socket-type.ts";
import { type OptionSpec, RECEIVING, SENDING, flagOption, invalid, numberOption } from "./option-spec.ts";

/** ZMQ_HEARTBEAT_TTL is kept in deciseconds in a uint16_t: 65535 ds, i.e. up to 6 553 599 ms before truncation. */
const MAX_HEARTBEAT_TTL_MS = 65_535 * 100 + 99;

/** libzmq without VMCI support refuses every VMCI option, reading or writing, with EINVAL. */
function vmciOption(name: string, id: number, kind: "uint64" | "int32"): OptionSpec {
  const refuse = (): never => {
    throw new ZmqError("EINVAL", `Option ${name} is unavailable: there is no vmci:// transport (as in a libzmq built without VMCI)`);
  };
  return { name, id, kind, access: "rw", on: "all", read: refuse, write: refuse };
}

/** ZMQ_SNDHWM / ZMQ_RCVHWM: a change reaches every live pipe too, as libzmq 4.3 applies it. */
function highWaterMark(name: "sendHighWaterMark" | "receiveHighWaterMark", id: number, on: readonly SocketType[]): OptionSpec {
  const stored = numberOption(name, id, { min: 0, on, immediate: true });
  return {
    ...stored,
    write: (target, value: never) => {
      stored.write!(target, value);
      target.core.resizePipes(target.options);
    },
  };
}

export const SOCKET_OPTIONS: readonly OptionSpec[] = [
  // zeromq.js's Writable and Readable. SNDBUF and RCVBUF are set on each new TCP connection.
  numberOption("sendBufferSize", 11, { min: -1, on: SENDING }),
  numberOption("receiveBufferSize", 12, { min: -1, on: RECEIVING }),
  highWaterMark("sendHighWaterMark", 23, SENDING),
  highWaterMark("receiveHighWaterMark", 24, RECEIVING),
  numberOption("sendTimeout", 28, { min: -1, on: SENDING, immediate: true }),
  numberOption("receiveTimeout", 27, { min: -1, on: RECEIVING, immediate: true }),
  numberOption("multicastHops", 25, { min: 1, on: SENDING }),

  // ZMQ_AFFINITY: a bit per I/O thread (bit 0 the first); 0 lets the least loaded take each connection.
  numberOption("affinity", 4, { kind: "uint64" }),
  numberOption("rate", 8, { min: 1 }),
  numberOption("recoveryInterval", 9, { min: 0 }),
  { name: "type", id: 16, kind: "int32", access: "r", on: "all", read: ({ core }) => core.type },
  numberOption("linger", 17, { min: -1, immediate: true }),
  numberOption("reconnectInterval", 18, { min: -1 }),
  numberOption("backlog", 19, { min: 0 }),
  numberOption("reconnectMaxInterval", 21, { min: 0 }),
  // Any int64: a negative size means no limit, as in libzmq.
  numberOption("maxMessageSize", 22, { kind: "int64" }),
  { name: "lastEndpoint", id: 32, kind: "string", access: "r", on: "all", read: (target) => target.lastEndpoint() },
  {
    name: "tcpKeepalive",
    id: 34,
    kind: "int32",
    access: "rw",
    on: "all",
    read: ({ options }) => options.tcpKeepalive,
    write: ({ options }, value: number) => {
      if (value < -1 || value > 1) throw invalid("tcpKeepalive", "-1 (the OS default), 0 (off) or 1 (on)", value);
      options.tcpKeepalive = value;
    },
  },
  numberOption("tcpKeepaliveCount", 35, { min: -1 }),
  numberOption("tcpKeepaliveIdle", 36, { min: -1 }),
  numberOption("tcpKeepaliveInterval", 37, { min: -1 }),
  flagOption("immediate", 39),
  flagOption("ipv6", 42),
  numberOption("handshakeInterval", 66, { min: 0 }),
  numberOption("heartbeatInterval", 75, { min: 0 }),
  {
    // libzmq divides by 100 first, so 1050 reads back as 1000 and -99..-1 are taken as 0.
    name: "heartbeatTimeToLive",
    id: 76,
    kind: "int32",
    access: "rw",
    on: "all",
    read: ({ options }) => options.heartbeatTimeToLive,
    write: ({ options }, value: number) => {
      if (value < -99 || value > MAX_HEARTBEAT_TTL_MS) throw invalid("heartbeatTimeToLive", `0 to ${MAX_HEARTBEAT_TTL_MS} ms`, value);
      options.heartbeatTimeToLive = Math.trunc(value / 100) * 100 + 0;
    },
  },
  // -1, the default (the heartbeat interval), can be read but not set, as in libzmq.
  numberOption("heartbeatTimeout", 77, { min: 0 }),
  numberOption("connectTimeout", 79, { min: 0 }),
  // libzmq answers 1 for its DRAFT types (SERVER, CLIENT, RADIO, DISH, …: type 12 and up) but DGRAM
  // (18; dgram_t is a plain socket_base_t), 0 for the rest.
  { name: "threadSafe", id: 81, kind: "bool", access: "r", on: "all", read: ({ core }) => core.type >= 12 && core.type !== 18 },
  numberOption("multicastMaxTransportDataUnit", 84, { min: 1 }),
  // DRAFT in libzmq 4.3.4 and left out by zeromq.js: a bunzmq addition under libzmq's number.
  flagOption("multicastLoop", 96),
  vmciOption("vmciBufferSize", 85, "uint64"),
  vmciOption("vmciBufferMinSize", 86, "uint64"),
  vmciOption("vmciBufferMaxSize", 87, "uint64"),
  vmciOption("vmciConnectTimeout", 88, "int32"),

  // bunzmq addition: the first write batch of each connection, in bytes; batches grow while the kernel
  // keeps up. Like the other additions it never warns: its documentation says when it applies.
  numberOption("outBatchSize", null, { min: 256, immediate: true }),
  // bunzmq addition: bytes of protocol output a peer may leave unread before it is dropped (ENOBUFS);
  // -1 = no bound. Taken by each new connection; never warns, like outBatchSize.
  numberOption("maxProtocolBacklog", null, { min: -1, immediate: true }),
];

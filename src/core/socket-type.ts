// ZMQ socket types: their numbers, their ZMTP `Socket-Type` names and which peers they accept.
// Imports nothing.

/** The socket type numbers libzmq gives its types (ZMQ_PAIR …); `socket.type` is one of them. */
export enum SocketType {
  /** ZMQ_PAIR: the `Pair` class. */
  Pair = 0,
  /** ZMQ_PUB: the `Publisher` class. */
  Publisher = 1,
  /** ZMQ_SUB: the `Subscriber` class. */
  Subscriber = 2,
  /** ZMQ_REQ: the `Request` class. */
  Request = 3,
  /** ZMQ_REP: the `Reply` class. */
  Reply = 4,
  /** ZMQ_DEALER: the `Dealer` class. */
  Dealer = 5,
  /** ZMQ_ROUTER: the `Router` class. */
  Router = 6,
  /** ZMQ_PULL: the `Pull` class. */
  Pull = 7,
  /** ZMQ_PUSH: the `Push` class. */
  Push = 8,
  /** ZMQ_XPUB: the `XPublisher` class. */
  XPublisher = 9,
  /** ZMQ_XSUB: the `XSubscriber` class. */
  XSubscriber = 10,
  /** ZMQ_STREAM: the `Stream` class. */
  Stream = 11,
  /** ZMQ_SERVER (DRAFT, RFC 41): the `Server` class of bunzmq/draft. */
  Server = 12,
  /** ZMQ_CLIENT (DRAFT, RFC 41): the `Client` class of bunzmq/draft. */
  Client = 13,
  /** ZMQ_RADIO (DRAFT, RFC 48): the `Radio` class of bunzmq/draft. */
  Radio = 14,
  /** ZMQ_DISH (DRAFT, RFC 48): the `Dish` class of bunzmq/draft. */
  Dish = 15,
  /** ZMQ_GATHER (DRAFT, RFC 49): the `Gather` class of bunzmq/draft. */
  Gather = 16,
  /** ZMQ_SCATTER (DRAFT, RFC 49): the `Scatter` class of bunzmq/draft. */
  Scatter = 17,
  /** ZMQ_DGRAM (DRAFT): the `Datagram` class of bunzmq/draft (udp:// only). */
  Datagram = 18,
  /** ZMQ_PEER (DRAFT, libzmq 4.3.5): the `Peer` class of bunzmq/draft. */
  Peer = 19,
  /** ZMQ_CHANNEL (DRAFT, libzmq 4.3.5): the `Channel` class of bunzmq/draft. */
  Channel = 20,
}

/** The exact-case names libzmq puts in READY's `Socket-Type` property (zmtp-notes §3.2). */
export const SOCKET_TYPE_NAMES: readonly string[] = [
  "PAIR",
  "PUB",
  "SUB",
  "REQ",
  "REP",
  "DEALER",
  "ROUTER",
  "PULL",
  "PUSH",
  "XPUB",
  "XSUB",
  "STREAM",
  "SERVER",
  "CLIENT",
  "RADIO",
  "DISH",
  "GATHER",
  "SCATTER",
  "DGRAM",
  "PEER",
  "CHANNEL",
];

// RFC 37/ZMTP 3.1 and libzmq agree on this matrix (zmtp-notes §3.4); the DRAFT rows are libzmq
// 4.3.5's mechanism.cpp (RFC 41, 48, 49; PEER and CHANNEL talk only to their own kind).
const COMPATIBLE: Record<string, readonly string[]> = {
  REQ: ["REP", "ROUTER"],
  REP: ["REQ", "DEALER"],
  DEALER: ["REP", "DEALER", "ROUTER"],
  ROUTER: ["REQ", "DEALER", "ROUTER"],
  PUB: ["SUB", "XSUB"],
  XPUB: ["SUB", "XSUB"],
  SUB: ["PUB", "XPUB"],
  XSUB: ["PUB", "XPUB"],
  PUSH: ["PULL"],
  PULL: ["PUSH"],
  PAIR: ["PAIR"],
  SERVER: ["CLIENT"],
  CLIENT: ["SERVER"],
  RADIO: ["DISH"],
  DISH: ["RADIO"],
  GATHER: ["SCATTER"],
  SCATTER: ["GATHER"],
  DGRAM: ["DGRAM"],
  PEER: ["PEER"],
  CHANNEL: ["CHANNEL"],
};

/** Whether a local socket of type `local` may talk to a peer announcing `peerName`. */
export function isCompatiblePeer(local: SocketType, peerName: string): boolean {
  const accepted = COMPATIBLE[SOCKET_TYPE_NAMES[local]!];
  return accepted !== undefined && accepted.includes(peerName);
}

/**
 * Socket types whose pipes ZMQ_CONFLATE conflates: libzmq's socket_base.cpp conflates only DEALER,
 * PULL, PUSH, PUB and SUB pipes and accepts the option, to no effect, on every other type (GATHER
 * and SCATTER included, measured on libzmq 4.3.5).
 */
export function conflatesPipes(type: SocketType): boolean {
  return (
    type === SocketType.Dealer ||
    type === SocketType.Pull ||
    type === SocketType.Push ||
    type === SocketType.Publisher ||
    type === SocketType.Subscriber
  );
}

/** Socket types whose READY carries the `Identity` property (zmtp-notes §0 item 13). */
export function sendsIdentity(type: SocketType): boolean {
  return type === SocketType.Request || type === SocketType.Dealer || type === SocketType.Router;
}

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
];

// RFC 37/ZMTP 3.1 and libzmq agree on this matrix (zmtp-notes §3.4).
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
};

/** Whether a local socket of type `local` may talk to a peer announcing `peerName`. */
export function isCompatiblePeer(local: SocketType, peerName: string): boolean {
  const accepted = COMPATIBLE[SOCKET_TYPE_NAMES[local]!];
  return accepted !== undefined && accepted.includes(peerName);
}

/** Socket types whose READY carries the `Identity` property (zmtp-notes §0 item 13). */
export function sendsIdentity(type: SocketType): boolean {
  return type === SocketType.Request || type === SocketType.Dealer || type === SocketType.Router;
}

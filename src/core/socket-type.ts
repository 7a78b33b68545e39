// ZMQ socket types: their numbers, their ZMTP `Socket-Type` names and which peers they accept.
// Imports nothing.

export enum SocketType {
  Pair = 0,
  Publisher = 1,
  Subscriber = 2,
  Request = 3,
  Reply = 4,
  Dealer = 5,
  Router = 6,
  Pull = 7,
  Push = 8,
  XPublisher = 9,
  XSubscriber = 10,
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

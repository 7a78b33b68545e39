// bunzmq: ZeroMQ for Bun. The public surface, source-compatible with zeromq.js v6: the same values
// (so `Object.keys` of the module lists exactly zeromq.js's) and the same type names. bunzmq's own
// runtime additions live in "bunzmq/extras" (src/extras.ts). Re-exports only; imports api and core.

export { Socket, type SocketInit } from "./api/socket.ts";
export { Push, Pull, Pair } from "./api/pipeline.ts";
export { Request, Reply, Dealer, Router, type RouterConnectOptions } from "./api/request-reply.ts";
export { Publisher, Subscriber, XPublisher, XSubscriber } from "./api/publish-subscribe.ts";
export { Stream, type StreamConnectOptions } from "./api/stream.ts";
export { Context, context } from "./api/context.ts";
export { Observer, type EventSubscriber } from "./api/observer.ts";
export { Proxy, type ProxyOptions } from "./api/proxy.ts";
export { version, capability, type Capability } from "./api/about.ts";
export { curveKeyPair } from "./api/curve-keys.ts";

export type { Message, MessageLike } from "./api/message-like.ts";
export type { Readable, Writable } from "./api/verbs.ts";
export type { SocketOptions } from "./api/option-types.ts";
export type { Options, ReadableKeys, WritableKeys } from "./api/options-of.ts";
export type {
  AuthError,
  ErrnoError,
  Event,
  EventAddress,
  EventError,
  EventFor,
  EventInterval,
  EventOfType,
  EventPeer,
  EventType,
  PeerDetails,
  ProtoError,
  SocketEvent,
} from "./core/events.ts";
// Types here; the values (for `instanceof`, `SocketType.Router`) are exported by "bunzmq/extras".
export type { ZmqError, ZmqErrorCode } from "./core/errors.ts";
export type { SocketType } from "./core/socket-type.ts";
export type { Message as Frames } from "./core/message.ts";
export type { Authenticate, AuthenticateRequest } from "./core/options.ts";

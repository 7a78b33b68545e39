// bunzmq: ZeroMQ for Bun. The public surface, source-compatible with zeromq.js v6.
// Re-exports only; see README "Architecture" for the layers beneath.

export { Push, Pull, Pair } from "./api/pipeline.ts";
export { Request, Reply, Dealer, Router } from "./api/request-reply.ts";
export { Publisher, Subscriber, XPublisher, XSubscriber } from "./api/publish-subscribe.ts";
export { Stream, type StreamConnectOptions } from "./api/stream.ts";
export { Socket, type SocketInit, type MessageLike } from "./api/socket.ts";
export type { SocketOptions } from "./api/option-properties.ts";
export type { RouterConnectOptions } from "./api/request-reply.ts";
export { Context, context, type ContextOptions } from "./api/context.ts";
export { Observer } from "./api/observer.ts";
export { Proxy, type ProxyOptions } from "./api/proxy.ts";
export { ZmqError, type ZmqErrorCode } from "./core/errors.ts";
export type { SocketEvent, EventType, AuthError } from "./core/events.ts";
export type { Message as Frames } from "./core/message.ts";
export type { Authenticate, AuthenticateRequest } from "./core/options.ts";
export { SocketType } from "./core/socket-type.ts";
export { version, capability } from "./api/about.ts";
export { curveKeyPair } from "./api/curve-keys.ts";
/** bunzmq additions: Z85 text (RFC 32) to bytes and back; null for input of the wrong length or alphabet. */
export { z85Decode, z85Encode } from "./core/z85.ts";

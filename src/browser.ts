// bunzmq/browser: bunzmq in a web page. The same socket classes as "bunzmq", over ws:// and wss://
// only, connecting (a page cannot listen) with the bare ZWS2.0 subprotocol, NULL (docs/browser.md).
// scripts/build-browser.ts bundles this entry for the browser with the Bun- and Node-bound modules
// replaced by their browser twins (the browser dial, no I/O threads, no CURVE crypto); the package
// ships that bundle. Imports api and core, re-exporting index.ts's values and extras.ts's together, minus
// curveKeyPair (CURVE cannot run in a page).

// First: Buffer and setImmediate must exist before any layer's module runs.
import "./api/browser-globals.ts";
import { refuseSecurityMechanisms } from "./api/browser-security.ts";

export { Socket, type SocketInit } from "./api/socket.ts";
export { Push, Pull, Pair } from "./api/pipeline.ts";
export { Request, Reply, Dealer, Router, type RouterConnectOptions } from "./api/request-reply.ts";
export { Publisher, Subscriber, XPublisher, XSubscriber } from "./api/publish-subscribe.ts";
export { Stream, type StreamConnectOptions } from "./api/stream.ts";
export { Context, context } from "./api/context.ts";
export { Observer, type EventSubscriber } from "./api/observer.ts";
export { Proxy, type ProxyOptions } from "./api/proxy.ts";
export { version, capability, type Capability } from "./api/about.ts";
export { ZmqError, type ZmqErrorCode } from "./core/errors.ts";
export { SocketType } from "./core/socket-type.ts";
export { z85Decode, z85Encode } from "./core/z85.ts";

export type { Message, MessageLike } from "./api/message-like.ts";
export type { Readable, Writable } from "./api/verbs.ts";
export type { SocketOptions } from "./api/option-types.ts";
export type { Options, ReadableKeys, WritableKeys } from "./api/options-of.ts";
export type { Event, EventOfType, EventType, SocketEvent } from "./core/events.ts";

refuseSecurityMechanisms();

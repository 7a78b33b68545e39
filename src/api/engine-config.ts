// What a socket's connections run with, built from its options as they are when each connection
// starts: the engine's configuration on this thread, or the plain-data spec an I/O Worker builds its
// engine from; READY's own properties; and the authenticator server mechanisms ask. Imports io,
// transport, engine, mechanism, socket and core.

import type { ByteStream } from "../core/byte-stream.ts";
import type { SocketOptions } from "../core/options.ts";
import { SOCKET_TYPE_NAMES, type SocketType, conflatesPipes, sendsIdentity } from "../core/socket-type.ts";
import type { Engine, EngineHost } from "../engine/engine.ts";
import type { Authenticator } from "../engine/handshake.ts";
import { RawEngine } from "../engine/raw-engine.ts";
import type { EngineLimits } from "../engine/engine-limits.ts";
import { type EngineConfig, ZmtpEngine } from "../engine/zmtp-engine.ts";
import type { EngineSpec } from "../io/protocol.ts";
import { asksAuthenticator, createMechanism, mechanismOptionsOf } from "../mechanism/create.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import type { StreamSocket } from "../socket/stream.ts";
import type { TransportOptions } from "../transport/transport.ts";
import { socketAuthenticator } from "./authenticator.ts";
import { type Context, inprocRegistryOf } from "./context.ts";

const utf8 = new TextEncoder();

/**
 * READY's properties in libzmq's order: Socket-Type, Identity for the types that announce one, then
 * the `metadata` option's properties (kept sorted by name, as libzmq's std::map keeps them).
 */
export function ownProperties(type: SocketType, options: SocketOptions): Array<[string, Uint8Array]> {
  const properties: Array<[string, Uint8Array]> = [["Socket-Type", utf8.encode(SOCKET_TYPE_NAMES[type])]];
  if (sendsIdentity(type)) properties.push(["Identity", options.routingId]);
  for (const [name, value] of options.metadata) properties.push([name, utf8.encode(value)]);
  return properties;
}

/** ZAP handler in the socket's Context, else the authenticate option, else libzmq's default. */
export function authenticatorFor(context: Context, options: SocketOptions): Authenticator {
  return socketAuthenticator(inprocRegistryOf(context), options);
}

/**
 * The engine of one new connection on this thread: raw bytes for a STREAM core (which keeps its
 * `notify` setting), otherwise ZMTP with a fresh mechanism.
 */
export function createEngine(core: SocketBase, options: SocketOptions, context: Context, stream: ByteStream, host: EngineHost): Engine {
  if (core.raw) return new RawEngine(stream, { notify: (core as StreamSocket).notify, outBatchSize: options.outBatchSize }, host);
  return new ZmtpEngine(stream, engineConfig(core.type, options, context), host);
}

/** The configuration of an engine that runs on this thread, with a fresh mechanism. */
function engineConfig(type: SocketType, options: SocketOptions, context: Context): EngineConfig {
  const mechanism = createMechanism(options, ownProperties(type, options));
  return {
    socketType: type,
    mechanism,
    routingId: options.routingId,
    ...(asksAuthenticator(options) ? { authenticate: authenticatorFor(context, options) } : {}),
    ...engineLimits(options),
  };
}

/** The connection limits and timers of the socket's options. */
function engineLimits(options: SocketOptions): EngineLimits {
  const { maxMessageSize, handshakeInterval, outBatchSize, maxProtocolBacklog, heartbeatInterval, heartbeatTimeToLive, heartbeatTimeout } =
    options;
  return { maxMessageSize, handshakeInterval, outBatchSize, maxProtocolBacklog, heartbeatInterval, heartbeatTimeToLive, heartbeatTimeout };
}

/**
 * What an I/O thread needs to run an engine (dialled or accepted). A server mechanism in a Worker
 * asks the authenticator on this thread (SessionOwner.authenticator).
 */
export function engineSpec(type: SocketType, options: SocketOptions): EngineSpec {
  return {
    socketType: type,
    ownProperties: ownProperties(type, options),
    routingId: options.routingId,
    mechanism: mechanismOptionsOf(options),
    ...engineLimits(options),
    sendHighWaterMark: options.sendHighWaterMark,
    receiveHighWaterMark: options.receiveHighWaterMark,
    conflate: options.conflate && conflatesPipes(type),
    connectTimeout: options.connectTimeout,
    affinity: options.affinity,
    transport: transportOptions(options),
  };
}

/** The options a Worker's dial applies, as plain data (accepted connections arrive already tuned). */
function transportOptions(options: SocketOptions): TransportOptions {
  return {
    tcpKeepalive: options.tcpKeepalive,
    tcpKeepaliveCount: options.tcpKeepaliveCount,
    tcpKeepaliveIdle: options.tcpKeepaliveIdle,
    tcpKeepaliveInterval: options.tcpKeepaliveInterval,
    typeOfService: options.typeOfService,
    tcpMaxRetransmitTimeout: options.tcpMaxRetransmitTimeout,
    interface: options.interface,
    sendBufferSize: options.sendBufferSize,
    receiveBufferSize: options.receiveBufferSize,
    tcpAcceptFilter: options.tcpAcceptFilter,
    socksProxy: options.socksProxy,
    socksUsername: options.socksUsername,
    socksPassword: options.socksPassword,
    ipv6: options.ipv6,
    mechanism: options.mechanism,
    maxMessageSize: options.maxMessageSize,
    wssCertPem: options.wssCertPem,
    wssKeyPem: options.wssKeyPem,
    wssTrustPem: options.wssTrustPem,
    wssTrustSystem: options.wssTrustSystem,
    wssHostname: options.wssHostname,
    wsBareProtocol: options.wsBareProtocol,
  };
}

// The stream transports behind one pair of calls, chosen by the endpoint's scheme.
// Imports only its siblings and core; sessions use this instead of a particular transport.

import type { ByteStream } from "../core/byte-stream.ts";
import type { StreamAddress } from "./endpoint.ts";
import { connectIpc, listenIpc } from "./ipc.ts";
import { type SocksOptions, connectThroughSocks } from "./socks-dial.ts";
import { type Listener, type ListenOptions, connectTcp, listenTcp } from "./tcp.ts";
import { connectWs } from "./ws-dial.ts";
import { listenWs } from "./ws-listener.ts";
import type { WsOptions } from "./ws-options.ts";

export type { Listener } from "./tcp.ts";

/**
 * Per-connection settings the transports apply as each connection opens (read live from the
 * socket's options): kernel tuning, accept filters, the SOCKS5 proxy tcp:// dials go through, and
 * what ws:// and wss:// need (mechanism, TLS).
 */
export interface TransportOptions extends ListenOptions, SocksOptions, WsOptions {}

/**
 * Throws EPROTONOSUPPORT where this build cannot serve `address` (checked before a session starts);
 * here every stream transport parseEndpoint accepts is served. The browser build's twin refuses all
 * but ws:// and wss:// (browser-transport.ts).
 */
export function assertSupported(_address: { scheme: string }, _endpoint: string, _purpose: "bind" | "connect"): void {}

/** Binds synchronously; throws EADDRINUSE and friends naming `endpoint`. */
export function listen(
  address: StreamAddress,
  endpoint: string,
  onStream: (stream: ByteStream) => void,
  options: TransportOptions,
): Listener {
  switch (address.scheme) {
    case "tcp":
      return listenTcp(address, endpoint, onStream, options);
    case "ipc":
      return listenIpc(address, endpoint, onStream);
    default:
      return listenWs(address, endpoint, onStream, options);
  }
}

/** Dials; the promise rejects on refusal or after `timeoutMs` (> 0), and the session retries. */
export function connect(address: StreamAddress, timeoutMs: number, options: TransportOptions): Promise<ByteStream> {
  if (address.scheme === "ipc") return connectIpc(address, timeoutMs);
  if (address.scheme !== "tcp") return connectWs(address, timeoutMs, options);
  return options.socksProxy === "" ? connectTcp(address, timeoutMs, options) : connectThroughSocks(address, timeoutMs, options);
}

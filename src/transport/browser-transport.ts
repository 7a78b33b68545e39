// transport.ts for the browser build (scripts/build-browser.ts puts it in transport.ts's place): a
// page can only dial WebSockets, so ws:// and wss:// connects go through the browser's WebSocket and
// everything else is EPROTONOSUPPORT at once, binds included (a page cannot listen). Exports what
// transport.ts exports, so the sessions above run unchanged. Imports core and its transport siblings.

import type { ByteStream } from "../core/byte-stream.ts";
import { ZmqError } from "../core/errors.ts";
import { connectBrowserWs } from "./browser-dial.ts";
import { formatWsEndpoint, type StreamAddress, type WsAddress } from "./endpoint.ts";
import type { WsOptions } from "./ws-options.ts";

/** A bound endpoint, as transport.ts has it; the browser build never makes one. */
export interface Listener {
  readonly endpoint: string;
  close(): void;
}

/** The options transport.ts's transports read; only ws's matter here, and only the mechanism. */
export type TransportOptions = WsOptions;

/** A page cannot listen, and dials only WebSockets: the rest is EPROTONOSUPPORT before a session starts. */
export function assertSupported(address: { scheme: string }, endpoint: string, purpose: "bind" | "connect"): void {
  if (purpose === "bind") {
    throw new ZmqError(
      "EPROTONOSUPPORT",
      `Cannot bind ${endpoint}: a web page cannot listen; bind on a server and connect() to its ws:// or wss:// endpoint`,
      endpoint,
    );
  }
  if (address.scheme !== "ws" && address.scheme !== "wss") {
    throw new ZmqError(
      "EPROTONOSUPPORT",
      `Cannot connect to ${endpoint}: a web page has no ${address.scheme}:// transport; connect to a ws:// or wss:// endpoint`,
      endpoint,
    );
  }
}

/** Never reached: assertSupported refuses every bind first. */
export function listen(_address: StreamAddress, endpoint: string): Listener {
  return assertSupported(_address, endpoint, "bind") as never;
}

/** Dials ws:// and wss:// (assertSupported has refused the rest). */
export function connect(address: StreamAddress, timeoutMs: number, options: TransportOptions): Promise<ByteStream> {
  const endpoint = formatWsEndpoint(address as WsAddress);
  if (options.mechanism !== "NULL") {
    // The options refuse PLAIN and CURVE already (api/browser-security.ts); this is the last guard.
    throw new ZmqError("EINVAL", `Cannot connect to ${endpoint}: a browser speaks bare ZWS2.0, NULL only`, endpoint);
  }
  return connectBrowserWs(address as WsAddress, timeoutMs);
}

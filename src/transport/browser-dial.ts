// ws:// and wss:// connects from a web browser, for the browser build (scripts/build-browser.ts puts
// this file's transport in place of transport.ts). A browser's WebSocket constructor refuses a "/" in
// a subprotocol and has no headers option, so the only subprotocol it can offer is bare "ZWS2.0": NULL
// with no handshake, routing ids first (docs/browser.md). TLS is the browser's own: a wss:// peer
// needs a certificate the browser trusts. Only the standard WebSocket surface is used: no ping, no
// pause, which ws-stream.ts does without. Imports core and its transport siblings.

import { ZmqError } from "../core/errors.ts";
import { formatWsEndpoint, type WsAddress } from "./endpoint.ts";
import { closeError, type WsChannel, WsStream } from "./ws-stream.ts";

/** The one subprotocol a browser can offer. */
export const BROWSER_SUBPROTOCOL = "ZWS2.0";

/** Opens a WebSocket; rejects on refusal, a refused upgrade or subprotocol, or after `timeoutMs` (> 0). */
export function connectBrowserWs(address: WsAddress, timeoutMs: number): Promise<WsStream> {
  const url = formatWsEndpoint(address);
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, [BROWSER_SUBPROTOCOL]);
    } catch (error) {
      reject(new ZmqError("EINVAL", `ws: cannot open ${url}: ${(error as Error).message}`, url));
      return;
    }
    ws.binaryType = "arraybuffer";
    let timer: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    const fail = (error: Error) => {
      clearTimeout(timer);
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      ws.close();
      reject(error);
    };
    // A browser says nothing about why a WebSocket failed (no code, no reason), only that it closed.
    ws.onclose = (event) => fail(new ZmqError("ECONNREFUSED", `ws: cannot open ${url}: closed with code ${event.code}`, url));
    ws.onopen = () => {
      clearTimeout(timer);
      if (ws.protocol !== BROWSER_SUBPROTOCOL) {
        return fail(new ZmqError("EPROTO", `ws: ${url} chose subprotocol "${ws.protocol}", where a browser offers only "ZWS2.0"`, url));
      }
      opened = true;
      const stream = new WsStream(channelOf(ws), "bare", url);
      ws.onmessage = (event) => stream.onMessage(typeof event.data === "string" ? event.data : new Uint8Array(event.data as ArrayBuffer));
      ws.onclose = (event) => stream.onClose(event.code === 1000 || event.code === 1005 ? undefined : closeError(event.code, event.reason));
      resolve(stream);
    };
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        if (!opened) fail(new ZmqError("ETIMEDOUT", `connect to ${url} timed out after ${timeoutMs} ms`, url));
      }, timeoutMs);
    }
  });
}

/** A browser's WebSocket as a channel: it has no ping and cannot pause its reading. */
function channelOf(ws: WebSocket): WsChannel {
  return {
    send: (message) => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(message);
      return true;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    ping: () => false,
    pause: () => {},
    resume: () => {},
    close: () => ws.close(1000),
    terminate: () => ws.close(),
  };
}

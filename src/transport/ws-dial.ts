// ws:// and wss:// connects on Bun's WebSocket client. The subprotocols go in a Sec-WebSocket-Protocol
// header, since Bun's `protocols` argument (like browsers') refuses the "/" in "ZWS2.0/NULL"; TLS
// follows the ZMQ_WSS_* options. Everything after the open event is the standard WebSocket surface
// (ws-stream.ts). Imports core, Bun's node:tls roots and its transport siblings.

import * as nodeTls from "node:tls";
import { ZmqError } from "../core/errors.ts";
import { formatWsEndpoint, type WsAddress } from "./endpoint.ts";
import { closeError, type WsChannel, WsStream } from "./ws-stream.ts";
import { modeOf, offeredSubprotocols, type WsOptions } from "./ws-options.ts";

/** Opens a WebSocket; rejects on refusal, a refused upgrade or subprotocol, or after `timeoutMs` (> 0). */
export function connectWs(address: WsAddress, timeoutMs: number, options: WsOptions): Promise<WsStream> {
  const url = formatWsEndpoint(address);
  return new Promise((resolve, reject) => {
    const headers = { "Sec-WebSocket-Protocol": offeredSubprotocols(options.mechanism, options.wsBareProtocol).join(", ") };
    const init = address.scheme === "wss" ? { headers, tls: tlsOf(options) } : { headers };
    const ws = new WebSocket(url, init as unknown as string[]);
    ws.binaryType = "arraybuffer";
    let stream: WsStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: Error) => {
      clearTimeout(timer);
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      ws.close();
      reject(error);
    };
    let reason = "";
    ws.onerror = (event) => {
      const error = (event as ErrorEvent).error as (Error & { code?: string }) | undefined;
      reason = error?.code ?? (event as ErrorEvent).message ?? "";
    };
    ws.onclose = (event) => {
      const code = /ECONNREFUSED/.test(reason) ? "ECONNREFUSED" : "EPROTO";
      fail(new ZmqError(code, `ws: cannot open ${url}: ${reason || `closed with code ${event.code}`}`, url));
    };
    ws.onopen = () => {
      clearTimeout(timer);
      const mode = modeOf(ws.protocol, options.mechanism);
      if (mode === null) return fail(new ZmqError("EPROTO", `ws: ${url} chose subprotocol "${ws.protocol}", which was not offered`, url));
      const opened = new WsStream(channelOf(ws), mode, url);
      stream = opened;
      ws.onmessage = (event) => opened.onMessage(typeof event.data === "string" ? event.data : new Uint8Array(event.data as ArrayBuffer));
      ws.onclose = (event) => opened.onClose(event.code === 1000 || event.code === 1005 ? undefined : closeError(event.code, event.reason));
      ws.addEventListener("pong", () => opened.onPong());
      resolve(opened);
    };
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        if (stream === null) fail(new ZmqError("ETIMEDOUT", `connect to ${url} timed out after ${timeoutMs} ms`, url));
      }, timeoutMs);
      timer.unref?.();
    }
  });
}

/** The standard WebSocket as a channel; Bun's ping, pause, resume and terminate where present. */
function channelOf(ws: WebSocket): WsChannel {
  const extra = ws as WebSocket & Partial<{ ping(): void; pause(): void; resume(): void; terminate(): void; unref(): void }>;
  // An open connection never keeps the process alive by itself (bun-stream.ts).
  extra.unref?.();
  return {
    send: (message) => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(message);
      return true;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    ping: () => {
      if (typeof extra.ping !== "function") return false;
      extra.ping();
      return true;
    },
    pause: () => extra.pause?.(),
    resume: () => extra.resume?.(),
    close: () => ws.close(1000),
    terminate: () => (typeof extra.terminate === "function" ? extra.terminate() : ws.close()),
  };
}

function tlsOf(options: WsOptions): Record<string, unknown> {
  const ca = options.wssTrustPem === "" ? [] : [options.wssTrustPem];
  const tls: Record<string, unknown> = { rejectUnauthorized: true };
  // Node's `ca` replaces the system roots; ZMQ_WSS_TRUST_SYSTEM keeps them beside our own.
  // Read only here: loading the system roots costs milliseconds, so importing bunzmq must not.
  if (ca.length > 0) tls.ca = options.wssTrustSystem ? [...ca, ...nodeTls.rootCertificates] : ca;
  const hostname = options.wssHostname;
  if (hostname !== "") {
    tls.servername = hostname;
    tls.checkServerIdentity = (_host: string, certificate: Parameters<typeof nodeTls.checkServerIdentity>[1]) =>
      nodeTls.checkServerIdentity(hostname, certificate);
  }
  return tls;
}

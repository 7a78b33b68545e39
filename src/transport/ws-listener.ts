// ws:// and wss:// listeners on Bun.serve: one HTTP server per address and port, shared by every
// socket bound there under its own path (libzmq binds one socket per port; sharing is bunzmq's).
// Each upgrade picks its ZWS 2.0 subprotocol from the bound socket's mechanism, read as the request
// arrives. Imports core, Bun and its transport siblings.

import type { Server, ServerWebSocket } from "bun";
import { ZmqError } from "../core/errors.ts";
import type { ByteStream } from "../core/byte-stream.ts";
import { bindError, type Listener } from "./tcp.ts";
import { formatWsEndpoint, type WsAddress } from "./endpoint.ts";
import { closeError, type WsChannel, WsStream } from "./ws-stream.ts";
import { modeOf, selectSubprotocol, type WsOptions } from "./ws-options.ts";

interface Route {
  readonly options: WsOptions;
  readonly onStream: (stream: ByteStream) => void;
}

interface Connection {
  readonly route: Route;
  readonly protocol: string;
  readonly remoteAddress: string;
  stream: WsStream | null;
}

interface SharedServer {
  readonly server: Server<Connection>;
  readonly routes: Map<string, Route>;
  readonly key: string;
}

/** Live servers by "scheme://host:port", the real port once bound. */
const servers = new Map<string, SharedServer>();

/** Binds, or joins a server this process already runs there; throws EADDRINUSE for a taken path. */
export function listenWs(address: WsAddress, endpoint: string, onStream: (stream: ByteStream) => void, options: WsOptions): Listener {
  let shared = address.port === 0 ? undefined : servers.get(formatWsEndpoint({ ...address, path: "" }));
  if (shared?.routes.has(address.path)) {
    throw new ZmqError("EADDRINUSE", `cannot bind ${endpoint}: a socket is bound at that path already; pick another path`, endpoint);
  }
  shared ??= startServer(address, endpoint, options);
  const routes = shared.routes;
  routes.set(address.path, { options, onStream });
  const key = shared.key;
  const server = shared.server;
  return {
    endpoint: formatWsEndpoint(address, server.port),
    close: () => {
      routes.delete(address.path);
      if (routes.size > 0) return;
      servers.delete(key);
      // Established connections stay with their engines, which end them (linger).
      void server.stop(false);
    },
  };
}

function startServer(address: WsAddress, endpoint: string, options: WsOptions): SharedServer {
  const routes = new Map<string, Route>();
  let server: Server<Connection>;
  try {
    server = Bun.serve<Connection>({
      hostname: address.host,
      port: address.port,
      development: false,
      ...(address.scheme === "wss" ? { tls: tlsOf(options, endpoint) } : {}),
      fetch: (request, server) => upgrade(request, server, routes, address.scheme),
      websocket: {
        // The ZMTP heartbeat options govern liveness, not Bun's idle timer.
        idleTimeout: 0,
        sendPings: false,
        // Our streams stop writing at WS_BUFFER_HIGH; Bun must never drop a message instead.
        backpressureLimit: 0,
        maxPayloadLength: options.maxMessageSize >= 0 ? Math.min(options.maxMessageSize + 1, 0xffffffff) : 0xffffffff,
        open: (ws) => open(ws),
        message: (ws, message) => ws.data.stream?.onMessage(message),
        pong: (ws) => ws.data.stream?.onPong(),
        drain: (ws) => ws.data.stream?.onDrain(),
        close: (ws, code, reason) => ws.data.stream?.onClose(code === 1000 || code === 1005 ? undefined : closeError(code, reason)),
      },
    });
  } catch (error) {
    throw error instanceof ZmqError ? error : bindError(error, endpoint);
  }
  // A bound socket waiting for peers does not keep the process alive (as tcp.ts).
  server.unref();
  const key = formatWsEndpoint({ ...address, port: server.port ?? address.port, path: "" });
  const shared = { server, routes, key };
  servers.set(key, shared);
  return shared;
}

function upgrade(request: Request, server: Server<Connection>, routes: Map<string, Route>, scheme: string): Response | undefined {
  const route = routes.get(new URL(request.url).pathname);
  if (route === undefined) return new Response("No ZeroMQ socket is bound at this path.\n", { status: 404 });
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("A ZeroMQ endpoint (ZWS 2.0): connect with a WebSocket.\n", { status: 426, headers: { Upgrade: "websocket" } });
  }
  // libzmq closes the connection when no offer fits; an HTTP answer says why to anyone looking.
  const protocol = selectSubprotocol(request.headers.get("sec-websocket-protocol"), route.options.mechanism);
  if (protocol === null) {
    const wanted = route.options.mechanism === "NULL" ? "ZWS2.0/NULL or ZWS2.0" : `ZWS2.0/${route.options.mechanism}`;
    return new Response(`This ZeroMQ socket speaks the subprotocol ${wanted}.\n`, { status: 400 });
  }
  const peer = server.requestIP(request);
  const host = peer === null ? "unknown" : peer.family === "IPv6" ? `[${peer.address}]` : peer.address;
  const data: Connection = { route, protocol, remoteAddress: `${scheme}://${host}:${peer?.port ?? 0}`, stream: null };
  if (server.upgrade(request, { headers: { "Sec-WebSocket-Protocol": protocol }, data })) return undefined;
  return new Response("WebSocket upgrade failed.\n", { status: 400 });
}

function open(ws: ServerWebSocket<Connection>): void {
  const { route, protocol, remoteAddress } = ws.data;
  const channel: WsChannel = {
    send: (message) => ws.send(message) !== 0,
    get bufferedAmount() {
      return ws.getBufferedAmount();
    },
    ping: () => {
      ws.ping();
      return true;
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: () => ws.close(1000),
    terminate: () => ws.terminate(),
    batch: (sends) => void ws.cork(sends),
  };
  const stream = new WsStream(channel, modeOf(protocol, route.options.mechanism)!, remoteAddress);
  ws.data.stream = stream;
  route.onStream(stream);
}

function tlsOf(options: WsOptions, endpoint: string): { cert: string; key: string } {
  if (options.wssCertPem === "" || options.wssKeyPem === "") {
    throw new ZmqError("EINVAL", `Cannot bind ${endpoint}: a wss:// bind needs the wssCertPem and wssKeyPem options`, endpoint);
  }
  return { cert: options.wssCertPem, key: options.wssKeyPem };
}

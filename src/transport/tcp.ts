// TCP transport on Bun.listen / Bun.connect: hands the session a ByteStream per connection, each
// tuned as libzmq tunes it (socket-tuning.ts) and, on a listener, admitted by the accept filters.
// Imports only core, Bun and its transport siblings. All ZMTP logic lives in the engine.

import type { Socket, TCPSocketListener } from "bun";
import { ZmqError } from "../core/errors.ts";
import type { ByteStream } from "../core/byte-stream.ts";
import { BunStream, streamHandlers } from "./bun-stream.ts";
import { type TcpAddress, formatTcpEndpoint } from "./endpoint.ts";
import { acceptsPeer } from "./accept-filter.ts";
import { type TuningOptions, tuneConnection, tuneListener } from "./socket-tuning.ts";

/** What a listener applies to each connection it accepts, read as each one arrives. */
export interface ListenOptions extends TuningOptions {
  readonly tcpAcceptFilter: readonly string[];
}

export interface Listener {
  /** The endpoint actually bound, with the real port (ZMQ_LAST_ENDPOINT). */
  readonly endpoint: string;
  /** Stops accepting; established connections are left to their owners. */
  close(): void;
}

/** Binds synchronously; throws EADDRINUSE / EADDRNOTAVAIL naming the endpoint. */
export function listenTcp(address: TcpAddress, endpoint: string, onStream: (stream: ByteStream) => void, options: ListenOptions): Listener {
  let server: TCPSocketListener<BunStream>;
  try {
    server = Bun.listen<BunStream>({
      hostname: address.host,
      port: address.port,
      exclusive: true,
      socket: {
        ...streamHandlers,
        open(socket: Socket<BunStream>) {
          // libzmq closes a peer no filter admits at once, before any event or engine.
          if (!acceptsPeer(options.tcpAcceptFilter, socket.remoteAddress)) return void socket.terminate();
          tuneConnection(socket, options, false);
          const stream = new BunStream(socket, formatTcpEndpoint(socket.remoteAddress, remotePort(socket)));
          socket.data = stream;
          onStream(stream);
        },
      },
    });
  } catch (error) {
    throw bindError(error, endpoint);
  }
  try {
    tuneListener(server, options, endpoint);
  } catch (error) {
    server.stop(true);
    throw error;
  }
  // A bound socket waiting for peers does not keep the process alive (see bun-stream.ts).
  server.unref();
  const bound = formatTcpEndpoint(address.host, server.port);
  return {
    endpoint: bound,
    close: () => server.stop(false),
  };
}

/**
 * Connects; rejects with ECONNREFUSED, ETIMEDOUT (after `timeoutMs` > 0), the OS error, or ENODEV
 * when the connection cannot be bound to the `interface` device (libzmq fails to open it too).
 * The SOCKS5 dial (socks-dial.ts) reaches its proxy through here too.
 */
export function connectTcp(address: TcpAddress, timeoutMs: number, options: TuningOptions): Promise<BunStream> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const remote = formatTcpEndpoint(address.host, address.port);
    const attempt = Bun.connect<BunStream>({
      hostname: address.host,
      port: address.port,
      socket: {
        ...streamHandlers,
        open(socket: Socket<BunStream>) {
          socket.data = new BunStream(socket, remote);
          if (settled) return void socket.terminate();
          settled = true;
          clearTimeout(timer);
          const refused = tuneConnection(socket, options, true);
          if (refused === null) return resolve(socket.data);
          socket.terminate();
          reject(new ZmqError("ENODEV", refused, remote));
        },
        connectError(_socket: Socket<BunStream>, error: Error) {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(error);
        },
      },
    });
    attempt.catch((error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(new ZmqError("ETIMEDOUT", `connect to ${remote} timed out after ${timeoutMs} ms`));
        void attempt.then(
          (socket) => socket.terminate(),
          () => {},
        );
      }, timeoutMs);
      timer.unref?.();
    }
  });
}

function remotePort(socket: Socket<BunStream>): number {
  return (socket as unknown as { remotePort?: number }).remotePort ?? 0;
}

/** A failed bind as libzmq reports it (EADDRINUSE, EADDRNOTAVAIL, else EINVAL), naming the endpoint; also ws-listener.ts's. */
export function bindError(error: unknown, endpoint: string): ZmqError {
  const code = (error as { code?: string }).code ?? "";
  const text = String((error as Error).message ?? error);
  if (code === "EADDRINUSE" || /in use/i.test(text)) {
    return new ZmqError("EADDRINUSE", `cannot bind ${endpoint}; pick another port or use port *`, endpoint, { cause: error });
  }
  if (code === "EADDRNOTAVAIL" || /not available|cannot assign/i.test(text)) {
    return new ZmqError("EADDRNOTAVAIL", `Cannot bind ${endpoint}: no local interface has that address`, endpoint, { cause: error });
  }
  return new ZmqError("EINVAL", `Cannot bind ${endpoint}: ${text}`, endpoint, { cause: error });
}

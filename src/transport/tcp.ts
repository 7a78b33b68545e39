// TCP transport on Bun.listen / Bun.connect: hands the session a ByteStream per connection.
// Imports only core and Bun. All ZMTP logic lives in the engine.

import type { Socket, TCPSocketListener } from "bun";
import { ZmqError } from "../core/errors.ts";
import type { ByteStream } from "../core/byte-stream.ts";
import { BunStream, streamHandlers } from "./bun-stream.ts";
import { type TcpAddress, formatTcpEndpoint } from "./endpoint.ts";
import { type KeepaliveOptions, applyKeepalive } from "./tcp-keepalive.ts";

export interface Listener {
  /** The endpoint actually bound, with the real port (ZMQ_LAST_ENDPOINT). */
  readonly endpoint: string;
  /** Stops accepting; established connections are left to their owners. */
  close(): void;
}

/** Binds synchronously; throws EADDRINUSE / EADDRNOTAVAIL naming the endpoint. */
export function listenTcp(
  address: TcpAddress,
  endpoint: string,
  onStream: (stream: ByteStream) => void,
  keepalive: KeepaliveOptions,
): Listener {
  let server: TCPSocketListener<BunStream>;
  try {
    server = Bun.listen<BunStream>({
      hostname: address.host,
      port: address.port,
      exclusive: true,
      socket: {
        ...streamHandlers,
        open(socket: Socket<BunStream>) {
          applyKeepalive(socket, keepalive);
          const stream = new BunStream(socket, formatTcpEndpoint(socket.remoteAddress, remotePort(socket)));
          socket.data = stream;
          onStream(stream);
        },
      },
    });
  } catch (error) {
    throw bindError(error, endpoint);
  }
  // A bound socket waiting for peers does not keep the process alive (see bun-stream.ts).
  server.unref();
  const bound = formatTcpEndpoint(address.host, server.port);
  return {
    endpoint: bound,
    close: () => server.stop(false),
  };
}

/** Connects; rejects with ECONNREFUSED, ETIMEDOUT (after `timeoutMs` > 0) or the OS error. */
export function connectTcp(address: TcpAddress, timeoutMs: number, keepalive: KeepaliveOptions): Promise<ByteStream> {
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
          applyKeepalive(socket, keepalive);
          clearTimeout(timer);
          resolve(socket.data);
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
        void attempt.then((socket) => socket.terminate(), () => {});
      }, timeoutMs);
      timer.unref?.();
    }
  });
}

function remotePort(socket: Socket<BunStream>): number {
  return (socket as unknown as { remotePort?: number }).remotePort ?? 0;
}

function bindError(error: unknown, endpoint: string): ZmqError {
  const code = (error as { code?: string }).code ?? "";
  const text = String((error as Error).message ?? error);
  if (code === "EADDRINUSE" || /in use/i.test(text)) {
    return new ZmqError("EADDRINUSE", `Address already in use: cannot bind ${endpoint}; pick another port or use port *`, endpoint, { cause: error });
  }
  if (code === "EADDRNOTAVAIL" || /not available|cannot assign/i.test(text)) {
    return new ZmqError("EADDRNOTAVAIL", `Cannot bind ${endpoint}: no local interface has that address`, endpoint, { cause: error });
  }
  return new ZmqError("EINVAL", `Cannot bind ${endpoint}: ${text}`, endpoint, { cause: error });
}

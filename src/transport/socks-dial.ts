// tcp:// connects through a SOCKS5 proxy (ZMQ_SOCKS_PROXY, _USERNAME, _PASSWORD), as libzmq's
// socks_connecter does: dial the proxy, run the SOCKS5 handshake (socks5.ts) on that connection, then
// hand the same connection to the engine as the stream to the target. Imports core and Bun.
// A failure anywhere (proxy down, refused credentials, target unreachable) rejects the dial, and the
// session retries it like a refused connect. `connectTimeout` bounds the whole dial, handshake
// included; libzmq bounds neither, so with 0 a proxy that never answers stalls the dial, as there.

import type { Socket } from "bun";
import type { ByteStream } from "../core/byte-stream.ts";
import { ZmqError } from "../core/errors.ts";
import { BunStream, type SocketSink, streamHandlers } from "./bun-stream.ts";
import { type TcpAddress, formatTcpEndpoint, parseEndpoint } from "./endpoint.ts";
import { Socks5Client } from "./socks5.ts";
import { type TuningOptions, tuneConnection } from "./socket-tuning.ts";

/** The proxy options; `socksProxy` non-empty means "use it". */
export interface SocksOptions {
  readonly socksProxy: string;
  readonly socksUsername: string;
  readonly socksPassword: string;
  readonly ipv6: boolean;
}

/**
 * The proxy's address from ZMQ_SOCKS_PROXY's "host:port" ("[v6]:port" for IPv6; a leading "tcp://"
 * is tolerated). Throws EINVAL naming the option when it is not one.
 */
export function parseSocksProxy(proxy: string, ipv6: boolean): TcpAddress {
  const endpoint = proxy.startsWith("tcp://") ? proxy : `tcp://${proxy}`;
  try {
    const address = parseEndpoint(endpoint, "connect", ipv6);
    if (address.scheme === "tcp") return address;
  } catch {
    // reported below with the option's name
  }
  throw new ZmqError("EINVAL", `Option socksProxy "${proxy}" is not "host:port" (e.g. "127.0.0.1:1080")`);
}

/** Dials `target` through the proxy in `options`; resolves with the tunnelled stream. */
export function connectThroughSocks(target: TcpAddress, timeoutMs: number, options: SocksOptions & TuningOptions): Promise<ByteStream> {
  const proxy = parseSocksProxy(options.socksProxy, options.ipv6);
  return new Promise((resolve, reject) => {
    const dial = new SocksDial(target, options, resolve, reject);
    const attempt = Bun.connect<SocketSink>({
      hostname: proxy.host,
      port: proxy.port,
      data: dial,
      socket: {
        ...streamHandlers,
        open: (socket: Socket<SocketSink>) => dial.open(socket),
        connectError: (_socket: Socket<SocketSink>, error: Error) =>
          dial.fail(`cannot reach the SOCKS5 proxy ${options.socksProxy}: ${error.message}`),
      },
    });
    attempt.catch((error: unknown) => dial.fail(`cannot reach the SOCKS5 proxy ${options.socksProxy}: ${String(error)}`));
    if (timeoutMs > 0) dial.limit(timeoutMs);
  });
}

/** One dial's handshake: the socket's events go here until the stream takes over. */
class SocksDial implements SocketSink {
  readonly #client: Socks5Client;
  readonly #remote: string;
  readonly #options: TuningOptions;
  readonly #resolve: (stream: ByteStream) => void;
  readonly #reject: (error: Error) => void;
  #socket: Socket<SocketSink> | null = null;
  #unsent: Uint8Array | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settled = false;

  constructor(
    target: TcpAddress,
    options: SocksOptions & TuningOptions,
    resolve: (stream: ByteStream) => void,
    reject: (error: Error) => void,
  ) {
    this.#client = new Socks5Client({
      host: target.host,
      port: target.port,
      username: options.socksUsername,
      password: options.socksPassword,
    });
    this.#remote = formatTcpEndpoint(target.host, target.port);
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  open(socket: Socket<SocketSink>): void {
    this.#socket = socket;
    if (this.#settled) return void socket.terminate();
    // libzmq tunes the connection to the proxy as any TCP connection; it carries the target's traffic.
    const refused = tuneConnection(socket, this.#options, true);
    if (refused !== null) return this.fail(refused);
    this.#write(this.#client.greeting());
  }

  limit(ms: number): void {
    this.#timer = setTimeout(
      () => this.fail(`connect through the SOCKS5 proxy to ${this.#remote} timed out after ${ms} ms`, "ETIMEDOUT"),
      ms,
    );
    // Like every bunzmq timer, it must not keep the process alive on its own (reactor/keep-alive.ts).
    this.#timer.unref?.();
  }

  onData(chunk: Uint8Array): void {
    if (this.#settled) return;
    const reply = this.#client.feed(chunk);
    if (this.#client.failed) return this.fail(`SOCKS5 proxy: ${this.#client.error}`);
    if (reply !== null) this.#write(reply);
    if (this.#client.connected) this.#handOver();
  }

  onDrain(): void {
    const unsent = this.#unsent;
    this.#unsent = null;
    if (unsent !== null && !this.#settled) this.#write(unsent);
  }

  onClose(): void {
    this.fail(`SOCKS5 proxy closed the connection before the handshake with ${this.#remote} ended`);
  }

  fail(reason: string, code: "ECONNREFUSED" | "ETIMEDOUT" = "ECONNREFUSED"): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#socket?.terminate();
    this.#reject(new ZmqError(code, reason, this.#remote));
  }

  // Handshake messages are a few bytes, but a short write is still possible: the rest goes on drain.
  #write(bytes: Uint8Array): void {
    const socket = this.#socket!;
    const written = socket.write(bytes, 0, bytes.length);
    if (written < bytes.length) this.#unsent = bytes.subarray(Math.max(written, 0));
  }

  // From here the connection carries the target's bytes; any the proxy sent after its reply go first.
  #handOver(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    const socket = this.#socket! as unknown as Socket<BunStream>;
    const stream = new BunStream(socket, this.#remote);
    socket.data = stream;
    if (this.#client.leftover.length > 0) stream.onData(this.#client.leftover);
    this.#resolve(stream);
  }
}

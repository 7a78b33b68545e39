// tcp:// connects through a SOCKS5 proxy (ZMQ_SOCKS_PROXY, _USERNAME, _PASSWORD), as libzmq's
// socks_connecter does: dial the proxy, run the SOCKS5 handshake (socks5.ts) on that connection, then
// hand the same connection to the engine as the stream to the target. Imports core and its transport
// siblings: connectTcp (tcp.ts) dials the proxy, Socks5Client (socks5.ts) speaks the handshake.
// A failure anywhere (proxy down, refused credentials, target unreachable) rejects the dial, and the
// session retries it like a refused connect. `connectTimeout` bounds the whole dial, handshake
// included; libzmq bounds neither, so with 0 a proxy that never answers stalls the dial, as there.

import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";
import { ZmqError } from "../core/errors.ts";
import type { BunStream } from "./bun-stream.ts";
import { type TcpAddress, formatTcpEndpoint, parseSocksProxy } from "./endpoint.ts";
import { Socks5Client } from "./socks5.ts";
import type { TuningOptions } from "./socket-tuning.ts";
import { connectTcp } from "./tcp.ts";

/** The proxy options; `socksProxy` non-empty means "use it". */
export interface SocksOptions {
  readonly socksProxy: string;
  readonly socksUsername: string;
  readonly socksPassword: string;
  readonly ipv6: boolean;
}

/** Dials `target` through the proxy in `options`; resolves with the tunnelled stream. */
export function connectThroughSocks(target: TcpAddress, timeoutMs: number, options: SocksOptions & TuningOptions): Promise<ByteStream> {
  const proxy = parseSocksProxy(options.socksProxy, options.ipv6);
  const remote = formatTcpEndpoint(target.host, target.port);
  const started = performance.now();
  // connectTcp tunes the connection to the proxy as any TCP connection (libzmq does too): it carries
  // the target's traffic. Its failures, ENODEV included, report as a refused dial, the time-out as one.
  return connectTcp(proxy, timeoutMs, options).then(
    (stream) =>
      new Promise<ByteStream>((resolve, reject) => {
        const handshake = new SocksHandshake(stream, target, options, remote, resolve, reject);
        // What is left of connectTimeout bounds the handshake.
        if (timeoutMs > 0) handshake.limit(timeoutMs, Math.max(timeoutMs - (performance.now() - started), 0));
        stream.start(handshake);
        handshake.begin();
      }),
    (error: unknown) => {
      throw proxyUnreachable(error, options.socksProxy, remote, timeoutMs);
    },
  );
}

function proxyUnreachable(error: unknown, proxy: string, remote: string, timeoutMs: number): ZmqError {
  if (error instanceof ZmqError && error.code === "ETIMEDOUT") return new ZmqError("ETIMEDOUT", timedOut(remote, timeoutMs), remote);
  if (error instanceof ZmqError && error.code === "ENODEV") return new ZmqError("ECONNREFUSED", error.detail, remote);
  const reason = error instanceof Error ? error.message : String(error);
  return new ZmqError("ECONNREFUSED", `cannot reach the SOCKS5 proxy ${proxy}: ${reason}`, remote);
}

function timedOut(remote: string, timeoutMs: number): string {
  return `connect through the SOCKS5 proxy to ${remote} timed out after ${timeoutMs} ms`;
}

/** One dial's handshake: the proxy connection's handler until the caller's engine takes over. */
class SocksHandshake implements ByteStreamHandler {
  readonly #stream: BunStream;
  readonly #client: Socks5Client;
  readonly #remote: string;
  readonly #resolve: (stream: ByteStream) => void;
  readonly #reject: (error: Error) => void;
  #unsent: Uint8Array | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settled = false;

  constructor(
    stream: BunStream,
    target: TcpAddress,
    options: SocksOptions,
    remote: string,
    resolve: (stream: ByteStream) => void,
    reject: (error: Error) => void,
  ) {
    this.#stream = stream;
    this.#client = new Socks5Client({
      host: target.host,
      port: target.port,
      username: options.socksUsername,
      password: options.socksPassword,
    });
    this.#remote = remote;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  begin(): void {
    if (!this.#settled) this.#write(this.#client.greeting());
  }

  /** Fails the dial `remainingMs` from now, reporting the whole `timeoutMs` as spent. */
  limit(timeoutMs: number, remainingMs: number): void {
    this.#timer = setTimeout(() => this.#fail(timedOut(this.#remote, timeoutMs), "ETIMEDOUT"), remainingMs);
    // Like every bunzmq timer, it must not keep the process alive on its own (reactor/keep-alive.ts).
    this.#timer.unref?.();
  }

  onData(chunk: Uint8Array): void {
    if (this.#settled) return;
    const reply = this.#client.feed(chunk);
    if (this.#client.failed) return this.#fail(`SOCKS5 proxy: ${this.#client.error}`);
    if (reply !== null) this.#write(reply);
    if (this.#client.connected) this.#handOver();
  }

  onDrain(): void {
    const unsent = this.#unsent;
    this.#unsent = null;
    if (unsent !== null && !this.#settled) this.#write(unsent);
  }

  onClose(): void {
    this.#fail(`SOCKS5 proxy closed the connection before the handshake with ${this.#remote} ended`);
  }

  #fail(reason: string, code: "ECONNREFUSED" | "ETIMEDOUT" = "ECONNREFUSED"): void {
    if (this.#settled) return;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#stream.destroy();
    this.#reject(new ZmqError(code, reason, this.#remote));
  }

  // Handshake messages are a few bytes, but a short write is still possible: the rest goes on drain.
  #write(bytes: Uint8Array): void {
    const written = this.#stream.write(bytes, 0, bytes.length);
    if (written < bytes.length) this.#unsent = bytes.subarray(Math.max(written, 0));
  }

  // From here the connection carries the target's bytes; any the proxy sent after its reply go first.
  #handOver(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    this.#stream.tunnel(this.#remote, this.#client.leftover);
    this.#resolve(this.#stream);
  }
}

// A ZWS 2.0 connection as the ByteStream the ZMTP engine speaks: ZMTP bytes are re-framed as
// WebSocket messages (zws-translator.ts) over a WsChannel, the few calls a WebSocket offers on either
// side. Only the standard WebSocket surface is required (send, bufferedAmount, close), so a browser's
// WebSocket fits; ping and pause are used where the channel has them. Imports core and its sibling
// zws-translator.ts.

import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";
import { ZwsTranslator, type ZwsMode } from "./zws-translator.ts";

/** One WebSocket, client or server side. */
export interface WsChannel {
  /** Queues one binary message; never blocks. False when the WebSocket dropped it (closed). */
  send(message: Uint8Array): boolean;
  /** Bytes queued by `send` and not yet written to the kernel. */
  readonly bufferedAmount: number;
  /** Sends a WebSocket ping; false where there is none (a browser's WebSocket). */
  ping(): boolean;
  /** Stops reading from the kernel (TCP back-pressure to the peer); a no-op where unsupported. */
  pause(): void;
  resume(): void;
  /** Close handshake after the queued messages. */
  close(): void;
  /** Cuts the connection now. */
  terminate(): void;
  /** Runs `send`s as one batch where the WebSocket can cork them (Bun's server side). */
  batch?(sends: () => void): void;
}

/**
 * `write` stops accepting once this much waits in the WebSocket's own buffer, and the engine keeps
 * the rest in its pipe (HWM): at most this plus one batch or one message is buffered per connection.
 */
export const WS_BUFFER_HIGH = 1024 * 1024;
/** A blocked `write` is retried (`onDrain`) once the WebSocket's buffer falls to this. */
const WS_BUFFER_LOW = 256 * 1024;
/** Standard WebSockets announce no drain: a blocked stream looks at `bufferedAmount` this often. */
const DRAIN_POLL_MS = 1;

export class WsStream implements ByteStream {
  readonly remoteAddress: string;
  readonly #channel: WsChannel;
  readonly #translator: ZwsTranslator;
  #handler: ByteStreamHandler | null = null;
  /** Messages that arrived before the engine's greeting went out (the made-up peer greeting goes first). */
  #early: Array<Uint8Array | string> | null = [];
  #closed = false;
  #blocked = false;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(channel: WsChannel, mode: ZwsMode, remoteAddress: string) {
    this.#channel = channel;
    this.remoteAddress = remoteAddress;
    this.#translator = new ZwsTranslator(mode, {
      send: (message) => {
        // A dropped message means the WebSocket is gone. We are inside the engine's write here, so
        // the engine hears of it from a microtask, not in the middle of its flush.
        if (!channel.send(message)) queueMicrotask(() => this.destroy());
      },
      ping: () => channel.ping(),
      deliver: (chunk) => this.#handler?.onData(chunk),
    });
  }

  get mode(): ZwsMode {
    return this.#translator.mode;
  }

  start(handler: ByteStreamHandler): void {
    this.#handler = handler;
    // The engine writes its greeting right after this returns; the peer's (made up from the
    // subprotocol) may only be fed once ours is out, so it waits for a microtask.
    queueMicrotask(() => {
      if (this.#closed) return;
      handler.onData(this.#translator.peerGreeting());
      const early = this.#early ?? [];
      this.#early = null;
      for (const message of early) this.onMessage(message);
    });
  }

  write(data: Uint8Array, offset: number, length: number): number {
    if (this.#closed) return -1;
    if (this.#channel.bufferedAmount >= WS_BUFFER_HIGH) {
      this.#waitForDrain();
      return 0;
    }
    const send = () => this.#translator.outbound(data, offset, length);
    if (this.#channel.batch) this.#channel.batch(send);
    else send();
    return this.#closed ? -1 : length;
  }

  pause(): void {
    this.#channel.pause();
  }

  resume(): void {
    this.#channel.resume();
  }

  end(): void {
    if (!this.#closed) this.#channel.close();
  }

  destroy(): void {
    if (this.#closed) return;
    this.#channel.terminate();
    this.onClose();
  }

  // The WebSocket's events, from the listener or the dialler.
  onMessage(message: Uint8Array | string): void {
    if (this.#closed) return;
    if (this.#early !== null) {
      this.#early.push(message);
      return;
    }
    if (typeof message === "string") return this.#fail("a text message: ZWS 2.0 carries binary messages only");
    const malformed = this.#translator.inbound(message);
    if (malformed !== null) this.#fail(malformed);
  }

  /** A WebSocket pong: liveness for the engine's heartbeat, like any traffic. */
  onPong(): void {
    if (!this.#closed && this.#early === null) this.#handler?.onData(new Uint8Array(0));
  }

  onDrain(): void {
    if (!this.#blocked || this.#closed || this.#channel.bufferedAmount > WS_BUFFER_LOW) return;
    this.#blocked = false;
    clearTimeout(this.#drainTimer);
    this.#handler?.onDrain();
  }

  onClose(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#drainTimer);
    this.#handler?.onClose(error);
  }

  #waitForDrain(): void {
    if (this.#blocked) return;
    this.#blocked = true;
    const poll = () => {
      this.#drainTimer = undefined;
      if (!this.#blocked || this.#closed) return;
      if (this.#channel.bufferedAmount <= WS_BUFFER_LOW) return this.onDrain();
      this.#drainTimer = setTimeout(poll, DRAIN_POLL_MS);
    };
    this.#drainTimer = setTimeout(poll, DRAIN_POLL_MS);
  }

  /** A peer that breaks ZWS 2.0 loses its connection; the engine hears why. */
  #fail(why: string): void {
    if (this.#closed) return;
    this.#channel.terminate();
    this.#closed = true;
    clearTimeout(this.#drainTimer);
    this.#handler?.onClose(new Error(`ws: the peer sent ${why}`));
  }
}

/** Why a WebSocket closed, for a close that was not the normal one (1000, or 1005: no code). */
export function closeError(code: number, reason: string): Error {
  return new Error(`WebSocket closed with code ${code}${reason === "" ? "" : ` (${reason})`}`);
}

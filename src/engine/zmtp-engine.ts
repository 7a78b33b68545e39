// One ZMTP connection (a 3.x, 2.0 or 1.0 peer): greeting, handshake, then frames <-> messages over a
// pipe end. Imports wire, mechanism, pipe, reactor and core; knows nothing of sockets or transports.

import type { ByteStream, ByteStreamHandler } from "../core/byte-stream.ts";
import { isGroupMessage } from "../core/group-command.ts";
import type { Frame, Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { MessageCipher } from "../mechanism/mechanism.ts";
import type { PipeEnd } from "../pipe/pipe-end.ts";
import type { Engine, EngineFailure, EngineHost, PeerDescription } from "./engine.ts";
import { type Flushable, inboundArrived, scheduleFlush } from "../reactor/flush-scheduler.ts";
import { FLAG_COMMAND, FLAG_MORE } from "../wire/frame.ts";
import { FrameDecoder } from "../wire/decoder.ts";
import { V1FrameDecoder } from "../wire/v1-frames.ts";
import { WriteQueue } from "./write-queue.ts";
import { InboundThrottle } from "./inbound-throttle.ts";
import { Handshake, type HandshakeConfig } from "./handshake.ts";
import type { Heartbeat } from "./heartbeat.ts";
import { appendMessage } from "./message-framing.ts";
import { wireFlags } from "./sealed-frames.ts";
import { NOT_A_GROUP_MESSAGE, TrafficCommands } from "./traffic-commands.ts";
import { type EngineLimits, decodingFailure, handshakeFailure, protocolBacklogFailure } from "./engine-limits.ts";
import { DEFAULT_MAX_PROTOCOL_BACKLOG } from "../core/options.ts";
import { phantomSubscription } from "./legacy-peer.ts";

/** The handshake's configuration (socket type, mechanism, authenticator) and the connection's limits. */
export interface EngineConfig extends HandshakeConfig, EngineLimits {}

const enum State {
  Greeting,
  Handshake,
  Traffic,
  Closed,
}

const NOOP = (): void => {};

export class ZmtpEngine implements Engine, ByteStreamHandler, Flushable {
  readonly #stream: ByteStream;
  #state = State.Greeting;
  readonly #config: EngineConfig;
  readonly #host: EngineHost;
  readonly #handshake: Handshake;
  /** ZMTP 1.0's framing replaces the 3.x one once the greeting shows a 1.0 peer. */
  #decoder: FrameDecoder | V1FrameDecoder;
  readonly #writer: WriteQueue;
  /** Decoding stops at the receive high-water mark; the decoder keeps its place in the chunk. */
  readonly #throttle: InboundThrottle;
  #pipe: PipeEnd | null = null;
  #parts: Frame[] = [];
  #ending = false;
  /** Traffic commands (PING, PONG, SUBSCRIBE, JOIN, …: `traffic-commands.ts`); null until READY. */
  #commands: TrafficCommands | null = null;
  /** The commands' heartbeat timers once they exist, kept here so that counting a chunk costs no hop. */
  #heartbeat: Heartbeat | null = null;
  /** The mechanism's traffic cipher (CURVE) once ready; null while traffic is in clear. */
  #cipher: MessageCipher | null = null;
  /** RFC 48: a DISH takes only `[group, body]` data; libzmq's dish session drops a peer that sends other. */
  readonly #groupsOnly: boolean;

  constructor(stream: ByteStream, config: EngineConfig, host: EngineHost) {
    this.#stream = stream;
    this.#config = config;
    this.#host = host;
    this.#groupsOnly = config.socketType === SocketType.Dish;
    this.#decoder = new FrameDecoder(config.maxMessageSize);
    const max = config.maxProtocolBacklog ?? DEFAULT_MAX_PROTOCOL_BACKLOG;
    const exceeded = (unread: number) => this.#close(protocolBacklogFailure(this.handshaking, unread, max));
    this.#writer = new WriteQueue(stream, config.outBatchSize, { max, exceeded });
    this.#throttle = new InboundThrottle(stream, (chunk) => {
      if (chunk !== null) this.#decoder.feed(chunk);
      this.#processFrames();
    });
    const engine = this;
    this.#handshake = new Handshake(config, {
      append: (bytes) => this.#writer.appendProtocol(bytes),
      flush: () => this.#writer.flush(),
      get ended() {
        return engine.#isClosed();
      },
      remoteAddress: stream.remoteAddress,
      greeted: (v1) => {
        this.#state = State.Handshake;
        if (!v1) return;
        this.#decoder = new V1FrameDecoder(config.maxMessageSize);
        this.#writer.useV1Framing();
      },
      succeeded: (peer, cipher) => this.#onReady(peer, cipher),
      failed: (kind, code, message, status) => this.#close(handshakeFailure(kind, code, message, status)),
    });
  }

  /** The peer's address as the transport names it, for events. */
  get remoteAddress(): string {
    return this.#stream.remoteAddress;
  }

  get handshaking(): boolean {
    return this.#state === State.Greeting || this.#state === State.Handshake;
  }

  /** ZMTP sockets never ask the engine to close a connection. */
  get closeRequested(): boolean {
    return false;
  }

  /** Begins the exchange with the greeting's first piece; the handshake sends the rest as the peer's arrives. */
  start(): void {
    this.#handshake.startTimer(this.#config.handshakeInterval);
    this.#stream.start(this);
    if (this.#isClosed()) return;
    this.#writer.appendProtocol(this.#handshake.ownGreeting());
    this.#writer.flush();
  }

  onData(chunk: Uint8Array): void {
    if (this.#state === State.Closed) return;
    // Any inbound traffic is liveness for the heartbeat timers (zmtp-notes §4.2). Counted per chunk,
    // not per frame: cheaper, and it still counts while decoding is held at the receive HWM.
    if (this.#heartbeat !== null) this.#heartbeat.arrivals++;
    inboundArrived();
    if (this.#state === State.Greeting) {
      const rest = this.#handshake.feedGreeting(chunk);
      if (rest === null) return;
      chunk = rest;
    }
    if (this.#throttle.paused) return this.#throttle.hold(chunk);
    this.#decoder.feed(chunk);
    this.#processFrames();
  }

  onDrain(): void {
    if (this.#state === State.Closed) return;
    if (this.#writer.drained()) this.flush();
  }

  onClose(error?: Error): void {
    if (this.#state === State.Closed) return;
    // A peer gone before the handshake ended is a handshake failure for libzmq (NO_DETAIL with errno
    // EPIPE for a close, ECONNRESET for a reset, verified on 4.3.4), and the endpoint is redialled.
    if (this.handshaking) {
      const code = error === undefined ? "EPIPE" : "ECONNRESET";
      return this.#close(
        handshakeFailure("lost", code, `peer ${error === undefined ? "closed" : "reset"} the connection during the handshake`),
      );
    }
    // Everything the peer sent before closing is delivered, as libzmq does (it reads no further, and
    // so sees no EOF, until the reader makes room): finish once the held bytes are decoded.
    if (this.#state === State.Traffic && this.#throttle.deferClose(() => this.onClose())) return;
    this.#teardown();
    this.#host.engineClosed(this, null);
  }

  /**
   * Moves queued outbound messages into batches and writes them; at most one write per batch.
   * Returns how many messages left the pipe (the flush scheduler's measure of a burst).
   */
  flush(): number {
    if (this.#state === State.Closed || this.#writer.backlogged) return 0;
    // A PONG or our PING waiting for room goes first: the writer is at a message boundary here.
    const commands = this.#commands;
    if (commands?.pending) commands.writePending();
    let moved = 0;
    const pipe = this.#pipe;
    if (pipe !== null) {
      // The engine is a pipe end like any other: what flows towards it is what goes on the wire.
      const toWire = pipe.inbound;
      const writer = this.#writer;
      const cipher = this.#cipher;
      let message = toWire.read();
      while (message !== undefined) {
        moved++;
        if ((message.isSubscription || message.isGroupCommand) && this.#commands!.writeControl(message, this.#handshake.peerMinor)) {
          message = toWire.read();
          continue;
        }
        appendMessage(writer, cipher, message);
        if (message.release !== undefined) writer.releaseWhenWritten(message.release);
        // A write can end the connection (the protocol backlog bound): then the pipe keeps the rest.
        if ((writer.batchFull || writer.backlogged) && (!writer.flush() || this.#isClosed())) return moved;
        message = toWire.read();
      }
    }
    const written = this.#writer.flush();
    if (written && this.#ending && !this.#isClosed()) this.#stream.end();
    return moved;
  }

  /** Graceful end: write what the pipe still holds, then FIN. The caller bounds this with linger. */
  end(): void {
    if (this.#state === State.Closed) return;
    this.#ending = true;
    if (this.#state !== State.Traffic) return this.destroy();
    this.flush();
  }

  /** Immediate close; the host still hears `engineClosed` once. */
  destroy(): void {
    this.#close(null);
  }

  #processFrames(): void {
    const decoder = this.#decoder;
    const throttle = this.#throttle;
    while (!throttle.paused && decoder.next()) {
      if (this.#state !== State.Traffic) this.#handshake.onFrame(decoder.body);
      else if (this.#cipher === null) this.#onTrafficFrame(decoder.flags, decoder.body);
      else this.#onSealedFrame(this.#cipher, decoder.body);
      if (this.#state === State.Closed) return;
    }
    if (decoder.error !== null) this.#close(decodingFailure(this.#state !== State.Traffic, decoder.errorCode, decoder.error));
  }

  #onTrafficFrame(flags: number, body: Uint8Array): void {
    if ((flags & FLAG_COMMAND) !== 0) {
      this.#commands!.onCommand(body);
    } else if ((flags & FLAG_MORE) === 0 && this.#parts.length === 0) {
      // Single-frame fast path: an array literal costs less than push() onto a fresh array.
      this.#deliver([body]);
    } else {
      this.#parts.push(body);
      if ((flags & FLAG_MORE) === 0) {
        const message = this.#parts;
        this.#parts = [];
        this.#deliver(message);
      }
    }
  }

  // Under CURVE every frame is a MESSAGE whose box holds the real frame and its flags. libzmq reports
  // a MESSAGE that fails to open as a handshake protocol error, even in traffic; so do we.
  #onSealedFrame(cipher: MessageCipher, body: Uint8Array): void {
    const frame = cipher.open(body);
    if (frame === null) return this.#close(handshakeFailure("protocol", cipher.error!.code, cipher.error!.message));
    this.#onTrafficFrame(wireFlags(cipher.flags), frame);
  }

  #deliver(message: Message): void {
    if (this.#groupsOnly && !isGroupMessage(message)) return this.#close(NOT_A_GROUP_MESSAGE);
    const fromWire = this.#pipe!.outbound;
    fromWire.write(message);
    // Back-pressure: stop decoding this peer until the socket drains the pipe below its low-water
    // mark. The pipe holds at most one chunk's messages beyond the high-water mark.
    if (!fromWire.canWrite()) this.#throttle.paused = true;
  }

  #onReady(peer: PeerDescription, cipher: MessageCipher | null): void {
    this.#state = State.Traffic;
    this.#cipher = cipher;
    this.#commands = new TrafficCommands(this.#config, this.#writer, cipher, {
      flushSoon: () => scheduleFlush(this),
      midMessage: () => this.#parts.length > 0,
      mayPing: () => this.#state === State.Traffic && !this.#ending,
      deliver: (message) => this.#deliver(message),
      heartbeatCreated: (heartbeat) => void (this.#heartbeat = heartbeat),
      failed: (failure) => this.#close(failure),
    });
    const pipe = this.#host.engineReady(this, peer);
    this.#pipe = pipe;
    pipe.inbound.releasesOnRead = false;
    pipe.inbound.takesWire = cipher === null && this.#writer.framesAsShared;
    pipe.inbound.onReadable = () => scheduleFlush(this);
    pipe.outbound.onWritable = () => queueMicrotask(() => this.#throttle.resume());
    if (this.#handshake.phantomSubscription) this.#deliver(phantomSubscription());
    // RFC 23: traffic may start only once both READYs crossed; anything queued before goes now.
    this.flush();
    if (!this.#isClosed() && !this.#handshake.legacy) this.#commands.startHeartbeat();
  }

  // Callbacks can close the engine mid-method; re-reading the state defeats TypeScript's narrowing.
  #isClosed(): boolean {
    return this.#state === State.Closed;
  }

  /** Ends the connection now: `failure` says why, null for our own destroy(). */
  #close(failure: EngineFailure | null): void {
    if (this.#state === State.Closed) return;
    this.#teardown();
    this.#stream.destroy();
    this.#host.engineClosed(this, failure);
  }

  #teardown(): void {
    this.#state = State.Closed;
    this.#throttle.stop();
    this.#handshake.stop();
    this.#heartbeat?.stop();
    this.#parts = [];
    const pipe = this.#pipe;
    if (pipe !== null) {
      pipe.inbound.takesWire = false;
      pipe.inbound.onReadable = NOOP;
      pipe.outbound.onWritable = NOOP;
      this.#pipe = null;
    }
  }
}

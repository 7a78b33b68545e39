// The commands of one ZMTP connection once traffic flows: the peer's PING (answered with a PONG, its
// TTL armed), PONG, SUBSCRIBE and CANCEL, our outgoing subscriptions, and the heartbeat timers' glue.
// Imports wire, mechanism and core. The engine creates one at READY and hands it only command frames:
// data frames stay on the engine's hot loop and never pass through here.

import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { MessageCipher } from "../mechanism/mechanism.ts";
import { encodeCancel, encodePong, encodeSubscribe, parseCommand, parsePing } from "../wire/command.ts";
import type { EngineFailure } from "./engine.ts";
import { Heartbeat } from "./heartbeat.ts";
import { sealCommand } from "./sealed-frames.ts";
import type { WriteQueue } from "./write-queue.ts";

/** The heartbeat options of a connection, from the socket's options (part of the engine's limits). */
export interface HeartbeatLimits {
  /** ms between our PINGs (ZMQ_HEARTBEAT_IVL); 0 or absent = none. */
  heartbeatInterval?: number;
  /** ms TTL announced in our PINGs, sent as deciseconds (ZMQ_HEARTBEAT_TTL); default 0. */
  heartbeatTimeToLive?: number;
  /** ms to wait for any frame after our PING (ZMQ_HEARTBEAT_TIMEOUT); -1 or absent = the interval. */
  heartbeatTimeout?: number;
}

export interface TrafficCommandsConfig extends HeartbeatLimits {
  socketType: SocketType;
}

export interface TrafficCommandsHost {
  /** Commands were queued on the writer: write them on the next flush. */
  flushSoon(): void;
  /** A multipart message is half received (its frames wait in the engine). */
  midMessage(): boolean;
  /** Our PINGs may still be written: traffic flows and no graceful end has begun. */
  mayPing(): boolean;
  /** Hands a message up the pipe, as a data message would be. */
  deliver(message: Message): void;
  /** The heartbeat timers exist now; the engine counts inbound chunks on them and stops them at close. */
  heartbeatCreated(heartbeat: Heartbeat): void;
  /** A bad command or a heartbeat time-out ends the connection. */
  failed(failure: EngineFailure): void;
}

export class TrafficCommands {
  readonly #config: TrafficCommandsConfig;
  readonly #writer: WriteQueue;
  /** The mechanism's traffic cipher (CURVE); null while traffic is in clear. */
  readonly #cipher: MessageCipher | null;
  readonly #host: TrafficCommandsHost;
  /** Created by `startHeartbeat` if we heartbeat, or at the peer's first PING with a TTL; else null. */
  #heartbeat: Heartbeat | null = null;

  constructor(config: TrafficCommandsConfig, writer: WriteQueue, cipher: MessageCipher | null, host: TrafficCommandsHost) {
    this.#config = config;
    this.#writer = writer;
    this.#cipher = cipher;
    this.#host = host;
  }

  /** After READY: starts our PINGs if the socket asked for them. */
  startHeartbeat(): void {
    if ((this.#config.heartbeatInterval ?? 0) > 0) this.#heartbeatTimers().start();
  }

  /** One traffic frame with the COMMAND flag (its body, opened already under CURVE). */
  onCommand(body: Uint8Array): void {
    const command = parseCommand(body);
    if (command === null) return this.#failProtocol("malformed command frame");
    if (command.name === "PING") {
      const ping = parsePing(command.data);
      if (ping === null) return this.#failProtocol("malformed PING");
      // RFC 37: a peer SHALL reply to a PING with a PONG carrying the PING's context.
      this.#appendCommand(encodePong(ping.context));
      this.#host.flushSoon();
      if (ping.ttl > 0) this.#heartbeatTimers().peerPinged(ping.ttl);
    } else if (command.name === "SUBSCRIBE") this.#onSubscriptionCommand(true, command.data);
    else if (command.name === "CANCEL") this.#onSubscriptionCommand(false, command.data);
    // Other commands (PONG, and those of socket types or ZMTP revisions we do not speak) are
    // ignored, as libzmq does after the handshake.
  }

  // ZMTP 3.1 peers get SUBSCRIBE/CANCEL commands; 3.0 peers get the `[0x01|0x00 + topic]` frame
  // as it is (RFC 37; libzmq >= 4.3.3 does the same, zmtp-notes §4.1), which the engine writes itself.
  writeSubscription(body: Uint8Array): void {
    const topic = body.subarray(1);
    this.#appendCommand(body[0] === 1 ? encodeSubscribe(topic) : encodeCancel(topic));
  }

  /** A whole traffic command frame (PING, PONG, SUBSCRIBE, CANCEL), sealed when the mechanism encrypts. */
  #appendCommand(frame: Uint8Array): void {
    if (this.#cipher === null) this.#writer.appendBytes(frame);
    else sealCommand(this.#writer, this.#cipher, frame);
  }

  // A publisher takes subscriptions in both encodings from anyone; commands are handed up in the
  // legacy form so PUB and XPUB parse a single shape. Other socket types ignore them.
  #onSubscriptionCommand(subscribe: boolean, topic: Uint8Array): void {
    const type = this.#config.socketType;
    if (type !== SocketType.Publisher && type !== SocketType.XPublisher) return;
    if (this.#host.midMessage()) return this.#failProtocol("subscription command inside a multipart message");
    const body = Buffer.allocUnsafe(topic.length + 1);
    body[0] = subscribe ? 1 : 0;
    body.set(topic, 1);
    this.#host.deliver([body]);
  }

  #heartbeatTimers(): Heartbeat {
    if (this.#heartbeat === null) {
      const config = this.#config;
      this.#heartbeat = new Heartbeat(
        { interval: config.heartbeatInterval ?? 0, timeToLive: config.heartbeatTimeToLive ?? 0, timeout: config.heartbeatTimeout ?? -1 },
        { sendPing: (frame) => this.#sendPing(frame), heartbeatExpired: (message) => this.#onHeartbeatExpired(message) },
      );
      this.#host.heartbeatCreated(this.#heartbeat);
    }
    return this.#heartbeat;
  }

  // Our PING goes out between whole messages, like a PONG.
  #sendPing(frame: Uint8Array): void {
    // After end() has flushed and sent FIN nothing may be written; linger bounds that phase anyway.
    if (!this.#host.mayPing()) return;
    this.#appendCommand(frame);
    this.#host.flushSoon();
  }

  // A heartbeat time-out is a lost connection: a connecting session redials (kind "timeout").
  #onHeartbeatExpired(message: string): void {
    this.#host.failed({ stage: "traffic", kind: "timeout", code: "ETIMEDOUT", message });
  }

  #failProtocol(message: string): void {
    this.#host.failed({ stage: "traffic", kind: "protocol", code: "EPROTO", message });
  }
}

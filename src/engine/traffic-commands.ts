// The commands of one ZMTP connection once traffic flows: the peer's PING (answered with a PONG, its
// TTL armed), PONG, SUBSCRIBE and CANCEL, JOIN and LEAVE (RFC 48), our outgoing subscriptions and
// group commands, and the heartbeat timers' glue.
// Imports wire, mechanism and core. The engine creates one at READY and hands it only command frames:
// data frames stay on the engine's hot loop and never pass through here.
//
// What a peer provokes never piles up (#14): as in libzmq (zmtp_engine process_heartbeat_message),
// at most one PONG waits, a later PING replacing it, and at most one of our PINGs; both go out when
// the engine flushes with the writer not backlogged, between whole messages.

import { decodeGroupCommand } from "../core/group-command.ts";
import type { Message } from "../core/message.ts";
import { SocketType } from "../core/socket-type.ts";
import type { MessageCipher } from "../mechanism/mechanism.ts";
import {
  MAX_PING_CONTEXT,
  encodeCancel,
  encodeCommandFrame,
  encodePong,
  encodeSubscribe,
  parseCommand,
  parsePing,
} from "../wire/command.ts";
import type { EngineFailure } from "./engine.ts";
import type { HeartbeatLimits } from "./engine-limits.ts";
import { Heartbeat } from "./heartbeat.ts";
import { sealCommand } from "./sealed-frames.ts";
import type { WriteQueue } from "./write-queue.ts";

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

/** RFC 48 for a DISH's data: libzmq's dish session drops a peer whose message is not a group and one body. */
export const NOT_A_GROUP_MESSAGE: EngineFailure = {
  stage: "traffic",
  kind: "protocol",
  code: "EPROTO",
  message: "RADIO data that is not a group of at most 255 bytes and one body",
};

export class TrafficCommands {
  readonly #config: TrafficCommandsConfig;
  readonly #writer: WriteQueue;
  /** The mechanism's traffic cipher (CURVE); null while traffic is in clear. */
  readonly #cipher: MessageCipher | null;
  readonly #host: TrafficCommandsHost;
  /** Created by `startHeartbeat` if we heartbeat, or at the peer's first PING with a TTL; else null. */
  #heartbeat: Heartbeat | null = null;
  /** The context of the latest PING not yet answered (RFC 37 caps it at 16 bytes), its length in `#pongLength`. */
  readonly #pongContext = new Uint8Array(MAX_PING_CONTEXT);
  /** -1: no PONG owed. */
  #pongLength = -1;
  /** Our heartbeat PING waiting for the writer, or null. */
  #ping: Uint8Array | null = null;

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

  /** A PONG or our PING waits for `writePending`. */
  get pending(): boolean {
    return this.#pongLength >= 0 || this.#ping !== null;
  }

  /**
   * Appends what waits (the PONG, then our PING). The engine calls it from `flush`, between whole
   * messages and only while its writer is not backlogged, so commands never pile up behind bytes
   * the peer does not read.
   */
  writePending(): void {
    const ping = this.#ping;
    this.#ping = null;
    if (this.#pongLength >= 0) {
      const context = this.#pongContext.subarray(0, this.#pongLength);
      this.#pongLength = -1;
      this.#appendCommand(encodePong(context));
    }
    // After end() has flushed and sent FIN nothing may be written; linger bounds that phase anyway.
    if (ping !== null && this.#host.mayPing()) this.#appendCommand(ping);
  }

  /** One traffic frame with the COMMAND flag (its body, opened already under CURVE). */
  onCommand(body: Uint8Array): void {
    const command = parseCommand(body);
    if (command === null) return this.#failProtocol("malformed command frame");
    if (command.name === "PING") {
      const ping = parsePing(command.data);
      if (ping === null) return this.#failProtocol("malformed PING");
      // RFC 37: a peer SHALL reply to a PING with a PONG carrying the PING's context. libzmq keeps
      // one PONG, the latest PING's, with the context cut to 16 bytes; so do we.
      const owed = this.#pongLength >= 0;
      const length = Math.min(ping.context.length, MAX_PING_CONTEXT);
      this.#pongContext.set(ping.context.subarray(0, length));
      this.#pongLength = length;
      if (!owed) this.#host.flushSoon();
      if (ping.ttl > 0) this.#heartbeatTimers().peerPinged(ping.ttl);
    } else if (command.name === "SUBSCRIBE") this.#onSubscriptionCommand(true, command.data);
    else if (command.name === "CANCEL") this.#onSubscriptionCommand(false, command.data);
    else if (command.name === "JOIN" || command.name === "LEAVE") this.#onGroupCommand(body);
    // Other commands (PONG, and those of socket types or ZMTP revisions we do not speak) are
    // ignored, as libzmq does after the handshake.
  }

  /**
   * A subscription or group-command message from the socket, written as its command; false (the
   * engine writes it as data) for a subscription to a ZMTP 3.0 peer, which takes the legacy frame.
   */
  writeControl(message: Message, peerMinor: number): boolean {
    if (message.isGroupCommand === true) this.writeGroupCommand(message[0]!);
    else if (peerMinor >= 1) this.writeSubscription(message[0]!);
    else return false;
    return true;
  }

  // ZMTP 3.1 peers get SUBSCRIBE/CANCEL commands; 3.0 peers get the `[0x01|0x00 + topic]` frame
  // as it is (RFC 37; libzmq >= 4.3.3 does the same, zmtp-notes §4.1), which the engine writes itself.
  writeSubscription(body: Uint8Array): void {
    const topic = body.subarray(1);
    const frame = body[0] === 1 ? encodeSubscribe(topic) : encodeCancel(topic);
    // The application's subscriptions travel like its messages, under the send high-water mark, so
    // they are not protocol output for the writer's bound.
    if (this.#cipher === null) this.#writer.appendBytes(frame);
    else sealCommand(this.#writer, this.#cipher, frame, false);
  }

  /**
   * A DISH's JOIN or LEAVE (a whole command body, core/group-command.ts) as a command frame. Like
   * subscriptions they travel under the send high-water mark, so they are not protocol output.
   */
  writeGroupCommand(body: Uint8Array): void {
    const frame = encodeCommandFrame(body);
    if (this.#cipher === null) this.#writer.appendBytes(frame);
    else sealCommand(this.#writer, this.#cipher, frame, false);
  }

  /** A whole PING or PONG command frame, sealed when the mechanism encrypts; protocol output for the writer's bound. */
  #appendCommand(frame: Uint8Array): void {
    if (this.#cipher === null) this.#writer.appendProtocol(frame);
    else sealCommand(this.#writer, this.#cipher, frame, true);
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

  // RFC 48: a RADIO takes JOIN and LEAVE and hands them up as group-command messages (radio.ts
  // applies them); other socket types ignore them, as libzmq's sessions pass them to sockets that
  // drop them. A group over 255 bytes is a protocol error that ends this connection only: libzmq's
  // msg_t cannot hold it (its radio session asserts on it).
  #onGroupCommand(body: Uint8Array): void {
    if (this.#config.socketType !== SocketType.Radio) return;
    const command = decodeGroupCommand(body);
    if (command === "too-long") return this.#failProtocol("JOIN or LEAVE with a group over 255 bytes");
    if (command === null) return this.#failProtocol("malformed JOIN or LEAVE");
    if (this.#host.midMessage()) return this.#failProtocol("group command inside a multipart message");
    const message: Message = [Buffer.from(body)];
    message.isGroupCommand = true;
    this.#host.deliver(message);
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

  // Our PING goes out between whole messages, like a PONG; one still waiting is not doubled.
  #sendPing(frame: Uint8Array): void {
    if (!this.#host.mayPing() || this.#ping !== null) return;
    this.#ping = frame;
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

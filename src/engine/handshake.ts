// The handshake of one ZMTP connection: the peer's greeting, the mechanism's commands, the
// authenticator's verdict where the mechanism asks for one, and the checks on the peer's metadata.
// The engine owns the bytes; this drives the mechanism, bounds it with the handshake time-out, and
// reports the outcome once.
// Imports wire, mechanism and core.

import { type SocketType, isCompatiblePeer } from "../core/socket-type.ts";
import type { Credentials, Mechanism, MessageCipher, Verdict } from "../mechanism/mechanism.ts";
import { parseHandshakeCommand } from "../wire/command.ts";
import { GreetingParser, encodeGreeting } from "../wire/greeting.ts";
import type { EngineFailure, PeerDescription } from "./engine.ts";

/** What an authenticator is asked: the mechanism's credentials and the peer's transport address (e.g. `tcp://127.0.0.1:40222`). */
export type AuthenticationRequest = Credentials & { remoteAddress: string };

/**
 * Judges a server mechanism's credentials (ZAP handler, callback, or nothing). Called at most once
 * per connection, inside an engine callback; the answer may come at any later time and is dropped
 * if the connection ended first. `abandoned` fires when the connection ends before the answer: a
 * ZAP request still queued is then withdrawn, so requests for connections long gone cannot pile up
 * at a slow handler. Must not reject: failures are verdicts.
 */
export type Authenticator = (request: AuthenticationRequest, abandoned: AbortSignal) => Promise<Verdict>;

export interface HandshakeConfig {
  socketType: SocketType;
  /** A fresh mechanism for this connection. */
  mechanism: Mechanism;
  /** Needed by server mechanisms; absent means no authenticator (the handshake fails with EFAULT). */
  authenticate?: Authenticator;
}

export interface HandshakeHost {
  /** Queues whole frames for the peer; `flush` writes what is queued. */
  append(bytes: Uint8Array): void;
  flush(): void;
  /** True once the connection has ended, which a late verdict must respect. */
  readonly ended: boolean;
  readonly remoteAddress: string;
  /** The greeting is done and matched: from now on the peer's bytes are frames. */
  greeted(): void;
  /** Both sides are ready: traffic may flow, sealed by `cipher` when the mechanism encrypts. */
  succeeded(peer: PeerDescription, cipher: MessageCipher | null): void;
  failed(kind: EngineFailure["kind"], code: string, message: string, status?: number): void;
}

const textDecoder = new TextDecoder();

/** The verdict when a server mechanism has no authenticator at all (libzmq: NO_DETAIL, EFAULT). */
export const NO_AUTHENTICATOR: Verdict = {
  failure: { kind: "other", code: "EFAULT", message: "no authenticator: bind a ZAP handler at inproc://zeromq.zap.01 or set authenticate" },
};

export class Handshake {
  readonly #config: HandshakeConfig;
  readonly #host: HandshakeHost;
  readonly #greeting = new GreetingParser();
  /** The mechanism's pending credentials went to the authenticator; cleared when its verdict is applied. */
  #verdictAsked = false;
  /** ZMTP minor version the peer announced (0 = 3.0 rules for subscriptions). */
  peerMinor = 1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted when the connection ends while the authenticator has not answered. */
  #pendingVerdict: AbortController | null = null;

  constructor(config: HandshakeConfig, host: HandshakeHost) {
    this.#config = config;
    this.#host = host;
  }

  /** Our greeting. RFC 23: as-server is 1 for a PLAIN/CURVE server; libzmq sends 0 and never reads it (zmtp-notes §0). */
  ownGreeting(): Uint8Array {
    return encodeGreeting(this.#config.mechanism.name, this.#config.mechanism.asServer);
  }

  /** Bounds the whole handshake to `interval` ms (ZMQ_HANDSHAKE_IVL; 0 = none); cleared when it succeeds. */
  startTimer(interval: number): void {
    if (interval <= 0) return;
    this.#timer = setTimeout(() => this.#host.failed("timeout", "ETIMEDOUT", `handshake did not finish within ${interval} ms`), interval);
    this.#timer.unref?.();
  }

  /** The connection ended: the time-out no longer applies, and a verdict still awaited is abandoned. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#pendingVerdict?.abort();
    this.#pendingVerdict = null;
  }

  /**
   * Feeds the peer's greeting from `chunk[offset..]`. Returns the offset just past it once it is
   * complete and the mechanism has started; -1 while incomplete, or after a failure was reported.
   */
  feedGreeting(chunk: Uint8Array, offset: number): number {
    const end = this.#greeting.feed(chunk, offset);
    const parser = this.#greeting;
    if (parser.error !== null) {
      this.#host.failed("protocol", parser.errorCode ?? "ERR_ZMTP_UNSPECIFIED", parser.error);
      return -1;
    }
    if (!parser.done) return -1;
    const greeting = parser.greeting!;
    const mechanism = this.#config.mechanism;
    // RFC 23: the peer SHALL use the same mechanism; libzmq compares all 20 bytes of the field.
    if (greeting.mechanism !== mechanism.name) {
      this.#host.failed(
        "protocol",
        "ERR_ZMTP_MECHANISM_MISMATCH",
        `peer uses the ${greeting.mechanism || "empty"} mechanism, we use ${mechanism.name}`,
      );
      return -1;
    }
    this.peerMinor = greeting.major > 3 ? 1 : greeting.minor;
    this.#host.greeted();
    for (const frame of mechanism.start()) this.#host.append(frame);
    this.#afterMechanismStep();
    return this.#host.ended ? -1 : end;
  }

  // libzmq reads handshake commands by body alone, COMMAND flag or not (zmtp-notes §2.4).
  onFrame(body: Uint8Array): void {
    const command = parseHandshakeCommand(body);
    if (command === null)
      return this.#host.failed("protocol", "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", "handshake frame is not a command");
    for (const frame of this.#config.mechanism.onCommand(command)) this.#host.append(frame);
    this.#afterMechanismStep();
  }

  /** Acts on the mechanism's state after it produced frames: fail, succeed, or ask for a verdict. */
  #afterMechanismStep(): void {
    const mechanism = this.#config.mechanism;
    const host = this.#host;
    // Appending its frames may have ended the connection (a peer over maxProtocolBacklog).
    if (host.ended) return;
    if (mechanism.status === "failed") {
      const failure = mechanism.failure!;
      // Frames produced with the failure (an ERROR) go out before the close.
      host.flush();
      return host.failed(failure.kind, failure.code, failure.message, failure.status);
    }
    if (mechanism.status === "ready") this.#checkPeer(mechanism);
    else if (mechanism.pendingCredentials !== null && !this.#verdictAsked) this.#askVerdict(mechanism.pendingCredentials);
    if (!host.ended) host.flush();
  }

  // The authenticator may answer much later (a ZAP round trip, a user's promise). Frames the peer
  // sends meanwhile still reach the mechanism, which refuses them; nothing is delivered before READY.
  #askVerdict(credentials: Credentials): void {
    this.#verdictAsked = true;
    const authenticate = this.#config.authenticate;
    const pending = new AbortController();
    this.#pendingVerdict = pending;
    const verdict =
      authenticate === undefined
        ? Promise.resolve(NO_AUTHENTICATOR)
        : authenticate({ ...credentials, remoteAddress: this.#host.remoteAddress }, pending.signal);
    verdict.then((answer) => {
      // The connection may have ended (time-out, peer gone, socket closed) while we waited.
      if (this.#host.ended || pending.signal.aborted) return;
      this.#pendingVerdict = null;
      this.#verdictAsked = false;
      for (const frame of this.#config.mechanism.onVerdict(answer)) this.#host.append(frame);
      this.#afterMechanismStep();
    });
  }

  #checkPeer(mechanism: Mechanism): void {
    const properties = mechanism.peerProperties!;
    // libzmq looks the names up case-sensitively (zmtp-notes §3.3); RFC 23 makes Socket-Type mandatory.
    const typeBytes = properties.get("Socket-Type");
    if (typeBytes === undefined)
      return this.#host.failed("protocol", "ERR_ZMTP_INVALID_METADATA", "peer's READY has no Socket-Type property");
    const socketType = textDecoder.decode(typeBytes);
    if (!isCompatiblePeer(this.#config.socketType, socketType)) {
      return this.#host.failed("protocol", "ERR_ZMTP_SOCKET_TYPE_MISMATCH", `peer socket type ${socketType} cannot talk to this socket`);
    }
    const routingId = properties.get("Identity") ?? new Uint8Array(0);
    clearTimeout(this.#timer);
    this.#host.succeeded({ socketType, routingId, properties }, mechanism.cipher);
  }
}

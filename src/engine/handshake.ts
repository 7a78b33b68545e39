// The handshake of one ZMTP connection: the staged greeting exchange, then for a 3.x peer the
// mechanism's commands, the authenticator's verdict where the mechanism asks for one and the checks
// on the peer's metadata, or for a 1.0/2.0 peer the identity frames (legacy-peer.ts). The engine owns
// the bytes; this drives the exchange, bounds it with the handshake time-out, and reports the
// outcome once. Imports wire, mechanism and core.

import { type SocketType, isCompatiblePeer } from "../core/socket-type.ts";
import type { Credentials, Mechanism, MessageCipher, Verdict } from "../mechanism/mechanism.ts";
import { parseHandshakeCommand } from "../wire/command.ts";
import { GreetingParser, MAJOR_VERSION, SIGNATURE_SIZE, encodeGreetingTail, encodeSignature } from "../wire/greeting.ts";
import type { Greeting } from "../wire/greeting.ts";
import type { EngineFailure, PeerDescription } from "./engine.ts";
import { legacyPeer, legacyRefusal, needsPhantomSubscription, ownIdentityFrame } from "./legacy-peer.ts";

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
  /**
   * The socket's routing id (ZMQ_ROUTING_ID; absent = empty): the signature's padding announces its
   * length, and a 1.0 or 2.0 peer gets it in our identity frame.
   */
  routingId?: Uint8Array;
}

export interface HandshakeHost {
  /** Queues whole frames for the peer; `flush` writes what is queued. */
  append(bytes: Uint8Array): void;
  flush(): void;
  /** True once the connection has ended, which a late verdict must respect. */
  readonly ended: boolean;
  readonly remoteAddress: string;
  /** The greeting is done and matched: from now on the peer's bytes are frames, ZMTP 1.0's if `v1`. */
  greeted(v1: boolean): void;
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
  /** ZMTP minor version the peer announced (0 = 3.0 rules for subscriptions, which 1.0 and 2.0 peers get too). */
  peerMinor = 1;
  /** The peer speaks ZMTP 1.0 or 2.0: no mechanism, no commands of ours, no heartbeats (libzmq's have none either). */
  legacy = false;
  /** Deliver libzmq's phantom subscribe-all once ready (legacy-peer.ts). */
  phantomSubscription = false;
  #sentMajor = false;
  #sentTail = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted when the connection ends while the authenticator has not answered. */
  #pendingVerdict: AbortController | null = null;

  constructor(config: HandshakeConfig, host: HandshakeHost) {
    this.#config = config;
    this.#host = host;
  }

  /**
   * The first piece of our greeting, the signature: as libzmq does, we say nothing more until the
   * peer's bytes show which protocol it reads (`#sendGreetingPieces`).
   */
  ownGreeting(): Uint8Array {
    return encodeSignature(this.#config.routingId?.length ?? 0);
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
   * Feeds the peer's greeting from `chunk`, sending ours piece by piece as its bytes arrive. Once it is
   * complete and the handshake has started, returns the bytes to decode as frames: the rest of the
   * chunk (possibly empty), led for a greeting-less 1.0 peer by what the parser took of its first
   * frame. Null while incomplete, or after a failure was reported.
   */
  feedGreeting(chunk: Uint8Array): Uint8Array | null {
    const parser = this.#greeting;
    const end = parser.feed(chunk, 0);
    this.#sendGreetingPieces(parser);
    if (this.#host.ended || !parser.done) return null;
    const greeting = parser.greeting!;
    if (greeting.major < 3) return this.#greetLegacy(greeting, chunk, end);
    const mechanism = this.#config.mechanism;
    // RFC 23: the peer SHALL use the same mechanism; libzmq compares all 20 bytes of the field.
    if (greeting.mechanism !== mechanism.name) {
      this.#host.failed(
        "protocol",
        "ERR_ZMTP_MECHANISM_MISMATCH",
        `peer uses the ${greeting.mechanism || "empty"} mechanism, we use ${mechanism.name}`,
      );
      return null;
    }
    this.peerMinor = greeting.minor;
    this.#host.greeted(false);
    for (const frame of mechanism.start()) this.#host.append(frame);
    this.#afterMechanismStep();
    return this.#host.ended ? null : chunk.subarray(end);
  }

  // libzmq's staging (zmtp-notes §1.2): our major once the peer's signature is in (a greeting-less
  // 1.0 peer never sees it), then, once its revision is known, the greeting that peer reads: our
  // socket type for 1.0 and 2.0, the 3.1 rest (minor, mechanism, as-server, filler) for anything else.
  #sendGreetingPieces(parser: GreetingParser): void {
    if (parser.greeting?.unversioned === true) return;
    const host = this.#host;
    if (!this.#sentMajor && parser.received >= SIGNATURE_SIZE) {
      this.#sentMajor = true;
      host.append(Uint8Array.of(MAJOR_VERSION));
    }
    const revision = parser.revision;
    if (!this.#sentTail && revision >= 0) {
      this.#sentTail = true;
      const mechanism = this.#config.mechanism;
      // RFC 23: as-server is 1 for a PLAIN/CURVE server; libzmq sends 0 and never reads it (zmtp-notes §0).
      host.append(revision <= 1 ? Uint8Array.of(this.#config.socketType) : encodeGreetingTail(mechanism.name, mechanism.asServer));
    }
    if (!host.ended) host.flush();
  }

  // A 1.0 or 2.0 peer: refused where libzmq refuses it, else both sides send an identity frame and
  // the peer's, its first frame, completes the handshake (`onFrame`).
  #greetLegacy(greeting: Greeting, chunk: Uint8Array, end: number): Uint8Array | null {
    const host = this.#host;
    const refusal = legacyRefusal(this.#config.socketType, this.#config.mechanism, greeting);
    if (refusal !== null) {
      host.failed("protocol", refusal.code, refusal.message);
      return null;
    }
    this.legacy = true;
    this.peerMinor = 0;
    this.phantomSubscription = needsPhantomSubscription(this.#config.socketType, greeting);
    host.greeted(greeting.major === 1);
    host.append(ownIdentityFrame(greeting, this.#config.routingId ?? new Uint8Array(0)));
    if (!host.ended) host.flush();
    if (host.ended) return null;
    // The greeting parser took the start of a greeting-less peer's first frame: decode it first.
    return greeting.unversioned ? Buffer.concat([this.#greeting.replay(), chunk.subarray(end)]) : chunk.subarray(end);
  }

  // libzmq reads handshake commands by body alone, COMMAND flag or not (zmtp-notes §2.4).
  onFrame(body: Uint8Array): void {
    if (this.legacy) {
      // The peer's identity frame, whatever its flags (libzmq's process_routing_id_msg).
      clearTimeout(this.#timer);
      return this.#host.succeeded(legacyPeer(this.#greeting.greeting!, body), null);
    }
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

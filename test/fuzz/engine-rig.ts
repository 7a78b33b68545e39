// One ZMTP engine (src/engine/zmtp-engine.ts) under test, NULL mechanism, over the in-memory
// FakeStream of src/engine/test-support.ts, with a host that records what the session would see:
// the one engineReady, every engineClosed, the messages handed up the pipe. The peer's bytes are
// built by test/helpers/zmtp-bytes.ts, independently of src/wire.

import { expect } from "bun:test";
import type { Message } from "../../src/core/message.ts";
import { SocketType } from "../../src/core/socket-type.ts";
import type { EngineFailure, EngineHost } from "../../src/engine/engine.ts";
import { ZmtpEngine } from "../../src/engine/zmtp-engine.ts";
import { FakeStream } from "../../src/engine/test-support.ts";
import { NullMechanism } from "../../src/mechanism/null.ts";
import { createPipePair, type PipeEnd } from "../../src/pipe/pipe-end.ts";
import { greeting, ready } from "../helpers/zmtp-bytes.ts";

/** The engine's own socket types here: a PULL (data only) and an XPUB (also takes subscriptions). */
export const RIG_SOCKET_TYPES = { PULL: SocketType.Pull, XPUB: SocketType.XPublisher } as const;
export type RigSocketType = keyof typeof RIG_SOCKET_TYPES;

/** The peers each accepts (RFC 28-31's pairings): the first is the one a good peer announces. */
export const ACCEPTED_PEERS: Record<RigSocketType, readonly string[]> = { PULL: ["PUSH"], XPUB: ["SUB", "XSUB"] };

/** The failure codes an engine closes a connection with, at either stage. */
export const ENGINE_CODES = new Set([
  "ERR_ZMTP_UNSPECIFIED",
  "ERR_ZMTP_UNEXPECTED_COMMAND",
  "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED",
  "ERR_ZMTP_MALFORMED_COMMAND_READY",
  "ERR_ZMTP_MALFORMED_COMMAND_ERROR",
  "ERR_ZMTP_INVALID_METADATA",
  "ERR_ZMTP_SOCKET_TYPE_MISMATCH",
  "EMSGSIZE",
  "EPROTO",
  "ENOBUFS",
  "",
]);

export class EngineRig implements EngineHost {
  readonly stream = new FakeStream();
  readonly engine: ZmtpEngine;
  readonly closed: Array<EngineFailure | null> = [];
  ready = 0;
  readonly #pipes: { socketEnd: PipeEnd; peerEnd: PipeEnd };

  /** `receiveHighWaterMark`: the socket's; a small one makes the engine hold back (InboundThrottle). */
  constructor(type: RigSocketType, maxMessageSize: number, receiveHighWaterMark: number) {
    this.#pipes = createPipePair(1000, receiveHighWaterMark, { routingId: new Uint8Array(0), address: "fuzz peer" });
    const mechanism = new NullMechanism([["Socket-Type", new TextEncoder().encode(type)]]);
    const config = { socketType: RIG_SOCKET_TYPES[type], mechanism, maxMessageSize, handshakeInterval: 0, outBatchSize: 8192 };
    this.engine = new ZmtpEngine(this.stream, config, this);
    this.engine.start();
  }

  engineReady(): PipeEnd {
    this.ready++;
    return this.#pipes.peerEnd;
  }

  engineClosed(_engine: unknown, failure: EngineFailure | null): void {
    this.closed.push(failure);
  }

  /** Bytes from the peer, as Bun hands them over: a Buffer the engine may keep. */
  feed(chunk: Uint8Array): void {
    this.stream.handler!.onData(Buffer.from(chunk));
  }

  /** Takes up to `limit` messages the engine handed up, as the socket would (this may let it read on). */
  take(limit = Infinity): Message[] {
    const messages: Message[] = [];
    for (let message = this.#pipes.socketEnd.inbound.read(); message !== undefined; ) {
      messages.push(message);
      if (messages.length >= limit) break;
      message = this.#pipes.socketEnd.inbound.read();
    }
    return messages;
  }

  /** Ends the connection if it still runs, and checks that the host heard of its end exactly once. */
  finish(): void {
    if (this.closed.length === 0) this.engine.destroy();
    expect(this.closed.length).toBe(1);
    expect(this.ready).toBeLessThanOrEqual(1);
    // Timers a PING's TTL armed are gone with the engine; a second destroy changes nothing.
    this.engine.destroy();
    expect(this.closed.length).toBe(1);
  }
}

/** What a good peer of `type` sends first: a NULL 3.1 greeting and, unless `greetingOnly`, its READY. */
export function goodPeerPrefix(type: RigSocketType, greetingOnly: boolean): Uint8Array {
  const hello = greeting();
  if (greetingOnly) return hello;
  const readyFrame = ready(ACCEPTED_PEERS[type][0]!);
  const out = new Uint8Array(hello.length + readyFrame.length);
  out.set(hello);
  out.set(readyFrame, hello.length);
  return out;
}

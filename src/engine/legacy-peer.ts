// What changes when the peer speaks ZMTP 1.0 or 2.0 (libzmq 2.x and 3.x, JeroMQ 0.3): which such
// peers we refuse, the identity frame each side sends where 3.x has READY, and what the session
// learns of the peer. libzmq 4.x talks to them as zmtp_engine.cpp's handshake_v1_0_unversioned,
// handshake_v1_0 and handshake_v2_0 do (zmtp-notes §1.3); so does this. Imports wire, mechanism
// and core.

import type { Message } from "../core/message.ts";
import type { Mechanism } from "../mechanism/mechanism.ts";
import { SOCKET_TYPE_NAMES, SocketType, isCompatiblePeer } from "../core/socket-type.ts";
import { encodeFrame } from "../wire/frame.ts";
import type { Greeting } from "../wire/greeting.ts";
import { encodeV1Frame } from "../wire/v1-frames.ts";
import type { PeerDescription } from "./engine.ts";

/** Why a legacy peer is refused: a code for `handshake:error:protocol` and what to do about it. */
export interface LegacyRefusal {
  code: "ERR_ZMTP_UNSUPPORTED_VERSION" | "ERR_ZMTP_SOCKET_TYPE_MISMATCH";
  message: string;
}

function versionOf(greeting: Greeting): string {
  return greeting.major === 1 ? "ZMTP 1.0" : "ZMTP 2.0";
}

/** Whether to refuse a peer whose greeting says 1.0 or 2.0; null to talk to it. */
export function legacyRefusal(socketType: SocketType, mechanism: Mechanism, greeting: Greeting): LegacyRefusal | null {
  // libzmq's zap_enabled(): 1.0 and 2.0 carry no mechanism, so a socket that authenticates or
  // encrypts (PLAIN, CURVE, or NULL with a ZAP domain, whose NullMechanism awaits a verdict from the
  // start) cannot let such a peer in without skipping its own security.
  if (mechanism.name !== "NULL" || mechanism.pendingCredentials !== null) {
    const why = mechanism.name === "NULL" ? "a ZAP domain" : `the ${mechanism.name} mechanism`;
    return {
      code: "ERR_ZMTP_UNSUPPORTED_VERSION",
      message: `peer speaks ${versionOf(greeting)}, which has no security mechanism, and this socket uses ${why}: upgrade the peer to ZMTP 3 (libzmq 4, JeroMQ 0.4) or drop the security options`,
    };
  }
  // libzmq 4.3 does not look at the type a 2.0 peer announces; we apply the same matrix as to a 3.x
  // peer's Socket-Type, so a PUSH meeting a SUB fails here rather than delivering to nobody.
  if (greeting.socketType >= 0 && !isCompatiblePeer(socketType, SOCKET_TYPE_NAMES[greeting.socketType] ?? "")) {
    const name = SOCKET_TYPE_NAMES[greeting.socketType] ?? `number ${greeting.socketType}`;
    return {
      code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH",
      message: `${versionOf(greeting)} peer socket type ${name} cannot talk to this ${SOCKET_TYPE_NAMES[socketType]} socket`,
    };
  }
  return null;
}

/**
 * The identity frame we send once the greeting is settled. A greeting-less 1.0 peer already read our
 * signature as the header of that frame (length routing id + 1, flags 0x7F), so it gets the body
 * alone; a revision-0 peer a whole 1.0 frame; a 2.0 peer a 3.x-style frame with flags 0.
 */
export function ownIdentityFrame(greeting: Greeting, routingId: Uint8Array): Uint8Array {
  if (greeting.unversioned) return routingId;
  return greeting.major === 1 ? encodeV1Frame(0, routingId) : encodeFrame(0, routingId);
}

/**
 * What the session learns of a legacy peer from its greeting and identity frame. A 2.0 peer names
 * its socket type by number; a 1.0 peer announces none (""), and has no properties either.
 */
export function legacyPeer(greeting: Greeting, identity: Uint8Array): PeerDescription {
  const socketType = greeting.socketType >= 0 ? (SOCKET_TYPE_NAMES[greeting.socketType] ?? "") : "";
  return { socketType, routingId: identity, properties: new Map() };
}

/**
 * libzmq's phantom subscription: a PUB or XPUB facing a greeting-less 1.0 peer (a libzmq 2.x SUB,
 * which filters for itself and never sends subscriptions) subscribes it to everything, as if it had
 * sent `\x01`, so that it receives what is published.
 */
export function needsPhantomSubscription(type: SocketType, greeting: Greeting): boolean {
  return greeting.unversioned && (type === SocketType.Publisher || type === SocketType.XPublisher);
}

/** The message a phantom subscription delivers up the pipe: subscribe (1) to the empty prefix. */
export function phantomSubscription(): Message {
  return [Buffer.of(1)];
}

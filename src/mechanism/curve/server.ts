// The CURVE server (RFC 25/ZMTP-CURVE over RFC 26/CurveZMQ): a pure state machine holding the
// permanent secret key s. It keeps no state between HELLO and INITIATE beyond a per-connection
// cookie key, checks the client's vouch, then asks its host for a verdict on the client's permanent
// key C (ZAP credentials) before READY. Command layouts: layout.ts. Imports wire.
//
// Checks in libzmq's order (zmtp-notes §5.2): HELLO exactly 200 bytes, version 1.0, box opens →
// INITIATE ≥ 257 bytes, cookie opens and names this connection's C' and s', box opens, vouch opens
// and holds C' (and, stricter than libzmq, our own S as RFC 26 asks) → verdict → metadata → READY.

import { type Command, encodeCommand, encodeError } from "../../wire/command.ts";
import { encodeMetadata, parseMetadata } from "../../wire/metadata.ts";
import { HandshakeBase } from "../handshake-base.ts";
import type { Mechanism, MessageCipher, OwnProperties, Properties, Verdict } from "../mechanism.ts";
import { KEY_BYTES, type KeyPair, generateKeyPair, publicKeyOf, randomBytes, sharedKey } from "./box.ts";
import { open, seal } from "./secretbox.ts";
import { BOX_OVERHEAD } from "./secretbox-source.ts";
import {
  COOKIE_BYTES,
  HELLO_BOX_AT,
  HELLO_DATA_BYTES,
  HELLO_KEY_AT,
  HELLO_NONCE_AT,
  INITIATE_FIXED_BYTES,
  MIN_INITIATE_DATA_BYTES,
} from "./layout.ts";
import { MessageBox } from "./message-box.ts";
import {
  CLIENT_MESSAGE_PREFIX,
  COOKIE_PREFIX,
  HELLO_PREFIX,
  INITIATE_PREFIX,
  LONG_NONCE_BYTES,
  READY_PREFIX,
  SERVER_MESSAGE_PREFIX,
  SHORT_NONCE_BYTES,
  VOUCH_PREFIX,
  WELCOME_PREFIX,
  longNonce,
  readCounter,
  receivedShortNonce,
  shortNonce,
  writeCounter,
} from "./nonces.ts";

const enum State {
  WaitingForHello,
  WaitingForInitiate,
  WaitingForVerdict,
  Done,
}

export class CurveServer extends HandshakeBase implements Mechanism {
  readonly name = "CURVE";
  readonly asServer = true;
  cipher: MessageCipher | null = null;
  readonly #secretKey: Uint8Array;
  readonly #publicKey: Uint8Array;
  #state = State.WaitingForHello;
  #clientTransient: Uint8Array | null = null;
  #transient: KeyPair | null = null;
  /** Seals the cookie; forgotten once INITIATE has used it (RFC 26), so a replayed INITIATE fails. */
  #cookieKey: Uint8Array | null = null;
  #messageKey: Uint8Array | null = null;
  /** The client's last short nonce (HELLO's, then INITIATE's): its MESSAGEs must go above it. */
  #peerNonce = 0;
  #initiateProperties: Properties | null = null;

  /** `secretKey`: our permanent secret key s (curveSecretKey); S is derived from it. */
  constructor(ownProperties: OwnProperties, secretKey: Uint8Array) {
    super(ownProperties);
    this.#secretKey = secretKey;
    this.#publicKey = publicKeyOf(secretKey);
  }

  // RFC 26: the server sends nothing until the client's HELLO.
  start(): Uint8Array[] {
    return [];
  }

  onCommand(command: Command): Uint8Array[] {
    if (this.status !== "handshaking") return this.unexpected(command, "after the handshake ended");
    if (this.#state === State.WaitingForHello) {
      if (command.name !== "HELLO") return this.unexpected(command, "while waiting for HELLO");
      return this.#onHello(command.data);
    }
    if (this.#state === State.WaitingForInitiate) {
      if (command.name !== "INITIATE") return this.unexpected(command, "while waiting for INITIATE");
      return this.#onInitiate(command.data);
    }
    return this.unexpected(command, "while the client's key is being checked");
  }

  onVerdict(verdict: Verdict): Uint8Array[] {
    // libzmq's CURVE server spells ERROR as the RFC does (only its PLAIN server misspells it).
    const refused = this.refusal(verdict, encodeError);
    if (refused !== null) return refused;
    const messageKey = this.#messageKey!;
    const metadata = encodeMetadata(this.ownProperties);
    const box = seal(messageKey, shortNonce(READY_PREFIX, 1), metadata);
    const data = new Uint8Array(SHORT_NONCE_BYTES + box.length);
    writeCounter(data, 0, 1);
    data.set(box, SHORT_NONCE_BYTES);
    this.peerProperties = this.#initiateProperties;
    // READY took our nonce 1.
    this.cipher = new MessageBox(messageKey, SERVER_MESSAGE_PREFIX, CLIENT_MESSAGE_PREFIX, 2, this.#peerNonce);
    this.#state = State.Done;
    this.status = "ready";
    return [encodeCommand("READY", data)];
  }

  #onHello(data: Uint8Array): Uint8Array[] {
    if (data.length !== HELLO_DATA_BYTES)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_HELLO", `HELLO is ${data.length + 6} bytes, not 200`);
    if (data[0] !== 1 || data[1] !== 0)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_HELLO", `HELLO asks for CurveZMQ ${data[0]}.${data[1]}, not 1.0`);
    const clientTransient = data.slice(HELLO_KEY_AT, HELLO_KEY_AT + KEY_BYTES);
    const helloKey = sharedKey(clientTransient, this.#secretKey);
    if (helloKey === null)
      return this.fail("protocol", "ERR_ZMTP_KEY_EXCHANGE", "the client's transient key is not a usable X25519 public key");
    const nonceBytes = data.subarray(HELLO_NONCE_AT, HELLO_BOX_AT);
    if (open(helloKey, receivedShortNonce(HELLO_PREFIX, nonceBytes), data.subarray(HELLO_BOX_AT)) === null) {
      return this.fail("protocol", "ERR_ZMTP_CRYPTOGRAPHIC", "HELLO does not open: the client does not use this server's public key");
    }
    this.#clientTransient = clientTransient;
    this.#peerNonce = readCounter(nonceBytes, 0);
    const transient = generateKeyPair();
    this.#transient = transient;

    // The cookie carries C' and s' back to us sealed with a key only we hold.
    const cookieKey = randomBytes(KEY_BYTES);
    this.#cookieKey = cookieKey;
    const cookieTail = randomBytes(LONG_NONCE_BYTES);
    const cookie = new Uint8Array(COOKIE_BYTES);
    cookie.set(cookieTail);
    cookie.set(seal(cookieKey, longNonce(COOKIE_PREFIX, cookieTail), concat(clientTransient, transient.secretKey)), LONG_NONCE_BYTES);

    const welcomeTail = randomBytes(LONG_NONCE_BYTES);
    const welcome = new Uint8Array(LONG_NONCE_BYTES + KEY_BYTES + COOKIE_BYTES + BOX_OVERHEAD);
    welcome.set(welcomeTail);
    welcome.set(seal(helloKey, longNonce(WELCOME_PREFIX, welcomeTail), concat(transient.publicKey, cookie)), LONG_NONCE_BYTES);
    this.#state = State.WaitingForInitiate;
    return [encodeCommand("WELCOME", welcome)];
  }

  #onInitiate(data: Uint8Array): Uint8Array[] {
    if (data.length < MIN_INITIATE_DATA_BYTES)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_INITIATE", `INITIATE is ${data.length + 9} bytes, under 257`);
    const clientTransient = this.#clientTransient!;
    const transient = this.#transient!;
    const cookie = open(this.#cookieKey!, longNonce(COOKIE_PREFIX, data), data.subarray(LONG_NONCE_BYTES, COOKIE_BYTES));
    this.#cookieKey!.fill(0);
    this.#cookieKey = null;
    if (cookie === null || !equal(cookie, concat(clientTransient, transient.secretKey))) {
      return this.fail("protocol", "ERR_ZMTP_CRYPTOGRAPHIC", "INITIATE's cookie is not the one this connection's WELCOME sent");
    }
    const nonceBytes = data.subarray(COOKIE_BYTES, COOKIE_BYTES + SHORT_NONCE_BYTES);
    const nonce = readCounter(nonceBytes, 0);
    if (nonce <= this.#peerNonce)
      return this.fail("protocol", "ERR_ZMTP_INVALID_SEQUENCE", `INITIATE nonce ${nonce} does not follow HELLO's ${this.#peerNonce}`);
    const messageKey = sharedKey(clientTransient, transient.secretKey)!;
    const plaintext = open(messageKey, receivedShortNonce(INITIATE_PREFIX, nonceBytes), data.subarray(COOKIE_BYTES + SHORT_NONCE_BYTES));
    if (plaintext === null) return this.fail("protocol", "ERR_ZMTP_CRYPTOGRAPHIC", "INITIATE does not open");
    if (plaintext.length < INITIATE_FIXED_BYTES)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_INITIATE", "INITIATE's box is too short for a key and a vouch");

    const clientKey = plaintext.slice(0, KEY_BYTES);
    const vouchKey = sharedKey(clientKey, transient.secretKey);
    if (vouchKey === null)
      return this.fail("protocol", "ERR_ZMTP_KEY_EXCHANGE", "the client's permanent key is not a usable X25519 public key");
    const vouchNonce = longNonce(VOUCH_PREFIX, plaintext.subarray(KEY_BYTES));
    const vouch = open(vouchKey, vouchNonce, plaintext.subarray(KEY_BYTES + LONG_NONCE_BYTES, INITIATE_FIXED_BYTES));
    if (vouch === null)
      return this.fail("protocol", "ERR_ZMTP_CRYPTOGRAPHIC", "INITIATE's vouch does not open with the client's permanent key");
    if (!equal(vouch.subarray(0, KEY_BYTES), clientTransient) || !equal(vouch.subarray(KEY_BYTES), this.#publicKey)) {
      return this.fail("protocol", "ERR_ZMTP_KEY_EXCHANGE", "INITIATE's vouch names another connection or another server");
    }
    const properties = parseMetadata(plaintext.subarray(INITIATE_FIXED_BYTES));
    if (properties === null)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_INITIATE", "INITIATE metadata is truncated or malformed");

    this.#peerNonce = nonce;
    this.#messageKey = messageKey;
    this.#initiateProperties = properties;
    this.#state = State.WaitingForVerdict;
    this.pendingCredentials = { mechanism: "CURVE", publicKey: clientKey };
    return [];
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Byte equality in time independent of where the inputs differ (they hold key material). */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

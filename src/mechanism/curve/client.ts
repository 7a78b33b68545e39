// The CURVE client (RFC 25/ZMTP-CURVE over RFC 26/CurveZMQ): a pure state machine. It knows the
// server's permanent key S, proves its own permanent key C, and leaves the handshake with a
// MessageBox keyed by the two transient keys. Command layouts: layout.ts. Imports wire.

import { type Command, encodeCommand } from "../../wire/command.ts";
import { encodeMetadata, parseMetadata } from "../../wire/metadata.ts";
import { errorCommandFailure } from "../error-command.ts";
import { HandshakeBase } from "../handshake-base.ts";
import type { Mechanism, MessageCipher, OwnProperties } from "../mechanism.ts";
import { KEY_BYTES, type KeyPair, generateKeyPair, randomBytes, sharedKey } from "./box.ts";
import { open, seal } from "./secretbox.ts";
import {
  COOKIE_BYTES,
  HELLO_BOX_AT,
  HELLO_DATA_BYTES,
  HELLO_KEY_AT,
  HELLO_NONCE_AT,
  MIN_READY_DATA_BYTES,
  WELCOME_DATA_BYTES,
} from "./layout.ts";
import { MessageBox } from "./message-box.ts";
import {
  CLIENT_MESSAGE_PREFIX,
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

export interface CurveClientKeys {
  /** Our permanent key pair (curvePublicKey / curveSecretKey). */
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  /** The server's permanent public key (curveServerKey). */
  serverKey: Uint8Array;
}

const enum State {
  WaitingForWelcome,
  WaitingForReady,
  Done,
}

export class CurveClient extends HandshakeBase implements Mechanism {
  readonly name = "CURVE";
  readonly asServer = false;
  cipher: MessageCipher | null = null;
  readonly #keys: CurveClientKeys;
  /** c'/C': made for this connection only, forgotten with it (RFC 26 forward secrecy). */
  readonly #transient: KeyPair = generateKeyPair();
  /** Shared by c' and S: HELLO's box and WELCOME's. */
  #helloKey: Uint8Array | null = null;
  #messageKey: Uint8Array | null = null;
  #state = State.WaitingForWelcome;

  constructor(ownProperties: OwnProperties, keys: CurveClientKeys) {
    super(ownProperties);
    this.#keys = keys;
  }

  // RFC 26: the client opens with HELLO, proving it holds c' for C' without revealing C.
  start(): Uint8Array[] {
    const helloKey = sharedKey(this.#keys.serverKey, this.#transient.secretKey);
    if (helloKey === null) return this.fail("protocol", "ERR_ZMTP_KEY_EXCHANGE", "curveServerKey is not a usable X25519 public key");
    this.#helloKey = helloKey;
    const data = new Uint8Array(HELLO_DATA_BYTES);
    data[0] = 1; // CurveZMQ version 1.0; bytes 2..74 stay zero (anti-amplification padding).
    data.set(this.#transient.publicKey, HELLO_KEY_AT);
    writeCounter(data, HELLO_NONCE_AT, 1);
    data.set(seal(helloKey, shortNonce(HELLO_PREFIX, 1), new Uint8Array(64)), HELLO_BOX_AT);
    return [encodeCommand("HELLO", data)];
  }

  onCommand(command: Command): Uint8Array[] {
    if (this.status !== "handshaking") return this.unexpected(command, "after the handshake ended");
    if (command.name === "ERROR") {
      const failure = errorCommandFailure(command.data);
      return this.fail(failure.kind, failure.code, failure.message, failure.status);
    }
    if (this.#state === State.WaitingForWelcome) {
      if (command.name !== "WELCOME") return this.unexpected(command, "while waiting for WELCOME");
      return this.#onWelcome(command.data);
    }
    if (command.name !== "READY") return this.unexpected(command, "while waiting for READY");
    return this.#onReady(command.data);
  }

  onVerdict(): Uint8Array[] {
    return this.fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", "a CURVE client asks for no verdict");
  }

  #onWelcome(data: Uint8Array): Uint8Array[] {
    if (data.length !== WELCOME_DATA_BYTES)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_WELCOME", `WELCOME is ${data.length + 8} bytes, not 168`);
    const contents = open(this.#helloKey!, longNonce(WELCOME_PREFIX, data), data.subarray(LONG_NONCE_BYTES));
    if (contents === null)
      return this.fail(
        "protocol",
        "ERR_ZMTP_CRYPTOGRAPHIC",
        "WELCOME does not open: the server does not hold the secret key of curveServerKey",
      );
    const serverTransient = contents.subarray(0, KEY_BYTES);
    const cookie = contents.subarray(KEY_BYTES, KEY_BYTES + COOKIE_BYTES);
    const messageKey = sharedKey(serverTransient, this.#transient.secretKey);
    const vouchKey = sharedKey(serverTransient, this.#keys.secretKey);
    if (messageKey === null || vouchKey === null)
      return this.fail("protocol", "ERR_ZMTP_KEY_EXCHANGE", "the server's transient key is not a usable X25519 public key");
    this.#messageKey = messageKey;

    // The vouch binds C' (and the server it is meant for) to our permanent key C.
    const vouchTail = randomBytes(LONG_NONCE_BYTES);
    const vouchContents = new Uint8Array(2 * KEY_BYTES);
    vouchContents.set(this.#transient.publicKey);
    vouchContents.set(this.#keys.serverKey, KEY_BYTES);
    const vouch = seal(vouchKey, longNonce(VOUCH_PREFIX, vouchTail), vouchContents);
    const metadata = encodeMetadata(this.ownProperties);
    const plaintext = new Uint8Array(KEY_BYTES + LONG_NONCE_BYTES + vouch.length + metadata.length);
    plaintext.set(this.#keys.publicKey);
    plaintext.set(vouchTail, KEY_BYTES);
    plaintext.set(vouch, KEY_BYTES + LONG_NONCE_BYTES);
    plaintext.set(metadata, KEY_BYTES + LONG_NONCE_BYTES + vouch.length);
    const box = seal(messageKey, shortNonce(INITIATE_PREFIX, 2), plaintext);

    const initiate = new Uint8Array(COOKIE_BYTES + SHORT_NONCE_BYTES + box.length);
    initiate.set(cookie);
    writeCounter(initiate, COOKIE_BYTES, 2);
    initiate.set(box, COOKIE_BYTES + SHORT_NONCE_BYTES);
    this.#state = State.WaitingForReady;
    return [encodeCommand("INITIATE", initiate)];
  }

  #onReady(data: Uint8Array): Uint8Array[] {
    if (data.length < MIN_READY_DATA_BYTES)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_READY", `READY is ${data.length + 6} bytes, under 30`);
    const messageKey = this.#messageKey!;
    const metadata = open(messageKey, receivedShortNonce(READY_PREFIX, data), data.subarray(SHORT_NONCE_BYTES));
    if (metadata === null) return this.fail("protocol", "ERR_ZMTP_CRYPTOGRAPHIC", "READY does not open");
    const properties = parseMetadata(metadata);
    if (properties === null) return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_READY", "READY metadata is truncated or malformed");
    this.peerProperties = properties;
    // HELLO and INITIATE took our nonces 1 and 2; the server's READY nonce is the floor for its MESSAGEs.
    this.cipher = new MessageBox(messageKey, CLIENT_MESSAGE_PREFIX, SERVER_MESSAGE_PREFIX, 3, readCounter(data, 0));
    this.#state = State.Done;
    this.status = "ready";
    return [];
  }
}

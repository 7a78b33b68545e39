// The PLAIN mechanism (RFC 24/ZMTP-PLAIN): clear-text username and password, judged by the server's
// authenticator (ZAP or a callback). Pure state machines; imports wire and core only.
//
//   C→S  HELLO    05 'HELLO' ulen(1) username pwlen(1) password      (zmtp-notes §5.1)
//   S→C  WELCOME  07 'WELCOME'                                        (exactly 8 bytes)
//   C→S  INITIATE 08 'INITIATE' metadata
//   S→C  READY    05 'READY' metadata
//   S→C  ERROR    05 'ERROR' reason-len reason                        (instead of WELCOME; libzmq
//                 sends and expects 5e 'RROR' reason-len reason, see encodeLibzmqPlainError)

import { ZmqError } from "../core/errors.ts";
import { type Command, encodeCommand, encodeLibzmqPlainError, encodeReady } from "../wire/command.ts";
import { encodeMetadata, parseMetadata } from "../wire/metadata.ts";
import { errorCommandFailure } from "./error-command.ts";
import { HandshakeBase } from "./handshake-base.ts";
import type { Mechanism, OwnProperties, Verdict } from "./mechanism.ts";

/** RFC 24: username and password are each 0 to 255 octets (a 1-byte length). */
export const MAX_PLAIN_CREDENTIAL = 255;

/** PLAIN's common part: its name, and traffic in clear. */
abstract class PlainBase extends HandshakeBase {
  readonly name = "PLAIN";
  readonly cipher = null;
}

const enum ClientState {
  WaitingForWelcome,
  WaitingForReady,
  Done,
}

export class PlainClient extends PlainBase implements Mechanism {
  readonly asServer = false;
  readonly #username: Uint8Array;
  readonly #password: Uint8Array;
  #state = ClientState.WaitingForWelcome;

  /** `username` and `password` are at most 255 bytes each (checked by the option setters). */
  constructor(ownProperties: OwnProperties, username: Uint8Array, password: Uint8Array) {
    super(ownProperties);
    this.#username = username;
    this.#password = password;
  }

  // RFC 24: the client SHALL send HELLO right after the greeting, with its username and password.
  start(): Uint8Array[] {
    return [encodeHello(this.#username, this.#password)];
  }

  onCommand(command: Command): Uint8Array[] {
    if (this.status !== "handshaking") return this.unexpected(command, "after the handshake ended");
    if (command.name === "ERROR") {
      const failure = errorCommandFailure(command.data);
      return this.fail(failure.kind, failure.code, failure.message, failure.status);
    }
    if (this.#state === ClientState.WaitingForWelcome) {
      if (command.name !== "WELCOME") return this.unexpected(command, "while waiting for WELCOME");
      // libzmq checks the WELCOME body is exactly 8 bytes: the name and nothing after it.
      if (command.data.length !== 0) return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_WELCOME", "WELCOME carries data");
      this.#state = ClientState.WaitingForReady;
      // RFC 24: the client SHALL answer WELCOME with INITIATE carrying its metadata.
      return [encodeCommand("INITIATE", encodeMetadata(this.ownProperties))];
    }
    if (command.name !== "READY") return this.unexpected(command, "while waiting for READY");
    const properties = parseMetadata(command.data);
    if (properties === null) return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_READY", "READY metadata is truncated or malformed");
    this.peerProperties = properties;
    this.#state = ClientState.Done;
    this.status = "ready";
    return [];
  }

  onVerdict(): Uint8Array[] {
    return this.fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", "a PLAIN client asks for no verdict");
  }
}

const enum ServerState {
  WaitingForHello,
  WaitingForVerdict,
  WaitingForInitiate,
  Done,
}

export class PlainServer extends PlainBase implements Mechanism {
  readonly asServer = true;
  #state = ServerState.WaitingForHello;

  // RFC 24: the server sends nothing until the client's HELLO.
  start(): Uint8Array[] {
    return [];
  }

  onCommand(command: Command): Uint8Array[] {
    if (this.status !== "handshaking") return this.unexpected(command, "after the handshake ended");
    switch (this.#state) {
      case ServerState.WaitingForHello:
        if (command.name !== "HELLO") return this.unexpected(command, "while waiting for HELLO");
        return this.#onHello(command.data);
      case ServerState.WaitingForInitiate:
        if (command.name !== "INITIATE") return this.unexpected(command, "while waiting for INITIATE");
        return this.#onInitiate(command.data);
      default:
        // A client that does not wait for WELCOME breaks the protocol (libzmq: unexpected command).
        return this.unexpected(command, "while the credentials are being checked");
    }
  }

  onVerdict(verdict: Verdict): Uint8Array[] {
    // The ERROR of a refusal is spelt as libzmq spells it (a compatibility shim, see
    // encodeLibzmqPlainError): otherwise a libzmq client reports an unexpected command instead of the
    // auth failure. Refused either way, an RFC-only peer loses just the status.
    const refused = this.refusal(verdict, encodeLibzmqPlainError);
    if (refused !== null) return refused;
    this.#state = ServerState.WaitingForInitiate;
    return [encodeCommand("WELCOME")];
  }

  #onHello(data: Uint8Array): Uint8Array[] {
    const credentials = parseHello(data);
    if (credentials === null) {
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_HELLO", "HELLO is not exactly ulen, username, pwlen, password");
    }
    this.#state = ServerState.WaitingForVerdict;
    this.pendingCredentials = { mechanism: "PLAIN", ...credentials };
    return [];
  }

  #onInitiate(data: Uint8Array): Uint8Array[] {
    const properties = parseMetadata(data);
    if (properties === null)
      return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_INITIATE", "INITIATE metadata is truncated or malformed");
    this.peerProperties = properties;
    this.#state = ServerState.Done;
    this.status = "ready";
    // RFC 24: the server SHALL answer INITIATE with READY carrying its metadata.
    return [encodeReady(this.ownProperties)];
  }
}

/** HELLO for the given credentials (each at most 255 bytes; longer is a programming error). */
export function encodeHello(username: Uint8Array, password: Uint8Array): Uint8Array {
  if (username.length > MAX_PLAIN_CREDENTIAL || password.length > MAX_PLAIN_CREDENTIAL) {
    throw new ZmqError("EINVAL", "PLAIN username and password must be at most 255 bytes each");
  }
  const data = new Uint8Array(2 + username.length + password.length);
  data[0] = username.length;
  data.set(username, 1);
  data[1 + username.length] = password.length;
  data.set(password, 2 + username.length);
  return encodeCommand("HELLO", data);
}

/**
 * Username and password of HELLO's data (views, not copies), or null unless the data is exactly
 * ulen + username + pwlen + password: libzmq refuses trailing bytes too (zmtp-notes §5.1).
 */
export function parseHello(data: Uint8Array): { username: Uint8Array; password: Uint8Array } | null {
  if (data.length < 1) return null;
  const usernameLength = data[0]!;
  const passwordAt = 1 + usernameLength;
  if (passwordAt + 1 > data.length) return null;
  const passwordLength = data[passwordAt]!;
  if (passwordAt + 1 + passwordLength !== data.length) return null;
  return { username: data.subarray(1, passwordAt), password: data.subarray(passwordAt + 1) };
}

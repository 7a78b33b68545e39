// The NULL mechanism (RFC 23/ZMTP 3.0 §NULL): each side sends READY with its metadata, no security.
// Imports wire only. As libzmq does, a socket with a ZAP domain first has each connection
// judged (a ZAP request with mechanism "NULL" and no credentials) and sends READY only if accepted,
// ERROR otherwise; the peer's READY may arrive meanwhile.

import { type Command, encodeError, encodeReady } from "../wire/command.ts";
import { parseMetadata } from "../wire/metadata.ts";
import { errorCommandFailure } from "./error-command.ts";
import { HandshakeBase } from "./handshake-base.ts";
import type { Mechanism, OwnProperties, Verdict } from "./mechanism.ts";

export class NullMechanism extends HandshakeBase implements Mechanism {
  readonly name = "NULL";
  readonly asServer = false;
  readonly cipher = null;
  #readySent = false;

  /** `judged`: the socket has a ZAP domain (libzmq's zap_required), so READY waits for a verdict. */
  constructor(ownProperties: OwnProperties, judged = false) {
    super(ownProperties);
    if (judged) this.pendingCredentials = { mechanism: "NULL" };
  }

  // RFC 23: the client and server SHALL each send a READY command right after the greeting.
  start(): Uint8Array[] {
    return this.pendingCredentials === null ? this.#sendReady() : [];
  }

  onCommand(command: Command): Uint8Array[] {
    if (this.status !== "handshaking" || this.peerProperties !== null) return this.unexpected(command, "after READY");
    if (command.name === "READY") {
      const properties = parseMetadata(command.data);
      if (properties === null) return this.fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_READY", "READY metadata is truncated or malformed");
      this.peerProperties = properties;
      if (this.#readySent) this.status = "ready";
      return [];
    }
    if (command.name === "ERROR") {
      const failure = errorCommandFailure(command.data);
      return this.fail(failure.kind, failure.code, failure.message, failure.status);
    }
    return this.unexpected(command, "during the NULL handshake");
  }

  // libzmq answers a refusal with ERROR carrying the status (none for 300), instead of READY.
  onVerdict(verdict: Verdict): Uint8Array[] {
    return this.refusal(verdict, encodeError) ?? this.#sendReady();
  }

  #sendReady(): Uint8Array[] {
    this.#readySent = true;
    if (this.peerProperties !== null) this.status = "ready";
    return [encodeReady(this.ownProperties)];
  }
}

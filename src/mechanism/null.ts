// The NULL mechanism (RFC 23/ZMTP 3.0 §NULL): each side sends READY with its metadata, no security.
// Imports wire and core only.

import { type Command, encodeReady } from "../wire/command.ts";
import { parseMetadata } from "../wire/metadata.ts";
import type { HandshakeFailure, Mechanism, OwnProperties, Properties } from "./mechanism.ts";
import { errorCommandFailure } from "./error-command.ts";

export class NullMechanism implements Mechanism {
  readonly name = "NULL";
  readonly asServer = false;
  /** bunzmq's NULL never consults an authenticator (libzmq does only with ZMQ_ZAP_DOMAIN set). */
  readonly pendingCredentials = null;
  readonly cipher = null;
  status: "handshaking" | "ready" | "failed" = "handshaking";
  failure: HandshakeFailure | null = null;
  peerProperties: Properties | null = null;
  readonly #ownProperties: OwnProperties;

  constructor(ownProperties: OwnProperties) {
    this.#ownProperties = ownProperties;
  }

  // RFC 23: the client and server SHALL each send a READY command right after the greeting.
  start(): Uint8Array[] {
    return [encodeReady(this.#ownProperties)];
  }

  onCommand(command: Command): Uint8Array[] {
    if (this.status !== "handshaking") return this.#fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", "command after the handshake ended");
    if (command.name === "READY") {
      const properties = parseMetadata(command.data);
      if (properties === null) return this.#fail("protocol", "ERR_ZMTP_MALFORMED_COMMAND_READY", "READY metadata is truncated or malformed");
      this.peerProperties = properties;
      this.status = "ready";
      return [];
    }
    if (command.name === "ERROR") {
      const failure = errorCommandFailure(command.data);
      return this.#fail(failure.kind, failure.code, failure.message, failure.status);
    }
    return this.#fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name || "unnamed"} command during the NULL handshake`);
  }

  onVerdict(): Uint8Array[] {
    return this.#fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", "NULL asked for no verdict");
  }

  #fail(kind: HandshakeFailure["kind"], code: string, message: string, status?: number): Uint8Array[] {
    this.status = "failed";
    this.failure = status === undefined ? { kind, code, message } : { kind, code, status, message };
    return [];
  }
}

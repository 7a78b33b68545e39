// Bookkeeping shared by the handshakes that have roles (PLAIN, CURVE): status, failure, the peer's
// metadata and our own. Imports wire and core only.

import type { Command } from "../wire/command.ts";
import type { HandshakeFailure, OwnProperties, Properties } from "./mechanism.ts";

export abstract class HandshakeBase {
  status: "handshaking" | "ready" | "failed" = "handshaking";
  failure: HandshakeFailure | null = null;
  peerProperties: Properties | null = null;
  protected readonly ownProperties: OwnProperties;

  constructor(ownProperties: OwnProperties) {
    this.ownProperties = ownProperties;
  }

  /** Ends the handshake; returns no frames, so `return this.fail(...)` reads as the step's answer. */
  protected fail(kind: HandshakeFailure["kind"], code: string, message: string, status?: number): Uint8Array[] {
    this.status = "failed";
    this.failure = status === undefined ? { kind, code, message } : { kind, code, status, message };
    return [];
  }

  protected unexpected(command: Command, phase: string): Uint8Array[] {
    return this.fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", `unexpected ${command.name || "unnamed"} command ${phase}`);
  }
}

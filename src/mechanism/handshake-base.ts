// Bookkeeping shared by the handshakes (NULL, PLAIN, CURVE): status, failure, the peer's
// metadata and our own. Imports wire only.

import type { Command } from "../wire/command.ts";
import type { Credentials, HandshakeFailure, OwnProperties, Properties, Verdict } from "./mechanism.ts";

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

  /** Credentials awaiting the authenticator's verdict (server roles set it). */
  pendingCredentials: Credentials | null = null;

  /**
   * Takes a server's verdict on `pendingCredentials` the way RFC 27 and libzmq do. Returns null for
   * 200, the caller then goes on; otherwise the handshake has failed and the result is what to send:
   * nothing for 300 (a temporary failure closes silently), `errorFrame(status)` for 400 and 500. A
   * failure of the authenticator itself ends the handshake as it stands.
   */
  protected refusal(verdict: Verdict, errorFrame: (status: string) => Uint8Array): Uint8Array[] | null {
    if (this.pendingCredentials === null || this.status !== "handshaking") {
      return this.fail("protocol", "ERR_ZMTP_UNEXPECTED_COMMAND", "verdict without pending credentials");
    }
    this.pendingCredentials = null;
    if ("failure" in verdict) {
      const { kind, code, message, status } = verdict.failure;
      return this.fail(kind, code, message, status);
    }
    const status = verdict.status;
    if (status === 200) return null;
    const frames = status === 300 ? [] : [errorFrame(String(status))];
    this.fail("auth", "", `authentication failed with ZAP status ${status}`, status);
    return frames;
  }
}

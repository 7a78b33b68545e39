// How a peer's ERROR command ends a handshake, shared by every mechanism. Imports wire only.

import { parseErrorReason } from "../wire/command.ts";
import type { HandshakeFailure } from "./mechanism.ts";

/**
 * libzmq reports a peer's ERROR whose reason is a ZAP status (300, 400, 500) as an auth failure
 * carrying that status (zmtp-notes §3.5); any other reason, or a malformed one, as a protocol failure.
 */
export function errorCommandFailure(data: Uint8Array): HandshakeFailure {
  const reason = parseErrorReason(data) ?? "";
  const status = Number(reason);
  if (reason.length === 3 && (status === 300 || status === 400 || status === 500)) {
    return { kind: "auth", code: "", status, message: `peer refused the handshake: ${reason}` };
  }
  return { kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_ERROR", message: `peer sent ERROR: ${reason}` };
}

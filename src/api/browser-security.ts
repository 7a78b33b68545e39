// PLAIN and CURVE refused in the browser build, with the reason. A browser's WebSocket can offer
// only the bare "ZWS2.0" subprotocol (its constructor refuses the "/" of "ZWS2.0/PLAIN"), and bare
// ZWS2.0 has no handshake, so a page's connections are always NULL: for browsers, security is wss://.
// Setting an option that would choose PLAIN or CURVE (a credential, a key, a server flag) throws
// EINVAL at once, through the property and the numbered accessors alike, instead of failing every
// connection later; clearing one (null, false) is allowed. Imports core and its own layer.

import { ZmqError } from "../core/errors.ts";
import type { OptionSpec } from "./option-spec.ts";
import { SECURITY_OPTIONS } from "./security-options.ts";

/** The options that choose a mechanism other than NULL. */
const MECHANISM_OPTIONS = new Set([
  "plainServer",
  "plainUsername",
  "plainPassword",
  "curveServer",
  "curvePublicKey",
  "curveSecretKey",
  "curveServerKey",
]);

/** Makes every option in MECHANISM_OPTIONS refuse a value that would pick PLAIN or CURVE; run once by src/browser.ts. */
export function refuseSecurityMechanisms(): void {
  for (const spec of SECURITY_OPTIONS) {
    if (!MECHANISM_OPTIONS.has(spec.name) || spec.write === undefined) continue;
    const write = spec.write;
    const name = spec.name;
    (spec as { write: OptionSpec["write"] }).write = (target, value: never) => {
      if (value !== null && (value as unknown) !== false && (value as unknown) !== 0) {
        const mechanism = name.startsWith("plain") ? "PLAIN" : "CURVE";
        throw new ZmqError(
          "EINVAL",
          `Option ${name} would make this socket ${mechanism}, and bunzmq/browser speaks only bare ZWS2.0 (NULL): a browser cannot offer the ZWS2.0/${mechanism} subprotocol; use wss:// for security`,
        );
      }
      write(target, value);
    };
  }
}

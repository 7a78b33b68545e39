// Socket constructor option types, derived from the socket classes as zeromq.js derives them (see
// options-of.ts). Types only; imports core (a type helper) and nothing at run time.

import type { Expand } from "../core/events.ts";
import type { Context } from "./context.ts";
import type { WritableKeys } from "./options-of.ts";
import type { CurveKey } from "./security-options.ts";

/**
 * Option properties whose setters take more than their getters return: bytes as well as text, or
 * null to clear. A constructor takes what the setter takes.
 */
export interface WiderSetterOptions {
  routingId: string | Uint8Array | null;
  welcomeMessage: string | Uint8Array | null;
  curvePublicKey: CurveKey | null;
  curveSecretKey: CurveKey | null;
  curveServerKey: CurveKey | null;
  metadata: Record<string, string> | null;
}

type WiderKeys<S> = Extract<keyof WiderSetterOptions, WritableKeys<S>>;

/** What `new S(options)` takes: every option property of that socket type, and its context. */
export type SocketOptions<S extends object> = Expand<
  Partial<{ context: Context } & Pick<S, Exclude<WritableKeys<S>, WiderKeys<S>>> & Pick<WiderSetterOptions, WiderKeys<S>>>
>;

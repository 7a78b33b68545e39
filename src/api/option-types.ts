// Constructor option types, derived from the classes as zeromq.js derives them: every writable
// property that is not a method, all optional. Types only; imports core (a type helper) and nothing
// at run time.

import type { Expand } from "../core/events.ts";
import type { Context } from "./context.ts";
import type { CurveKey } from "./security-options.ts";
import type { Socket } from "./socket.ts";

/** `A` when X and Y are the same type (readonly-ness included), else `B`. */
export type IfEquals<X, Y, A, B = never> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? A : B;

/** Property names of T that are not methods. */
export type ReadableKeys<T> = {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  [P in keyof T]-?: T[P] extends Function ? never : P;
}[keyof T];

/** Property names of T that are not methods and not readonly (getter-only accessors are readonly). */
export type WritableKeys<T> = {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  [P in keyof T]-?: T[P] extends Function ? never : IfEquals<{ [Q in P]: T[P] }, { -readonly [Q in P]: T[P] }, P>;
}[keyof T];

/** The options an object of type T takes at construction: its writable properties, plus E. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Options<T, E = {}> = Expand<Partial<E & Pick<T, WritableKeys<T>>>>;

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
export type SocketOptions<S extends Socket> = Expand<
  Partial<{ context: Context } & Pick<S, Exclude<WritableKeys<S>, WiderKeys<S>>> & Pick<WiderSetterOptions, WiderKeys<S>>>
>;

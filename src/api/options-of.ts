// The generic "options of a class" type, as zeromq.js derives constructor options: every writable
// property that is not a method, all optional. Types only; imports core (a type helper).

import type { Expand } from "../core/events.ts";

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

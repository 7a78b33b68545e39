// The default context as one context for the whole process, as zeromq.js's is: its options and its
// inproc:// names are the same in the main thread and in every Worker.
//
// Bun Workers are separate JavaScript heaps, so what they share is SharedArrayBuffers, handed to
// Workers through worker_threads' environment data: the first thread to load bunzmq creates them
// and sets them there, and every Worker started afterwards (Workers of Workers too) receives the
// same memory at start-up, before any of its code runs. A Worker started before its parent loaded
// bunzmq cannot receive them, and has a default context of its own. Imports io, thread and transport.

import { getEnvironmentData, setEnvironmentData } from "node:worker_threads";
import { SharedInprocNamespace } from "../io/shared-inproc.ts";
import { createNameTable } from "../thread/name-table.ts";
import type { InprocNamespace } from "../transport/inproc.ts";
import type { Context } from "./context.ts";

const ENVIRONMENT_KEY = "bunzmq:default-context";
/** Room for the inproc names bound at one time across threads (about 4,000 of 50 bytes). */
const NAME_TABLE_BYTES = 256 * 1024;

interface SharedState {
  /** Names the BroadcastChannel the threads set up cross-thread connections on. */
  id: string;
  /** One Float64 per shared option, in SHARED_OPTIONS order. */
  options: SharedArrayBuffer;
  names: SharedArrayBuffer;
}

type SharedOption = "blocky" | "ioThreads" | "ioSignaler" | "maxMessageSize" | "maxSockets" | "ipv6";

// Every option is a number in the shared memory; these turn them back into the property's type.
const SHARED_OPTIONS: ReadonlyArray<{ name: SharedOption; encode(value: unknown): number; decode(slot: number): unknown }> = [
  { name: "blocky", encode: (value) => (value ? 1 : 0), decode: (slot) => slot !== 0 },
  { name: "ioThreads", encode: Number, decode: (slot) => slot },
  { name: "ioSignaler", encode: (value) => (value === "eventfd" ? 1 : 0), decode: (slot) => (slot === 1 ? "eventfd" : "atomics") },
  { name: "maxMessageSize", encode: Number, decode: (slot) => slot },
  { name: "maxSockets", encode: Number, decode: (slot) => slot },
  { name: "ipv6", encode: (value) => (value ? 1 : 0), decode: (slot) => slot !== 0 },
];

const namespaces = new WeakMap<Context, SharedInprocNamespace>();

/**
 * Makes `context` this thread's view of the process-wide default context: its options read and
 * write the shared memory (the first thread's values seed it), and its inproc names are shared.
 */
export function shareAcrossThreads(context: Context): Context {
  const inherited = getEnvironmentData(ENVIRONMENT_KEY) as SharedState | undefined;
  const state = inherited ?? {
    id: crypto.randomUUID(),
    options: new SharedArrayBuffer(8 * SHARED_OPTIONS.length),
    names: createNameTable(NAME_TABLE_BYTES),
  };
  if (inherited === undefined) setEnvironmentData(ENVIRONMENT_KEY, state as never);
  const slots = new Float64Array(state.options);
  const target = context as unknown as Record<SharedOption, unknown>;
  SHARED_OPTIONS.forEach((option, index) => {
    if (inherited === undefined) slots[index] = option.encode(target[option.name]);
    Object.defineProperty(context, option.name, {
      get: () => option.decode(slots[index]!),
      set: (value: unknown) => void (slots[index] = option.encode(value)),
      enumerable: true,
      configurable: false,
    });
  });
  namespaces.set(context, new SharedInprocNamespace(state.names, `bunzmq:inproc:${state.id}`));
  return context;
}

/** The shared inproc namespace of the default context; undefined for any other context. */
export function sharedInprocOf(context: Context): InprocNamespace | undefined {
  return namespaces.get(context);
}

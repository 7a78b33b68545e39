// The default context as one context for the whole process, as zeromq.js's is: its options and its
// inproc:// names are the same in the main thread and in every Worker.
//
// Bun Workers are separate JavaScript heaps, so what they share is SharedArrayBuffers, handed to
// Workers through worker_threads' environment data: the first thread to load bunzmq creates them
// and sets them there, and every Worker started afterwards (Workers of Workers too) receives the
// same memory at start-up, before any of its code runs. A Worker started before its parent loaded
// bunzmq cannot receive them, and has a default context of its own. Imports io, thread and transport.

import { getEnvironmentData, setEnvironmentData } from "node:worker_threads";

/** Whether this is the main thread, for context.ts (the browser build has no other: browser-context.ts). */
export { isMainThread } from "node:worker_threads";
import { SharedInprocNamespace } from "../io/shared-inproc.ts";
import { createNameTable } from "../thread/name-table.ts";
import type { InprocNamespace } from "../transport/inproc.ts";
import type { ContextSettings } from "./context-options.ts";

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

const namespaces = new WeakMap<object, SharedInprocNamespace>();
/** The shared option slots of the default context, one Float64 each, in SHARED_OPTIONS order. */
const optionSlots = new WeakMap<object, Float64Array>();
/** The default context's settings as Context reads them: the shared slots over its own settings. */
const views = new WeakMap<object, ContextSettings>();

/**
 * Makes `context` this thread's view of the process-wide default context: its options read and
 * write the shared memory (the first thread's values seed it), and its inproc names are shared.
 */
export function shareAcrossThreads<C extends object>(context: C): C {
  const inherited = getEnvironmentData(ENVIRONMENT_KEY) as SharedState | undefined;
  const state = inherited ?? {
    id: crypto.randomUUID(),
    options: new SharedArrayBuffer(8 * SHARED_OPTIONS.length),
    names: createNameTable(NAME_TABLE_BYTES),
  };
  if (inherited === undefined) setEnvironmentData(ENVIRONMENT_KEY, state as never);
  const slots = new Float64Array(state.options);
  const current = context as unknown as Record<SharedOption, unknown>;
  if (inherited === undefined) SHARED_OPTIONS.forEach((option, index) => void (slots[index] = option.encode(current[option.name])));
  optionSlots.set(context, slots);
  namespaces.set(context, new SharedInprocNamespace(state.names, `bunzmq:inproc:${state.id}`));
  return context;
}

/**
 * The settings a shared context reads and writes: the shared options in the shared memory, the
 * others (the write-only thread options) in `own`, the context's own settings. Undefined for any
 * context but the default one. Context validates values before they get here.
 */
export function sharedSettingsOf(context: object, own: ContextSettings): ContextSettings | undefined {
  const slots = optionSlots.get(context);
  if (slots === undefined) return undefined;
  let view = views.get(context);
  if (view === undefined) {
    view = Object.create(own) as ContextSettings;
    SHARED_OPTIONS.forEach((option, index) => {
      Object.defineProperty(view, option.name, {
        get: () => option.decode(slots[index]!),
        set: (value: unknown) => void (slots[index] = option.encode(value)),
      });
    });
    views.set(context, view);
  }
  return view;
}

/** The shared inproc namespace of the default context; undefined for any other context. */
export function sharedInprocOf(context: object): InprocNamespace | undefined {
  return namespaces.get(context);
}

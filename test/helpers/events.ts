// Records a bunzmq socket's monitor events (the zeromq.js `events.on(type, fn)` observer) so tests can
// wait for "both peers connected" or assert on handshake errors with a bounded wait.

import { waitFor } from "./wait.ts";

/** The parts of an event the tests look at; structurally compatible with bunzmq's Event union. */
export interface RecordedEvent {
  type: string;
  address?: string;
  error?: { code?: string; message?: string };
}

/** What we need from a bunzmq socket: its observer in emitter mode. */
export interface Observable {
  readonly events: { on(type: never, listener: never): unknown };
}

export const EVENT_TYPES = [
  "accept",
  "accept:error",
  "bind",
  "bind:error",
  "connect",
  "connect:delay",
  "connect:retry",
  "close",
  "close:error",
  "disconnect",
  "end",
  "handshake",
  "handshake:error:protocol",
  "handshake:error:auth",
  "handshake:error:other",
  "spill:start",
  "spill:stop",
  "spill:error",
] as const;

export class EventLog {
  readonly events: RecordedEvent[] = [];

  constructor(socket: Observable) {
    type Subscribe = (type: string, listener: (event: RecordedEvent) => void) => unknown;
    const on = socket.events.on.bind(socket.events) as unknown as Subscribe;
    for (const type of EVENT_TYPES) on(type, (event) => this.events.push(event));
  }

  count(type: string): number {
    return this.events.filter((e) => e.type === type).length;
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Waits until at least `count` events of `type` (matching `match`) have been seen; returns the last. */
  async waitFor(
    type: string,
    options: { count?: number; timeoutMs?: number; match?: (e: RecordedEvent) => boolean } = {},
  ): Promise<RecordedEvent> {
    const { count = 1, timeoutMs = 5000, match = () => true } = options;
    const matches = () => this.events.filter((e) => e.type === type && match(e));
    const what = `${count} "${type}" event(s)`;
    await waitFor(() => matches().length >= count, { timeoutMs, what }).catch((error: Error) => {
      throw new Error(`${error.message}; events so far: ${this.describe()}`);
    });
    return matches()[count - 1]!;
  }

  describe(): string {
    const parts = this.events.map((e) => (e.error?.code ? `${e.type}(${e.error.code})` : e.type));
    return parts.length > 0 ? parts.join(", ") : "none";
  }
}

// The game servers the gateway knows: each announced itself (HELLO with the endpoint of its actions
// PULL) and the gateway's PUSH connected to it. The PUSH's monitor events say which are up.
//
// - HELLO from a new server: connect; load spreads onto it as soon as its handshake completes.
//   Servers repeat HELLO every second, so a restarted gateway finds them again.
// - BYE (graceful stop): `disconnect()` flushes what is queued for that server and then closes the
//   connection; the server sees the close after the last action and knows it has everything.
// - A server down longer than `goneAfterMs` (killed, crashed, unreachable) is disconnected and
//   forgotten, so the PUSH stops redialling it.
// Each of these changes is reported to `onEvent` (the metrics model counts them).

import type { Push } from "../../src/index.ts";
import type { ServerEvent, ServerState } from "./metrics-model.ts";

interface ServerEntry {
  id: number;
  endpoint: string;
  connected: boolean;
  leaving: boolean;
  /** performance.now() when it was last seen going down, or null while up (or never up yet). */
  downSince: number | null;
}

export class ServerRegistry {
  readonly #push: Push;
  readonly #goneAfterMs: number;
  readonly #onEvent: (event: ServerEvent) => void;
  readonly #byEndpoint = new Map<string, ServerEntry>();
  /** Every server that ever announced itself, for the per-server share (a gone server's results may still arrive). */
  readonly #byId = new Map<number, ServerEntry>();

  constructor(push: Push, goneAfterMs: number, onEvent: (event: ServerEvent) => void = () => {}) {
    this.#push = push;
    this.#goneAfterMs = goneAfterMs;
    this.#onEvent = onEvent;
    push.events.on("handshake", (event) => this.#setConnected(event.address, true));
    push.events.on("disconnect", (event) => this.#setConnected(event.address, false));
  }

  /** Servers the PUSH is connected to right now. */
  get connectedCount(): number {
    let count = 0;
    for (const entry of this.#byEndpoint.values()) if (entry.connected) count++;
    return count;
  }

  hello(id: number, endpoint: string): void {
    const known = this.#byEndpoint.get(endpoint);
    if (known !== undefined && known.id === id) return;
    if (known !== undefined) {
      // A new server process at an old endpoint: same connection, new name.
      known.id = id;
      this.#byId.set(id, known);
      return;
    }
    const entry: ServerEntry = {
      id,
      endpoint,
      connected: false,
      leaving: false,
      downSince: performance.now(),
    };
    this.#byEndpoint.set(endpoint, entry);
    this.#byId.set(id, entry);
    this.#onEvent("joined");
    this.#push.connect(endpoint);
  }

  bye(id: number): void {
    const entry = this.#byId.get(id);
    if (entry === undefined || entry.leaving) return;
    entry.leaving = true;
    this.#onEvent("left");
    this.#forget(entry);
  }

  /** Forgets servers that stayed down too long. */
  sweep(now: number): void {
    for (const entry of this.#byEndpoint.values()) {
      if (!entry.connected && entry.downSince !== null && now - entry.downSince > this.#goneAfterMs) {
        this.#onEvent("lost");
        this.#forget(entry);
      }
    }
  }

  /** Every server that ever announced itself, in no particular order. */
  describe(): ServerState[] {
    return [...this.#byId.values()].map((e) => ({ id: e.id, connected: e.connected, leaving: e.leaving }));
  }

  #setConnected(endpoint: string | undefined, connected: boolean): void {
    const entry = endpoint === undefined ? undefined : this.#byEndpoint.get(endpoint);
    if (entry === undefined || entry.connected === connected) return;
    this.#onEvent(connected ? "connected" : "disconnected");
    entry.connected = connected;
    entry.downSince = connected ? null : performance.now();
  }

  #forget(entry: ServerEntry): void {
    this.#byEndpoint.delete(entry.endpoint);
    entry.connected = false;
    try {
      this.#push.disconnect(entry.endpoint);
    } catch {
      // Already gone (the socket closed): nothing to end.
    }
  }
}

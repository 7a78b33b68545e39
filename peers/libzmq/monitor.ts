// Reads zmq_socket_monitor's events for a LibzmqSocket (./socket.ts starts the monitor and hands
// over the PAIR that reads it): each event is two frames, a uint16 event and a uint32 value in host
// order, then the endpoint. Imports nothing outside this folder.

import { endianness } from "node:os";
import { ZMQ_EVENT, type MonitorEventName } from "./constants.ts";
import { pollUntil } from "./poll.ts";

/** What the monitor needs of the monitored socket and of its reader (both LibzmqSockets). */
interface MonitoredSocket {
  stopMonitor(): void;
}
interface EventReader {
  readonly closed: boolean;
  tryReceive(): Buffer[] | null;
  close(): void;
}

export interface MonitorEvent {
  event: number;
  name: MonitorEventName | "UNKNOWN";
  /** fd, errno, retry interval or protocol error code, depending on the event. */
  value: number;
  endpoint: string;
}

const EVENT_NAMES = new Map<number, MonitorEventName>(
  Object.entries(ZMQ_EVENT)
    .filter(([name]) => name !== "ALL")
    .map(([name, bit]) => [bit, name as MonitorEventName]),
);
const LITTLE_ENDIAN = endianness() === "LE";

/** The events of one monitored socket, read as they are asked for. */
export class LibzmqMonitor {
  readonly #target: MonitoredSocket;
  readonly #reader: EventReader;
  /** Every event read so far, oldest first. */
  readonly events: MonitorEvent[] = [];

  constructor(target: MonitoredSocket, reader: EventReader) {
    this.#target = target;
    this.#reader = reader;
  }

  /** Moves every pending event into `events`. */
  drain(): MonitorEvent[] {
    for (;;) {
      if (this.#reader.closed) return this.events;
      const message = this.#reader.tryReceive();
      if (message === null) return this.events;
      const head = message[0]!;
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const event = view.getUint16(0, LITTLE_ENDIAN);
      this.events.push({
        event,
        name: EVENT_NAMES.get(event) ?? "UNKNOWN",
        value: view.getUint32(2, LITTLE_ENDIAN),
        endpoint: message[1]?.toString("utf8") ?? "",
      });
    }
  }

  /** Names of the events seen so far (after draining), e.g. for assertions and failure messages. */
  names(): string[] {
    return this.drain().map((e) => e.name);
  }

  /** Resolves with the first event (seen before or later) named `name` that satisfies `match`; bounded. */
  waitFor(name: MonitorEventName, options: { timeoutMs?: number; match?: (e: MonitorEvent) => boolean } = {}): Promise<MonitorEvent> {
    const { timeoutMs = 5000, match = () => true } = options;
    return pollUntil(
      () => this.drain().find((e) => e.name === name && match(e)) ?? null,
      timeoutMs,
      () => `libzmq monitor event ${name} (seen: ${this.events.map((e) => e.name).join(", ") || "none"})`,
    );
  }

  /** Counts events named `name` seen so far. */
  count(name: MonitorEventName): number {
    return this.drain().filter((e) => e.name === name).length;
  }

  close(): void {
    this.#target.stopMonitor();
    this.#reader.close();
  }
}

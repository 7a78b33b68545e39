// The messages between a Link (link.ts) and its forwarder process (forwarder.ts): the start-up
// configuration (one JSON argument), requests as JSON lines on the forwarder's stdin, and replies
// and events as JSON lines on its stdout. Times are milliseconds since the epoch with fractions
// (performance.timeOrigin + performance.now()), comparable across the processes of one machine.
// Imports only the impairment types.

import type { Direction, Impairment, Partition, PathStats } from "./impairment.ts";

export interface SideConfig {
  /** IPv4 address of the side's TUN device. */
  address: string;
  device: string;
}

export interface ForwarderConfig {
  sides: [SideConfig, SideConfig];
  /** Prefix length of both addresses: one subnet spans the link. */
  prefixLength: number;
  impairment: Impairment;
  /** Seeds the random drops, delays and reorderings. */
  seed: number;
}

export interface ReadySide extends SideConfig {
  /** A path to the namespace for `nsenter --net=`: /proc/<forwarder pid>/fd/<n>. */
  netns: string;
}

export type RequestBody =
  | { op: "impair"; changes: Partial<Impairment> }
  /** Cuts `direction`; with `durationMs` the forwarder heals by itself after that long and says so. */
  | { op: "partition"; direction: Exclude<Partition, "none">; durationMs?: number }
  | { op: "heal" }
  | { op: "stats" };

/** A request carries an id; its reply carries the same id. */
export type Request = RequestBody & { id: number };

export interface LinkStats {
  "a-to-b": PathStats;
  "b-to-a": PathStats;
  /** Packets waiting out their delay right now. */
  waiting: number;
}

export type Reply =
  | { id: number; ok: true; at: number; impairment: Impairment; stats: LinkStats }
  | { id: number; ok: false; error: string };

export type Event =
  | { event: "ready"; pid: number; seed: number; sides: [ReadySide, ReadySide] }
  /** Start-up failed (no permission for namespaces, no /dev/net/tun); the forwarder exits after it. */
  | { event: "failed"; error: string }
  | { event: "healed"; at: number };

export type Output = Reply | Event;

export const DIRECTIONS: readonly Direction[] = ["a-to-b", "b-to-a"];

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

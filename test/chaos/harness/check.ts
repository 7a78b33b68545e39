// The shape of a chaos check and what the runner gives it. A check starts peers on the two sides of
// a network, breaks something, and records figures (each with its unit) and failures; it throws only
// when it cannot go on. Imports the fixture's types and the child wrapper.

import type { Impairment } from "../net/impairment.ts";
import type { Link } from "../net/link.ts";
import type { NetSide } from "../net/net-side.ts";
import type { JsonChild } from "./json-child.ts";

export interface Check {
  /** What `--only` takes: "loss", "partition", ... */
  name: string;
  /** One line: what it breaks and what must hold. */
  title: string;
  /** Needs the impaired link (loss, delay, partitions); the others run on loopback where it is missing. */
  needsLink: boolean;
  /** Part of the short version (`--short`, CI). */
  short: boolean;
  /** Upper bound on the check's run, seconds, full and short; the runner fails it past that. */
  boundSeconds: { full: number; short: number };
  run(context: CheckContext): Promise<void>;
}

/** Two sides to run peers on: the impaired link's namespaces, or both on loopback. */
export interface Net {
  a: NetSide;
  b: NetSide;
  /** The link, to change its impairment; null on loopback. */
  link: Link | null;
}

export type PeerProgram = "server" | "client" | "crowd" | "raw";

export interface CheckContext {
  /** The short version's sizes and durations. */
  readonly short: boolean;
  /** Aborted on Ctrl-C or when the check passes its bound; long waits should give up then. */
  readonly signal: AbortSignal;
  /** Opens this check's network, impaired as given (ignored on loopback); closed by the runner. */
  net(impairment?: Partial<Impairment>): Promise<Net>;
  /** Starts one of the peer programs on `side` with `config`; killed by the runner at the end. */
  peer(side: NetSide, program: PeerProgram, config: object, label: string): JsonChild;
  /** Records a figure for the report. */
  figure(name: string, value: number | string | boolean, unit?: string): void;
  /** Records a failure unless `holds`; the check goes on, and fails at the end. */
  require(holds: boolean, failure: string): void;
  /** Runs `task` when the check ends (newest first), before its peers are killed. */
  defer(task: () => unknown): void;
  /** A progress line while the check runs. */
  log(line: string): void;
}

export interface Figure {
  name: string;
  value: number | string | boolean;
  unit?: string;
}

export type Outcome = "pass" | "fail" | "skip" | "interrupted" | "not run";

export interface CheckResult {
  name: string;
  outcome: Outcome;
  seconds: number;
  figures: Figure[];
  failures: string[];
  /** Why it was skipped, or the network it ran on ("impaired link", "loopback: <why>"). */
  note?: string;
}

/** Milliseconds between two epoch times, rounded for the report. */
export function msBetween(from: number, to: number): number {
  return Math.round(to - from);
}

export function megabytes(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

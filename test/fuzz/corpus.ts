// The fuzz corpus: every input that ever made a fuzz property fail, one JSON file per target
// (test/fuzz/corpus/<target>.json), replayed before the random inputs on every run so a fixed bug
// stays fixed and a property that once caught a fault keeps catching it.
//
// An entry's input is the value the property's arbitrary produced, in JSON: byte arrays are written
// as { "$bytes": "<hex>" } (JSON has no binary), everything else as JSON writes it. Arbitraries of
// the suite therefore produce only JSON-friendly values (no bigint, no undefined, no NaN).

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface CorpusEntry {
  /** The property's name as the test reports it: which check the input is replayed against. */
  property: string;
  /** Where it came from: a long run's seed and date, or the fault a hand-made break introduced. */
  note: string;
  /** The first line of the failure the input caused when it was found. */
  failure: string;
  input: unknown;
}

const BYTES_KEY = "$bytes";

/** The corpus file of `target`, whether or not it exists yet. */
export function corpusPath(target: string): string {
  return join(import.meta.dir, "corpus", `${target}.json`);
}

/** The inputs recorded for `property` of `target`, decoded back into the arbitrary's values. */
export function corpusInputs(target: string, property: string): unknown[] {
  return readCorpus(target)
    .filter((entry) => entry.property === property)
    .map((entry) => fromJson(entry.input));
}

/** Appends a failing input to `target`'s corpus file (created on first use); returns the file's path. */
export function appendToCorpus(target: string, entry: CorpusEntry): string {
  const path = corpusPath(target);
  const entries = readCorpus(target);
  entries.push({ ...entry, input: toJson(entry.input) });
  writeFileSync(path, `${JSON.stringify(entries, null, 2)}\n`);
  return path;
}

function readCorpus(target: string): CorpusEntry[] {
  const path = corpusPath(target);
  if (!existsSync(path)) return [];
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (!Array.isArray(parsed)) throw new Error(`${path} must hold a JSON array of corpus entries`);
  return parsed as CorpusEntry[];
}

/** A JSON-ready copy of `value`; throws for what JSON cannot carry faithfully, so nothing is lost silently. */
export function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_KEY]: Buffer.from(value.buffer, value.byteOffset, value.length).toString("hex") };
  if (Array.isArray(value)) return value.map(toJson);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw new Error(`the corpus cannot hold the number ${value}`);
    return value;
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJson(item);
    return out;
  }
  throw new Error(`the corpus cannot hold a ${typeof value}`);
}

/** The inverse of `toJson`: `{ "$bytes": hex }` becomes a Uint8Array again. */
export function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === BYTES_KEY && typeof record[BYTES_KEY] === "string") {
    return new Uint8Array(Buffer.from(record[BYTES_KEY], "hex"));
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) out[key] = fromJson(item);
  return out;
}

// A strict reader of Prometheus' text exposition format (version 0.0.4), for tests that scrape an
// endpoint: every line must be a comment, a HELP or TYPE line, a sample or blank, every sample must
// belong to a family declared with TYPE before it, and histograms must be whole (cumulative buckets
// ending in +Inf, equal to _count). Anything else throws, naming the line, so a scrape that parses
// here is one Prometheus would accept.

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const TYPES = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);
/** The sample names a family of each type may have besides its own name. */
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [""],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

/** A label set as text that does not depend on the order the labels were written in. */
const labelKey = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());

function parseValue(text: string, line: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Error(`bad sample value "${text}" in: ${line}`);
  return value;
}

function parseLabels(text: string | undefined, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === undefined || text.trim() === "") return labels;
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (match === null) throw new Error(`bad labels in: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

function familyOf(families: Map<string, Family>, sampleName: string, line: string): Family {
  for (const family of families.values()) {
    if (SUFFIXES[family.type].some((suffix) => family.name + suffix === sampleName)) return family;
  }
  throw new Error(`sample without a TYPE line before it: ${line}`);
}

function checkHistogram(family: Family): void {
  const series = new Map<string, Sample[]>();
  for (const sample of family.samples.filter((s) => s.name.endsWith("_bucket"))) {
    const { le, ...rest } = sample.labels;
    if (le === undefined) throw new Error(`${family.name}: a bucket without "le"`);
    const key = labelKey(rest);
    series.set(key, [...(series.get(key) ?? []), sample]);
  }
  for (const [key, buckets] of series) {
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${family.name}${key}: buckets are not cumulative`);
    }
    const last = buckets.at(-1)!;
    if (last.labels.le !== "+Inf") throw new Error(`${family.name}${key}: the last bucket is not le="+Inf"`);
    const count = family.samples.find((s) => s.name === `${family.name}_count` && labelKey(s.labels) === key);
    if (count === undefined || count.value !== last.value) throw new Error(`${family.name}${key}: _count differs from the +Inf bucket`);
  }
}

/** The families of a scrape, by name; throws on the first line Prometheus would reject. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const help = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!new RegExp(`^${NAME}$`).test(name)) throw new Error(`bad metric name in: ${line}`);
      if (kind === "HELP") help.set(name, rest);
      else if (!TYPES.has(rest as MetricType)) throw new Error(`unknown type in: ${line}`);
      else if (families.has(name)) throw new Error(`second TYPE line for ${name}`);
      else families.set(name, { name, type: rest as MetricType, help: help.get(name) ?? "", samples: [] });
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (sample === null) throw new Error(`not a sample line: ${line}`);
    const [, name, labels, value] = sample as unknown as [string, string, string | undefined, string];
    familyOf(families, name, line).samples.push({ name, labels: parseLabels(labels, line), value: parseValue(value, line) });
  }
  for (const family of families.values()) {
    family.help ||= help.get(family.name) ?? "";
    if (family.type === "histogram") checkHistogram(family);
  }
  return families;
}

/** The value of the one sample named `name` with exactly these labels (all of them), or undefined. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = labelKey(labels);
  for (const family of families.values()) {
    const found = family.samples.find((s) => s.name === name && labelKey(s.labels) === want);
    if (found !== undefined) return found.value;
  }
  return undefined;
}

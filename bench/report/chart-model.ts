// What bench/report/chart.ts draws, read from any bench's JSON record (bench/report/results-file.ts and
// bench/report/run-record.ts write them): panels (one per transport) of groups (one per message size, or
// per subscriber count) of rows (one per implementation, labels taken as they are, so a new
// implementation's rows need no change here), each row with one bar, or a p50 and a p99 bar for
// latency. The ratio is computed here against the libzmq row of the same group. No I/O.

import { rate, sizeLabel } from "./table.ts";

export interface Bar {
  /** null for a single-bar row; "p50" or "p99" for latency. */
  series: string | null;
  value: number;
  /** value / the baseline row's value of the same series; null without a baseline. */
  ratio: number | null;
  /** The value as printed, e.g. "3.56 M msgs/s" or "44.3 µs". */
  text: string;
}

export interface BarRow {
  label: string;
  /** The implementation: the row's `family` field where it has one, else its label's first word. */
  family: string;
  baseline: boolean;
  /** A mixed pair (push-pull's interop rows): shown to work, not to compare implementations. */
  interop: boolean;
  /** Empty when the row failed. */
  bars: Bar[];
  error: string | null;
}

export interface Group {
  label: string;
  rows: BarRow[];
}

export interface Panel {
  title: string;
  groups: Group[];
}

export interface Chart {
  title: string;
  subtitle: string;
  /** e.g. "msgs/s, higher is better". */
  metric: string;
  lowerIsBetter: boolean;
  series: string[];
  panels: Panel[];
}

// A record is untyped JSON; these are the few fields read from it.
type Json = Record<string, any>;

/** How one bench's rows carry their figure: the first of these fields a row has. */
const THROUGHPUT_FIELDS = [
  { field: "msgsPerSec", unit: "msgs/s" },
  { field: "requestsPerSec", unit: "req/s" },
  { field: "perSub", unit: "msgs/s per SUB" },
] as const;

const TITLES: Record<string, (record: Json) => string> = {
  "push-pull": () => "PUSH → PULL throughput",
  "req-rep-latency": () => "REQ ↔ REP round-trip latency",
  "pub-fanout": (r) => `PUB → SUB fan-out throughput${r.drop ? " (--drop)" : ""}`,
  "dealer-router": (r) => `DEALER → ROUTER echo, ${r.inFlight ?? "?"} requests in flight`,
  curve: () => "CURVE PUSH → PULL throughput (encrypted; NULL rows for reference)",
};

/** The baseline of a group: the row flagged so, else the first libzmq row that is not interop. */
function baselineIndex(rows: Json[]): number {
  const flagged = rows.findIndex((r) => r.baseline === true);
  if (flagged >= 0) return flagged;
  return rows.findIndex((r) => typeof r.label === "string" && r.label.startsWith("libzmq") && !r.label.includes("interop"));
}

const micros = (ns: number) => `${(ns / 1000).toFixed(ns < 10_000 ? 2 : 1)} µs`;

/** The latency bars (p50, p99) of a row with `stats`, or one throughput bar; [] if it has no figure. */
function rowBars(row: Json, latency: boolean, unit: string, field: string): Array<Omit<Bar, "ratio">> {
  if (latency) {
    const stats = row.stats as Json | null;
    if (!stats || typeof stats.p50 !== "number") return [];
    return ["p50", "p99"].map((series) => ({ series, value: stats[series], text: micros(stats[series]) }));
  }
  const value = row[field];
  return typeof value === "number" && value > 0 ? [{ series: null, value, text: `${rate(value)} ${unit}` }] : [];
}

function group(label: string, rows: Json[], latency: boolean, unit: string, field: string): Group {
  const base = baselineIndex(rows);
  const bars = rows.map((r) => rowBars(r, latency, unit, field));
  return {
    label,
    rows: rows.map((r, i) => ({
      label: String(r.label ?? `row ${i + 1}`),
      family: String(r.family ?? String(r.label ?? "").split(/\s/)[0]),
      baseline: i === base,
      interop: r.interop === true || String(r.label).includes("(interop)"),
      bars: bars[i]!.map((b, k) => {
        const reference = base >= 0 ? bars[base]![k]?.value : undefined;
        return { ...b, ratio: reference ? b.value / reference : null };
      }),
      error: typeof r.error === "string" && r.error !== "" ? r.error : null,
    })),
  };
}

/** The chart of one record; throws if it holds no rows this file knows how to read. */
export function chartOf(record: Json): Chart {
  const bench = String(record.bench ?? "push-pull");
  // push-pull, latency, dealer-router: sizes[] of rows; pub-fanout: rows[] with a subscriber count.
  const entries: Json[] = Array.isArray(record.sizes)
    ? record.sizes
    : Array.isArray(record.rows)
      ? groupBySubscribers(record.rows, record.size)
      : [];
  const sample: Json | undefined = entries
    .flatMap((e) => e.rows ?? [])
    .find((r: Json) => r.stats || THROUGHPUT_FIELDS.some((t) => t.field in r));
  if (!sample) throw new Error(`no rows with a figure (bench "${bench}")`);
  const latency = !!sample.stats;
  const { field, unit } = THROUGHPUT_FIELDS.find((t) => t.field in sample) ?? { field: "", unit: "" };
  const panels = new Map<string, Panel>();
  for (const entry of entries) {
    const transport = String(entry.transport ?? entry.rows?.[0]?.transport ?? "tcp");
    if (!panels.has(transport)) panels.set(transport, { title: transport, groups: [] });
    const label = entry.label ?? sizeLabel(Number(entry.size));
    panels.get(transport)!.groups.push(group(label, entry.rows ?? [], latency, unit, field));
  }
  const m = record.machine ?? {};
  return {
    title: `${bench}: ${TITLES[bench]?.(record) ?? bench}`,
    subtitle:
      `${String(record.date ?? "")
        .slice(0, 16)
        .replace("T", " ")} UTC · ${record.commit || "no git"}${record.dirty ? " (dirty)" : ""} · ` +
      `${m.cpu ?? "?"}, ${m.nproc ?? "?"} CPUs · Bun ${m.bun ?? "?"} · libzmq ${m.libzmq ?? "?"} · ${record.mode ?? ""}` +
      `${record.rounds ? `, ${record.rounds} round${record.rounds > 1 ? "s" : ""}` : ""}`,
    metric: latency ? "µs per round trip, lower is better" : `${unit}, higher is better`,
    lowerIsBetter: latency,
    series: latency ? ["p50", "p99"] : [],
    panels: [...panels.values()],
  };
}

/** pub-fanout's flat rows as one entry per subscriber count. */
function groupBySubscribers(rows: Json[], size: unknown): Json[] {
  const counts = [...new Set(rows.map((r) => r.subscribers))];
  const bytes = typeof size === "number" ? `, ${sizeLabel(size)}` : "";
  return counts.map((n) => ({ transport: "tcp", label: `${n} SUB${bytes}`, rows: rows.filter((r) => r.subscribers === n) }));
}

// What bench/report/chart.ts draws, read from any bench's JSON record (bench/report/results-file.ts and
// bench/report/run-record.ts write them): panels (one per transport) of groups (one per message size, or
// per subscriber count) of rows (one per implementation, labels taken as they are, so a new
// implementation's rows need no change here), each row with one bar, or a p50 and a p99 bar for
// latency. The ratio is computed here against the libzmq row of the same group, and judged: better,
// worse, or even (within EVEN_WITHIN of 1). Each group also gets its value axes (./chart-scale.ts):
// one per series, shared by every group of the same size. No I/O.

import { type Axis, compact, sharedAxes } from "./chart-scale.ts";
import { rate, sizeLabel } from "./table.ts";

/**
 * A ratio within this of 1 (0.95× to 1.05×) is even, drawn neutral: a difference that small is well
 * inside what a 2-vCPU VM does to a run (docs/benchmarks.md, "Conditions"), so the chart calls it
 * neither a win nor a loss. A reading convention, not a statistical test.
 */
export const EVEN_WITHIN = 0.05;

/** How a row compares with the baseline: "even" within EVEN_WITHIN, else better or worse. */
export type Verdict = "better" | "even" | "worse";

/** The verdict on `ratio` (row ÷ baseline) when lower values are better (latency) or higher ones (throughput). */
export function verdictOf(ratio: number, lowerIsBetter: boolean): Verdict {
  // Rounded as the chart prints it (two decimals), so a bar labelled 1.05× is never drawn red.
  const shown = Math.round(ratio * 100) / 100;
  if (Math.abs(shown - 1) <= EVEN_WITHIN + 1e-9) return "even";
  return shown < 1 === lowerIsBetter ? "better" : "worse";
}

export interface Bar {
  /** null for a single-bar row; "p50" or "p99" for latency. */
  series: string | null;
  value: number;
  /** value / the baseline row's value of the same series; null without a baseline. */
  ratio: number | null;
  /** The ratio judged; null for the baseline itself, interop rows and rows without a ratio. */
  verdict: Verdict | null;
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
  /** One per series (one for throughput; p50 and p99 for latency), the same for every group of this label. */
  axes: Axis[];
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
  proxy: () => "PUSH → proxy → PULL throughput (bunzmq's Proxy against zmq_proxy)",
};

/** The baseline of a group: the row flagged so, else the first libzmq row that is not interop. */
function baselineIndex(rows: Json[]): number {
  const flagged = rows.findIndex((r) => r.baseline === true);
  if (flagged >= 0) return flagged;
  return rows.findIndex((r) => typeof r.label === "string" && r.label.startsWith("libzmq") && !r.label.includes("interop"));
}

const micros = (ns: number) => `${(ns / 1000).toFixed(ns < 10_000 ? 2 : 1)} µs`;

/** Latency tick labels from ns: µs up to a millisecond, ms beyond. */
const latencyTick = (ns: number) => (ns >= 1e6 ? `${compact(ns / 1e6)} ms` : `${compact(ns / 1000)} µs`);

/** The latency bars (p50, p99) of a row with `stats`, or one throughput bar; [] if it has no figure. */
function rowBars(row: Json, latency: boolean, unit: string, field: string): Array<Omit<Bar, "ratio" | "verdict">> {
  if (latency) {
    const stats = row.stats as Json | null;
    if (!stats || typeof stats.p50 !== "number") return [];
    return ["p50", "p99"].map((series) => ({ series, value: stats[series], text: micros(stats[series]) }));
  }
  const value = row[field];
  return typeof value === "number" && value > 0 ? [{ series: null, value, text: `${rate(value)} ${unit}` }] : [];
}

function group(label: string, rows: Json[], latency: boolean, unit: string, field: string): Omit<Group, "axes"> {
  const base = baselineIndex(rows);
  const bars = rows.map((r) => rowBars(r, latency, unit, field));
  return {
    label,
    rows: rows.map((r, i) => {
      const interop = r.interop === true || String(r.label).includes("(interop)");
      return {
        label: String(r.label ?? `row ${i + 1}`),
        family: String(r.family ?? String(r.label ?? "").split(/\s/)[0]),
        baseline: i === base,
        interop,
        bars: bars[i]!.map((b, k) => {
          const reference = base >= 0 ? bars[base]![k]?.value : undefined;
          const ratio = reference ? b.value / reference : null;
          const judged = ratio !== null && i !== base && !interop;
          return { ...b, ratio, verdict: judged ? verdictOf(ratio, latency) : null };
        }),
        error: typeof r.error === "string" && r.error !== "" ? r.error : null,
      };
    }),
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
  const groups: Group[] = [];
  for (const entry of entries) {
    const transport = String(entry.transport ?? entry.rows?.[0]?.transport ?? "tcp");
    if (!panels.has(transport)) panels.set(transport, { title: transport, groups: [] });
    const label = entry.label ?? sizeLabel(Number(entry.size));
    const made: Group = { ...group(label, entry.rows ?? [], latency, unit, field), axes: [] };
    panels.get(transport)!.groups.push(made);
    groups.push(made);
  }
  const axes = sharedAxes(groups, latency ? 2 : 1, latency ? latencyTick : compact);
  groups.forEach((g, i) => (g.axes = axes[i]!));
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

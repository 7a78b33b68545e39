// What a soak run leaves behind: the printed summary (messages per pattern and peer, restarts,
// churn operations, the samples at the start, at each quarter and at the peak, the growth judged,
// the violations and the result) and the plot (bench/report/line-chart-model.ts): RSS and the
// JavaScript heap in one panel, open descriptors in another, dashed marks at the quarters and,
// from the 25 % mark on, the most each figure may reach. Text out; the caller prints and writes.
// Imports bench/report's line chart and the soak's measure, config and tally modules.

import type { LineChart } from "../../bench/report/line-chart-model.ts";
import { renderLineSvg } from "../../bench/report/line-chart-svg.ts";
import { FD_LIMIT, MARK_LABELS, megabytes, RSS_LIMIT_BYTES, type Sample, type Verdict } from "./measure.ts";
import { PEER_KINDS } from "./peer-config.ts";
import { CHURNED, PATTERNS, type Tally } from "./tally.ts";

/** The commit the run's code comes from, "(dirty)" when the tree has changes; read at the start. */
export function sourceVersion(): string {
  const git = (...args: string[]) => Bun.spawnSync(["git", ...args], { cwd: import.meta.dir, stderr: "ignore" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.exitCode !== 0) return "no git";
  const dirty = git("status", "--porcelain", "--untracked-files=no").stdout.toString().trim() !== "";
  return `${head.stdout.toString().trim()}${dirty ? " (dirty)" : ""}`;
}

export interface RunFacts {
  /** sourceVersion() at the start. */
  source: string;
  plannedSeconds: number;
  ranSeconds: number;
  interrupted: boolean;
  tally: Tally;
  verdict: Verdict;
  /** Where the plot went, or why it did not. */
  plot: string;
}

const count = (n: number) => n.toLocaleString("en-US");

/** Rows of cells as aligned text: the first column left-aligned, the others right-aligned. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]! + 2))).join(""));
}

function messageTable(tally: Tally): string[] {
  const columns = [...PEER_KINDS.map((k) => k.name), CHURNED];
  const rows = [["messages", ...columns, "total"]];
  for (const pattern of PATTERNS) {
    rows.push([pattern, ...columns.map((peer) => count(tally.count(pattern, peer))), count(tally.total(pattern))]);
  }
  const restarts = PEER_KINDS.map((k) => tally.restarts(k.name));
  rows.push(["restarts", ...restarts.map(count), "", count(restarts.reduce((a, b) => a + b, 0))]);
  return table(rows);
}

function churnLine(tally: Tally): string {
  const byOp = new Map<string, number>();
  for (const [key, n] of tally.churnOps()) {
    const op = key.split(" ")[0]!;
    byOp.set(op, (byOp.get(op) ?? 0) + n);
  }
  const total = [...byOp.values()].reduce((a, b) => a + b, 0);
  const each = [...byOp].map(([op, n]) => `${op} ${count(n)}`).join(", ");
  return `churn: ${count(total)} short-lived socket operations completed (${each || "none"}) over ${PEER_KINDS.map((k) => k.name).join(", ")}`;
}

function sampleTable(verdict: Verdict, interrupted: boolean): string[] {
  const row = (label: string, s: Sample | null) =>
    s === null ? [label, "not reached", "", "", ""] : [label, `${s.at.toFixed(1)} s`, megabytes(s.rss), megabytes(s.heap), String(s.fds)];
  const rows = [["sample", "at", "RSS", "JS heap", "descriptors"], row("start", verdict.start)];
  MARK_LABELS.forEach((label, i) => rows.push(row(label, verdict.marks[i] ?? null)));
  if (interrupted) rows.push(row("last", verdict.last));
  rows.push(row("peak RSS", verdict.peak));
  return table(rows);
}

function growthLine(verdict: Verdict, interrupted: boolean): string {
  const sign = (n: number) => (n >= 0 ? "+" : "");
  if (verdict.rssGrowth === null || verdict.fdGrowth === null) {
    const [from, last] = [verdict.marks[0], verdict.last];
    if (!interrupted || !from || !last) return "growth: not judged (the 25 % mark was not reached)";
    const rss = last.rss - from.rss;
    const fds = last.fds - from.fds;
    return (
      `growth 25 % → last sample (${last.at.toFixed(0)} s): RSS ${sign(rss)}${megabytes(rss)}, descriptors ${sign(fds)}${fds}; ` +
      "not judged (interrupted before the 100 % mark)"
    );
  }
  return (
    `growth 25 % → 100 %: RSS ${sign(verdict.rssGrowth)}${megabytes(verdict.rssGrowth)} (median of the 3 samples ending at each mark; ` +
    `limit +${megabytes(RSS_LIMIT_BYTES)}), ` +
    `descriptors ${sign(verdict.fdGrowth)}${verdict.fdGrowth} (limit +${FD_LIMIT})`
  );
}

/** The whole summary, as lines. */
export function summarize(facts: RunFacts): string[] {
  const { tally, verdict } = facts;
  const planned = `${(facts.plannedSeconds / 60).toFixed(2)} min planned`;
  const ran = facts.interrupted ? `interrupted (Ctrl-C) after ${facts.ranSeconds.toFixed(1)} s` : `${facts.ranSeconds.toFixed(1)} s ran`;
  const { kept, count: violationCount } = tally.violations();
  const lines = [
    "",
    `bunzmq soak: ${planned}, ${ran} · ${facts.source} · Bun ${Bun.version} · pid ${process.pid}`,
    "",
    ...messageTable(tally),
    churnLine(tally),
    "",
    ...sampleTable(verdict, facts.interrupted),
    growthLine(verdict, facts.interrupted),
    `plot: ${facts.plot}`,
    "",
    violationCount === 0
      ? "violations: none"
      : `violations: ${violationCount}${violationCount > kept.length ? ` (first ${kept.length} shown)` : ""}`,
    ...kept.map((v) => `  ${v}`),
  ];
  if (verdict.failures.length > 0) lines.push("", "FAIL", ...verdict.failures.map((f) => `  ${f}`));
  else lines.push("", facts.interrupted ? "INTERRUPTED: no violation in what ran; growth not judged" : "PASS");
  return lines;
}

export interface PlotFacts {
  samples: Sample[];
  /** The planned time of each quarter mark, seconds. */
  markTimes: number[];
  verdict: Verdict;
  /** e.g. "30.00 min planned, 1800 s ran, 179 restarts · PASS". */
  headline: string;
  /** What ran: sourceVersion() at the start. */
  source: string;
  started: Date;
}

const mb = (bytes: number) => bytes / 1e6;

export function plotSvg(facts: PlotFacts): string {
  const { samples, verdict } = facts;
  const from = verdict.marks[0];
  const end = facts.markTimes[3];
  const chart: LineChart = {
    title: "bunzmq soak: the process holding the long-lived sockets",
    subtitle: `${facts.started.toISOString().slice(0, 16).replace("T", " ")} UTC · ${facts.source} · Bun ${Bun.version} · ${facts.headline}`,
    xTitle: "seconds since start",
    xFromZero: true,
    notes: [
      "Each sample follows a full garbage collection (Bun.gc(true)), so it shows live memory, not the collector's schedule.",
      `Fails if, from the 25 % mark to the end, RSS (median of 3 samples) grows by more than ${mb(RSS_LIMIT_BYTES)} MB or descriptors by more than ${FD_LIMIT} (dashed red lines).`,
    ],
    marks: facts.markTimes.map((x, i) => ({ x, label: MARK_LABELS[i]! })),
    panels: [
      {
        title: "Memory",
        unit: "MB",
        fromZero: false,
        integers: false,
        lines: [
          { label: "RSS", points: samples.map((s) => ({ x: s.at, y: mb(s.rss) })) },
          { label: "JS heap in use", points: samples.map((s) => ({ x: s.at, y: mb(s.heap) })) },
        ],
        limits:
          from && verdict.rssFrom !== null
            ? [{ y: mb(verdict.rssFrom + RSS_LIMIT_BYTES), fromX: from.at, toX: end, label: `RSS limit (+${mb(RSS_LIMIT_BYTES)} MB)` }]
            : [],
      },
      {
        title: "Open descriptors",
        unit: "count",
        fromZero: false,
        integers: true,
        lines: [{ label: "descriptors", points: samples.map((s) => ({ x: s.at, y: s.fds })) }],
        limits: from ? [{ y: from.fds + FD_LIMIT, fromX: from.at, toX: end, label: `limit (+${FD_LIMIT})` }] : [],
      },
    ],
  };
  return renderLineSvg(chart);
}

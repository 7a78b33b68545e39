// Figures: those most checks record the same way (a numbered stream's tally, with ZeroMQ's promise
// over a connection that never broke: nothing lost, nothing twice, nothing out of order; a peer's
// peak RSS; what the link did to the packets), and how results are printed: each check's figures as
// it ends, then a summary whose closing counts tell the truth about interrupted and unrun checks.
// Imports the harness types.

import type { LinkStats } from "../net/control-protocol.ts";
import type { Link } from "../net/link.ts";
import type { TallySummary } from "../peers/sequence-tally.ts";
import { type CheckContext, type CheckResult, megabytes, type Outcome } from "./check.ts";
import type { JsonChild } from "./json-child.ts";

export interface TallyRules {
  /** Numbers that must all have arrived (a stream over one unbroken connection); undefined allows gaps. */
  complete?: number;
}

/** Records `label`'s tally; duplicates and reorderings always fail, gaps only with `complete`. */
export function tallyFigures(context: CheckContext, label: string, tally: TallySummary, rules: TallyRules = {}): void {
  context.figure(`${label} received`, tally.received);
  context.figure(`${label} lost`, tally.missing);
  if (tally.gaps.length > 0) context.figure(`${label} lost numbers`, tally.gaps.join(", "));
  context.figure(`${label} duplicated`, tally.duplicates);
  context.figure(`${label} out of order`, tally.outOfOrder);
  context.require(tally.duplicates === 0, `${label}: ${tally.duplicates} messages arrived twice`);
  context.require(tally.outOfOrder === 0, `${label}: ${tally.outOfOrder} messages arrived out of order`);
  if (rules.complete !== undefined) {
    const missing = rules.complete - tally.received;
    context.require(
      missing <= 0 && tally.missing === 0,
      `${label}: ${Math.max(missing, tally.missing)} of ${rules.complete} messages never arrived (${tally.gaps.join(", ")})`,
    );
  }
}

/** Records the peak RSS of `child` (VmHWM) in MB, and returns it in bytes (NaN when it is gone). */
export function peakRss(context: CheckContext, child: JsonChild): number {
  const bytes = child.status()?.peakRssBytes ?? Number.NaN;
  context.figure(`${child.label} peak RSS`, megabytes(bytes), "MB");
  return bytes;
}

/** Records what the link did: packets each way, and those lost, reordered, duplicated or cut. */
export async function linkFigures(context: CheckContext, link: Link | null): Promise<LinkStats | null> {
  if (link === null) return null;
  const stats = await link.stats();
  const both = (key: keyof LinkStats["a-to-b"]) => stats["a-to-b"][key] + stats["b-to-a"][key];
  context.figure("link packets a→b / b→a", `${stats["a-to-b"].packets} / ${stats["b-to-a"].packets}`);
  context.figure("link lost", both("lost"));
  if (both("reordered") > 0) context.figure("link reordered", both("reordered"));
  if (both("duplicated") > 0) context.figure("link duplicated", both("duplicated"));
  if (both("partitioned") > 0) context.figure("link cut by the partition", both("partitioned"));
  context.require(both("writeErrors") === 0, `the link failed to write ${both("writeErrors")} packets`);
  return stats;
}

/** The endpoint a server peer bound, from its "bound" report. */
export async function boundEndpoint(server: JsonChild, timeoutMs = 10_000): Promise<string> {
  return String((await server.next("bound", timeoutMs)).endpoint);
}

const OUTCOME_LABEL: Record<Outcome, string> = { pass: "PASS", fail: "FAIL", skip: "SKIP", interrupted: "STOPPED", "not run": "NOT RUN" };

function formatValue(value: number | string | boolean, unit?: string): string {
  const text =
    typeof value === "number" && Number.isFinite(value) ? value.toLocaleString("en-US", { maximumFractionDigits: 1 }) : String(value);
  return unit === undefined ? text : `${text} ${unit}`;
}

/** One check's block: the verdict line, its figures, and its failures. */
export function formatResult(result: CheckResult, title: string): string {
  const lines = [`${OUTCOME_LABEL[result.outcome]} ${result.name} (${result.seconds.toFixed(1)} s): ${title}`];
  if (result.note !== undefined) lines.push(`  ${result.note}`);
  const width = Math.max(0, ...result.figures.map((figure) => figure.name.length));
  for (const figure of result.figures) lines.push(`  ${figure.name.padEnd(width)}  ${formatValue(figure.value, figure.unit)}`);
  for (const failure of result.failures) lines.push(`  ✗ ${failure}`);
  return lines.join("\n");
}

/** The table of every check and the closing counts line. */
export function formatSummary(results: readonly CheckResult[]): string {
  const width = Math.max(5, ...results.map((result) => result.name.length));
  const lines = ["", `${"check".padEnd(width)}  result   seconds`];
  for (const result of results) {
    const seconds = result.outcome === "not run" || result.outcome === "skip" ? "" : result.seconds.toFixed(1).padStart(7);
    const why = result.outcome === "skip" ? `  ${result.note ?? ""}` : result.failures.length > 0 ? `  ${result.failures[0]}` : "";
    lines.push(`${result.name.padEnd(width)}  ${OUTCOME_LABEL[result.outcome].padEnd(7)}  ${seconds}${why}`);
  }
  const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length;
  const total = results.reduce((sum, result) => sum + result.seconds, 0);
  const parts = [`${count("pass")} passed`, `${count("fail")} failed`, `${count("skip")} skipped`];
  if (count("interrupted") > 0) parts.push(`${count("interrupted")} interrupted`);
  if (count("not run") > 0) parts.push(`${count("not run")} not run`);
  lines.push(`${parts.join(", ")} in ${total.toFixed(1)} s`);
  return lines.join("\n");
}

/** Whether the run as a whole passed: something ran and nothing failed or was interrupted. */
export function passed(results: readonly CheckResult[]): boolean {
  return (
    results.some((result) => result.outcome === "pass") && results.every((result) => result.outcome === "pass" || result.outcome === "skip")
  );
}

// What every bench does before it measures: read its options (common/command-line.ts: `--help`
// prints the usage and exits 0 before anything starts, an unknown option exits 2) and take over
// Ctrl-C (common/interrupt.ts: the first one lets the measurement under way end, skips the rest,
// and the bench prints what it measured, saves nothing and exits 130).
//
// The safe points differ per bench: between rows and rounds (`interrupt.check()` throws
// Interrupted, which the bench's main catches after its `finally` has stopped its children), and
// inside the throughput scenarios' mitata loop, where every later iteration fails at once
// (bench/scenarios/measure.ts).

import { type CommandLine, type OptionSpec, parseCommandLine } from "../../common/command-line.ts";
import { INTERRUPTED_EXIT, type Interrupt, watchInterrupt } from "../../common/interrupt.ts";

export { INTERRUPTED_MESSAGE, Interrupted, type Interrupt } from "../../common/interrupt.ts";

/** Options every measuring bench takes the same way. */
export const COMMON_OPTIONS = {
  quick: { type: "boolean" },
  "no-save": { type: "boolean" },
} as const satisfies Record<string, OptionSpec>;

export interface BenchCommand<O extends Record<string, OptionSpec>> {
  cli: CommandLine<O>;
  interrupt: Interrupt;
}

/** Parses the command line (exiting on `--help` or a bad option), then watches for Ctrl-C. */
export function benchCommand<O extends Record<string, OptionSpec>>(name: string, usage: string, options: O): BenchCommand<O> {
  const cli = parseCommandLine({ usage, options });
  const interrupt = watchInterrupt(`${name}: Ctrl-C — the measurement under way ends, the rest is skipped, nothing is saved`);
  return { cli, interrupt };
}

/** The line a bench prints when Ctrl-C stopped it; returns the exit code (130). */
export function reportInterrupted(name: string, startedAt: number): number {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(
    `\n${name} interrupted (Ctrl-C) after ${seconds} s: every figure printed above was measured before it; ` +
      "what was not printed was not measured. Nothing was saved.",
  );
  return INTERRUPTED_EXIT;
}

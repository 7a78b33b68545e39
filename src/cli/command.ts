// How each command of the command-line tool runs: its arguments parsed by util.parseArgs against
// the command's own options (unknown ones are an error, not ignored), `--help` printing its usage
// and doing nothing else, Ctrl-C (or SIGTERM) turned into a clean stop, and failures printed as the
// error's message and detail without a stack. Imports index (the public entry points only).

import { parseArgs } from "node:util";
import { ZmqError } from "../extras.ts";

/** What util.parseArgs accepts for one option. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Command {
  name: string;
  /** How it is called, for the tool's own usage: `send <endpoint> [message...]`. */
  synopsis: string;
  /** What it does, in a few words. */
  summary: string;
  /** The whole `--help` text. */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Does the work; resolves to the exit status. */
  run(values: OptionValues, positionals: string[], stop: Interrupt): Promise<number>;
}

/** A mistake in the command line: printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {}

/** Exit statuses: 130 is what a shell reports for a program ended by Ctrl-C. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A second SIGINT sooner than this after the first is the same Ctrl-C, passed on twice. */
const REPEATED_SIGINT_MS = 1000;

/**
 * Ctrl-C, seen once: the command's stop actions run (they close its sockets, which ends pending
 * calls), and the command finishes as it would, with a summary of what happened before. A second
 * Ctrl-C exits at once; but `bun run bunzmq` (and `bunx`) may deliver one Ctrl-C twice within a
 * millisecond (bun-notes §7), so only a later one counts.
 */
export class Interrupt {
  #stoppedAt: number | null = null;
  readonly #actions: Array<() => void> = [];

  get stopped(): boolean {
    return this.#stoppedAt !== null;
  }

  /** Runs `action` on Ctrl-C (at once if that already happened). */
  onStop(action: () => void): void {
    if (this.stopped) action();
    else this.#actions.push(action);
  }

  /** Listens for SIGINT and SIGTERM; returns the function that stops listening. */
  listen(): () => void {
    const handler = () => {
      if (this.#stoppedAt === null) return this.stop();
      if (performance.now() - this.#stoppedAt >= REPEATED_SIGINT_MS) process.exit(EXIT_INTERRUPTED);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  }

  stop(): void {
    if (this.#stoppedAt !== null) return;
    this.#stoppedAt = performance.now();
    for (const action of this.#actions.splice(0)) action();
  }
}

/** Runs `command` on `args` (what follows the command's name); resolves to the exit status. */
export async function runCommand(command: Command, args: string[]): Promise<number> {
  // --help wins over everything else on the line, even options this command does not know.
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(command.usage);
    return EXIT_OK;
  }
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: command.options,
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    return usageFailure(command.name, (error as Error).message);
  }
  const interrupt = new Interrupt();
  const unlisten = interrupt.listen();
  try {
    const status = await command.run(parsed.values, parsed.positionals, interrupt);
    return interrupt.stopped && status === EXIT_OK ? EXIT_INTERRUPTED : status;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(command.name, error.message);
    printFailure(command.name, error);
    return EXIT_FAILED;
  } finally {
    unlisten();
  }
}

function usageFailure(name: string, message: string): number {
  process.stderr.write(`bunzmq ${name}: ${message}\nRun 'bunzmq ${name} --help' for its usage.\n`);
  return EXIT_USAGE;
}

/** The error as a person needs it: ZmqError's message, code and detail; never a stack. */
export function printFailure(name: string, error: unknown): void {
  if (error instanceof ZmqError) {
    const where = error.address === undefined ? "" : ` (${error.address})`;
    process.stderr.write(`bunzmq ${name}: ${error.message} [${error.code}]${where}\n`);
    if (error.detail !== undefined) process.stderr.write(`  ${error.detail}\n`);
    return;
  }
  process.stderr.write(`bunzmq ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
}

/** A string option, or `fallback` when absent. */
export function stringOption(values: OptionValues, name: string, fallback: string): string {
  const value = values[name];
  return typeof value === "string" ? value : fallback;
}

/** A whole-number option (`-1` allowed where `min` is -1), or `fallback` when absent. */
export function integerOption(values: OptionValues, name: string, fallback: number, min = 0): number {
  const value = values[name];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isInteger(number) || number < min) {
    throw new UsageError(
      `--${name} takes a whole number${min === 0 ? " of 0 or more" : ` of ${min} or more`}, not ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** One of `choices` for option `name`, or `fallback` when absent. */
export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[], fallback: T): T {
  const value = values[name];
  if (value === undefined) return fallback;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} takes one of ${choices.join(", ")}, not ${JSON.stringify(value)}`);
}

// The command line every pattern example shares: flags through util.parseArgs, `--help` that prints
// the usage and runs nothing, whole-number flags checked with a message naming the flag, and the
// exit codes of the repository's commands (common/command-line.ts: 0, and 2 with the usage on
// stderr for a usage error). Unlike that module it returns instead of exiting, because each
// example's main.ts exports `main(argv, print)` for its test to run exactly what the command runs,
// in-process, with the output captured; and it keeps an example a folder one can copy out of the
// repository with this one file. Imports nothing of bunzmq.

import { type ParseArgsConfig, parseArgs } from "node:util";

/** Where an example writes what happened, one line at a time (console.log, or a test's collector). */
export type Print = (line: string) => void;

/** A flag the user got wrong: main() prints it with the usage and exits with 2. */
export class UsageError extends Error {}

/** A flag's value as parseArgs gives it. */
export type FlagValues = Record<string, string | boolean | undefined>;

/**
 * The flags of `argv`, or null when `--help` (or `-h`) asked for the usage, which is then printed.
 * Unknown flags and positional arguments are UsageErrors.
 */
export function parseFlags(
  argv: string[],
  usage: string,
  options: NonNullable<ParseArgsConfig["options"]>,
  print: Print,
): FlagValues | null {
  let values: FlagValues;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) {
    print(usage);
    return null;
  }
  return values;
}

/** A whole-number flag's value, at least `min`. */
export function wholeNumber(name: string, text: unknown, min = 1): number {
  const value = Number(text);
  if (typeof text !== "string" || !Number.isInteger(value) || value < min) {
    throw new UsageError(`--${name} needs a whole number of at least ${min}, got ${String(text)}`);
  }
  return value;
}

/**
 * Runs an example's main() as the process's command: its exit code becomes the process's, and a
 * UsageError prints its message and the usage to stderr. Nothing else is needed to end: the
 * examples close their sockets, and open sockets never keep a process alive anyway.
 */
export async function runAsCommand(main: (argv: string[], print: Print) => Promise<number>, usage: string): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2), console.log);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exitCode = 2;
  }
}

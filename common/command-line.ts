// The arguments of every command in the repository (benches, demos, checks), read through node:util's
// parseArgs in strict mode. `--help` (or `-h`) prints the usage on stdout and exits 0 before the
// command does anything; an unknown flag, a missing value or a bad number prints the problem and the
// usage on stderr and exits 2 (the shell's "wrong usage" code), so a typo never starts a ten-minute
// run with the defaults. Imports nothing.

import { parseArgs } from "node:util";

/** An option as parseArgs takes it: a flag (boolean) or a value (string); `short` is one letter. */
export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** What `--help` prints: a first line `usage: ...`, what the command does, then every option. */
  usage: string;
  options: O;
  /** Whether words that are not options (e.g. file names) are allowed; refused by default. */
  positionals?: boolean;
  /** The arguments to read (default: the process's, after the script). */
  argv?: string[];
}

/** Exit code of a command called the wrong way. */
export const USAGE_EXIT = 2;

export class CommandLine<O extends Record<string, OptionSpec>> {
  readonly positionals: string[];
  /** The arguments as given, for passing on to a child command. */
  readonly argv: string[];
  readonly #values: Record<string, string | boolean | undefined>;
  readonly #usage: string;

  constructor(spec: CommandSpec<O>, values: Record<string, string | boolean | undefined>, positionals: string[], argv: string[]) {
    this.#usage = spec.usage.trim();
    this.#values = values;
    this.positionals = positionals;
    this.argv = argv;
  }

  /** Whether the boolean option `name` was given. */
  flag(name: keyof O & string): boolean {
    return this.#values[name] === true;
  }

  /** The value of string option `name`, or `fallback` when it was not given. */
  text(name: keyof O & string): string | undefined;
  text(name: keyof O & string, fallback: string): string;
  text(name: keyof O & string, fallback?: string): string | undefined {
    const value = this.#values[name];
    return typeof value === "string" ? value : fallback;
  }

  /** The value of `name` as a finite number >= 0, or `fallback` when it was not given. */
  number(name: keyof O & string): number | undefined;
  number(name: keyof O & string, fallback: number): number;
  number(name: keyof O & string, fallback?: number): number | undefined {
    const value = this.text(name);
    return value === undefined ? fallback : this.#toNumber(name, value);
  }

  /** A comma-separated list of numbers (e.g. `--sizes 16,256`), or `fallback` parsed the same way. */
  numbers(name: keyof O & string, fallback: string): number[] {
    return this.text(name, fallback)
      .split(",")
      .map((item) => this.#toNumber(name, item));
  }

  /**
   * The value of `name` (undefined when not given) through `convert`; what `convert` throws is a
   * usage error (exit 2), not a crash.
   */
  convert<T>(name: keyof O & string, convert: (text: string | undefined) => T): T {
    try {
      return convert(this.text(name));
    } catch (error) {
      return this.fail(`--${name}: ${(error as Error).message}`);
    }
  }

  /** Prints `problem` and the usage on stderr and exits 2. */
  fail(problem: string): never {
    process.stderr.write(`${problem}\n\n${this.#usage}\n`);
    process.exit(USAGE_EXIT);
  }

  #toNumber(name: string, text: string): number {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < 0) this.fail(`--${name} needs a number >= 0, not "${text}"`);
    return value;
  }
}

/**
 * Reads the command line against `spec`: exits 0 after printing the usage on `--help`, exits 2 after
 * printing the problem and the usage on anything parseArgs refuses.
 */
export function parseCommandLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandLine<O> {
  const argv = spec.argv ?? process.argv.slice(2);
  const usage = spec.usage.trim();
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: spec.positionals === true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    // parseArgs names the offending option ("Unknown option '--x'", "Option '--sizes <value>' argument missing").
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    process.exit(USAGE_EXIT);
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return new CommandLine(spec, parsed.values, parsed.positionals, argv);
}

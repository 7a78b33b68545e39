// The benches' command-line options: `--name` flags and `--name value` pairs, nothing more.

const argv = process.argv.slice(2);

/** The process arguments after the script (for passing on, e.g. to prepareZeromqjs). */
export const benchArgv: string[] = argv;

/** True when `--name` was given. */
export function flag(name: string): boolean {
  return argv.includes(name);
}

/** The word after `--name`, or undefined when the option is absent. */
export function value(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

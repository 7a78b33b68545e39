// Runs the command-line tool (src/cli/main.ts) as a user would, in a child process of its own, for
// test/cli/: to completion with `runCli`, or as a `CliChild` the test talks to while it runs (wait
// for a line it printed, such as the endpoint it bound; press Ctrl-C). Every wait is bounded, and a
// child still running when its test ends is killed.

import { resolve } from "node:path";
import { readLines } from "../../common/read-lines.ts";
import type { Cleanup } from "./cleanup.ts";
import { withTimeout } from "./wait.ts";

const MAIN = resolve(import.meta.dir, "../../src/cli/main.ts");
const RUN_TIMEOUT_MS = 15_000;
const WAIT_MS = 10_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bunzmq <args>` to its end (killed after `timeoutMs`), with `stdin` as its input. */
export async function runCli(args: string[], stdin = "", timeoutMs = RUN_TIMEOUT_MS): Promise<CliResult> {
  const child = Bun.spawn(["bun", MAIN, ...args], { stdin: new Blob([stdin]), stdout: "pipe", stderr: "pipe", timeout: timeoutMs });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** The lines of one output stream as they arrive, with waits for a line or a number of them. */
class LineLog {
  readonly lines: string[] = [];
  readonly done: Promise<void>;
  #ended = false;
  #waiters: Array<() => void> = [];

  constructor(stream: ReadableStream<Uint8Array>) {
    this.done = (async () => {
      for await (const line of readLines(stream, { unterminated: true })) {
        this.lines.push(line);
        this.#wake();
      }
      this.#ended = true;
      this.#wake();
    })();
  }

  /** Resolves to `find()`'s first non-null answer, re-asked as lines arrive; throws if the stream ends first. */
  until<T>(find: () => T | null, what: string): Promise<T> {
    const found = (async () => {
      for (;;) {
        const answer = find();
        if (answer !== null) return answer;
        if (this.#ended) throw new Error(`bunzmq ended before ${what}; it printed: ${this.lines.join("\n")}`);
        await new Promise<void>((wake) => this.#waiters.push(wake));
      }
    })();
    return withTimeout(found, WAIT_MS, what);
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** A running `bunzmq <args>`, its stdout and stderr read line by line as they come. */
export class CliChild {
  readonly #child: Bun.Subprocess<"pipe", "pipe", "pipe">;
  readonly #stdout: LineLog;
  readonly #stderr: LineLog;

  constructor(cleanup: Cleanup, args: string[]) {
    const child = Bun.spawn(["bun", MAIN, ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    this.#child = child;
    cleanup.add(async () => {
      child.kill("SIGKILL");
      await child.exited;
    });
    this.#stdout = new LineLog(child.stdout);
    this.#stderr = new LineLog(child.stderr);
  }

  /** The first stderr line matching `pattern` (its first group if it has one), waiting for it. */
  stderrLine(pattern: RegExp): Promise<string> {
    return this.#stderr.until(() => {
      for (const line of this.#stderr.lines) {
        const match = pattern.exec(line);
        if (match !== null) return match[1] ?? match[0];
      }
      return null;
    }, `bunzmq to print ${pattern} on stderr`);
  }

  /** The endpoint a command run with --bind reports on stderr. */
  boundEndpoint(): Promise<string> {
    return this.stderrLine(/bound to (\S+)$/);
  }

  /** Waits until stdout has at least `count` lines; returns them. */
  stdoutLines(count: number): Promise<string[]> {
    return this.#stdout.until(
      () => (this.#stdout.lines.length >= count ? [...this.#stdout.lines] : null),
      `${count} lines on bunzmq's stdout`,
    );
  }

  /** Ctrl-C. */
  interrupt(): void {
    this.#child.kill("SIGINT");
  }

  /** Waits for the child to end on its own. */
  async finish(): Promise<CliResult> {
    const code = await withTimeout(this.#child.exited, WAIT_MS, "bunzmq to end");
    await withTimeout(Promise.all([this.#stdout.done, this.#stderr.done]), WAIT_MS, "bunzmq's output to close");
    return { code, stdout: this.#stdout.lines.map((line) => `${line}\n`).join(""), stderr: this.#stderr.lines.join("\n") };
  }
}

// A bench child process with a line protocol, for every bench (bench/peers/receiver.ts wraps it for
// push-pull): spawn `bun <fixture> <args>` (`node` for the zeromq.js fixtures, or a built C fixture
// itself), wait for its first line, write one request line to
// its stdin, await one answer line on its stdout. Control traffic only; the measured sockets never
// carry any of it.
//
// No orphans: stop() closes the child's stdin (every fixture exits on EOF), then SIGTERMs it after
// a short grace (a libzmq fixture blocked inside zmq_msg_recv cannot see EOF until its RCVTIMEO
// expires), then SIGKILLs it. Fixtures also exit when their parent pid changes.
// Each child runs in a process group of its own (`detached`), so a terminal's Ctrl-C reaches only
// the bench, which stops its children itself after the measurement under way (harness/command.ts)
// instead of finding them killed in mid-batch.
// For benches that weigh their children (bench/scenarios/cost-curves/): rssBytes() reads a child's
// memory from /proc, and collectWhenIdle() lets a bunzmq fixture collect its garbage before that.

import { readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import { readLines } from "../../common/read-lines.ts";

export class Child {
  readonly name: string;
  /** The child's first line (e.g. `ENDPOINT tcp://127.0.0.1:12345` or `READY`). */
  readonly hello: string;
  readonly #proc: Bun.Subprocess<"pipe", "pipe", "inherit">;
  readonly #waiters: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  readonly #unasked: string[] = [];
  #ended: Error | null = null;

  private constructor(name: string, proc: Bun.Subprocess<"pipe", "pipe", "inherit">, hello: string) {
    this.name = name;
    this.#proc = proc;
    this.hello = hello;
  }

  /**
   * Starts `<runtime> <fixture> ...args` and waits (up to 10 s) for its first line. The fixture is
   * a URL (`new URL("../fixtures/x.ts", import.meta.url)`, so the layer check sees who starts what);
   * the runtime is this Bun, Node for the zeromq.js fixtures (bench/fixtures/zeromqjs/*.mjs), or
   * null for a fixture that is itself a program (a C fixture built by harness/c-fixture.ts). With
   * `cpu`, the child runs pinned to that CPU (`taskset -c`).
   */
  static async spawn(
    name: string,
    fixture: URL,
    args: string[],
    runtime: string | null = process.execPath,
    cpu: number | null = null,
  ): Promise<Child> {
    const program = runtime === null ? [fixture.pathname, ...args] : [runtime, fixture.pathname, ...args];
    const command = cpu === null ? program : ["taskset", "-c", String(cpu), ...program];
    const proc = Bun.spawn(command, {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
      detached: true,
    });
    const lines = readLines(proc.stdout);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<IteratorResult<string>>(
      (resolve) => (timer = setTimeout(() => resolve({ done: true, value: undefined }), 10_000)),
    );
    const first = await Promise.race([lines.next(), timeout]).finally(() => clearTimeout(timer));
    if (first.done) {
      proc.kill(9);
      throw new Error(`${name}: ${basename(fixture.pathname)} did not start`);
    }
    const child = new Child(name, proc, first.value);
    child.#pump(lines, proc.exited);
    return child;
  }

  /**
   * The child's resident memory now (VmRSS from /proc), read from outside: a libzmq fixture whose
   * thread is blocked in zmq_msg_recv cannot answer, and both implementations are read the same way.
   */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.#proc.pid}/status`, "latin1");
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (kib === null) throw new Error(`${this.name}: no VmRSS in /proc/${this.#proc.pid}/status`);
    return Number(kib[1]) * 1024;
  }

  /** The child's process id, for reading its CPU time and memory from /proc. */
  get pid(): number {
    return this.#proc.pid;
  }

  /** The endpoint from an `ENDPOINT <endpoint>` first line. */
  get endpoint(): string {
    if (!this.hello.startsWith("ENDPOINT ")) throw new Error(`${this.name}: first line was "${this.hello}", not ENDPOINT`);
    return this.hello.slice("ENDPOINT ".length);
  }

  /** Writes `line` (flushed at once: a libzmq sender may block this thread next); resolves with the next answer. */
  ask(line: string): Promise<string> {
    if (this.#ended) return Promise.reject(this.#ended);
    if (this.#unasked.length > 0) return Promise.reject(new Error(`${this.name} said "${this.#unasked[0]}" unasked`));
    const answer = new Promise<string>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    const text = `${line}\n`;
    this.#proc.stdin.write(text);
    if (this.#proc.stdin.flush() !== text.length) throw new Error(`${this.name}: control line not written at once`);
    return answer;
  }

  /** Rejects unless an answer arrives within `ms`. */
  async askWithin(line: string, ms: number): Promise<string> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${this.name}: no answer to "${line}" in ${ms / 1000} s`)), ms)),
    );
    return Promise.race([this.ask(line), late]).finally(() => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    try {
      this.#proc.stdin.end();
    } catch {
      // already closed
    }
    const exitedWithin = async (ms: number) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      const done = await Promise.race([this.#proc.exited.then(() => true), late]);
      clearTimeout(timer);
      return done;
    };
    if (await exitedWithin(300)) return;
    this.#proc.kill("SIGTERM");
    if (await exitedWithin(2000)) return;
    process.stderr.write(`${this.name} (pid ${this.#proc.pid}) ignored SIGTERM; killing it\n`);
    this.#proc.kill(9);
    await this.#proc.exited;
  }

  async #pump(lines: AsyncGenerator<string>, exited: Promise<number>): Promise<void> {
    for await (const line of lines) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(line);
      else this.#unasked.push(line);
    }
    const code = await exited;
    this.#ended = new Error(`${this.name} exited (code ${code})`);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#ended);
  }
}

/** Reads `\n`-terminated lines from fd 0 with blocking reads (for fixtures whose thread blocks in libzmq). */
export class BlockingLineReader {
  readonly #input = Buffer.alloc(4096);
  #pending = "";
  /** The next line, or null at EOF. */
  next(): string | null {
    let newline = this.#pending.indexOf("\n");
    while (newline < 0) {
      const n = readSync(0, this.#input, 0, this.#input.length, null);
      if (n === 0) return null;
      this.#pending += this.#input.toString("latin1", 0, n);
      newline = this.#pending.indexOf("\n");
    }
    const line = this.#pending.slice(0, newline);
    this.#pending = this.#pending.slice(newline + 1);
    return line;
  }
}

/** Calls `onLine` for each stdin line and `onEnd` at EOF (for fixtures with a free event loop). */
export function onStdinLines(onLine: (line: string) => void, onEnd: () => void): void {
  let pending = "";
  process.stdin.on("data", (chunk: Buffer) => {
    pending += chunk.toString("latin1");
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      onLine(line);
    }
  });
  process.stdin.on("end", onEnd);
  process.stdin.on("close", onEnd);
}

// For bunzmq fixtures whose memory a bench reads from outside (Child.rssBytes): a full collection
// once the fixture has been idle a moment, so the RSS read afterwards holds live objects rather
// than the garbage of the last burst. libzmq has no collector; its fixtures need nothing of this.
// A fixture that is busy is never interrupted by it (it only runs after IDLE_TICKS quiet ticks).

const TICK_MS = 50;
const IDLE_TICKS = 2;

/** How long after its last progress a fixture's RSS has been collected: wait this long before reading it. */
export const COLLECTED_WITHIN_MS = TICK_MS * (IDLE_TICKS + 2) + 200;

/**
 * Calls Bun.gc(true) once per quiet spell: after `progress()` (any counter the fixture bumps as it
 * works) has not changed for IDLE_TICKS ticks. The timer does not keep the process alive.
 */
export function collectWhenIdle(progress: () => number): void {
  let last = -1;
  let quiet = 0;
  setInterval(() => {
    const now = progress();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
    if (quiet === IDLE_TICKS) Bun.gc(true);
  }, TICK_MS).unref();
}

/** Percentiles (nearest rank) of `samples`, sorted in place. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

// A child process that reports in JSON lines on stdout and takes JSON-line commands on stdin (the
// chaos peers, the link's probes): waits for its reports, bounded and failing early when it dies;
// reads its memory and descriptors from /proc; stops, continues and kills it. stderr is kept for
// the failure messages. Imports common/read-lines.ts and the test helpers' Condition.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { readLines } from "../../../common/read-lines.ts";
import { Condition } from "../../helpers/condition.ts";
import type { SideProcess } from "../net/net-side.ts";

/** One reported line: `event` names it (a line that is not JSON becomes { event: "text", text }). */
export type Report = { event: string; [field: string]: unknown };

export interface ProcessStatus {
  rssBytes: number;
  /** The peak RSS since start or since the last resetPeak(). */
  peakRssBytes: number;
  openFds: number;
}

export interface RssSample {
  at: number;
  rssBytes: number;
}

const STDERR_KEPT = 16_384;

export class JsonChild {
  readonly reports: Report[] = [];
  readonly #taken = new Set<number>();
  readonly #changed = new Condition();
  #stderr = "";
  #exitCode: number | null = null;

  constructor(
    readonly label: string,
    readonly process: SideProcess,
  ) {
    this.#read(process.stdout as ReadableStream<Uint8Array>);
    if (process.stderr instanceof ReadableStream) this.#collectStderr(process.stderr);
    process.exited.then((code) => {
      this.#exitCode = code;
      this.#changed.notify();
    });
  }

  get pid(): number {
    return this.process.pid;
  }

  get exited(): boolean {
    return this.#exitCode !== null;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Takes the first report of `event` not taken before that `match` accepts; waits for it if need be. */
  async next(event: string, timeoutMs: number, match: (report: Report) => boolean = () => true): Promise<Report> {
    let found: Report | undefined;
    const find = () => {
      for (let i = 0; i < this.reports.length; i++) {
        const report = this.reports[i]!;
        if (!this.#taken.has(i) && report.event === event && match(report)) {
          this.#taken.add(i);
          found = report;
          return true;
        }
      }
      return false;
    };
    await this.#changed.wait(find, {
      timeoutMs,
      what: () => `"${event}" from ${this.label} (last reports: ${this.#tail()})`,
      failure: () =>
        this.#exitCode === null
          ? null
          : `${this.label} exited (${this.#exitCode}) before reporting "${event}": ${this.#stderr.trim() || this.#tail()}`,
    });
    return found!;
  }

  /** Sends one command line. */
  send(command: object): void {
    const stdin = this.process.stdin;
    if (stdin === undefined || typeof stdin === "number" || this.exited) return;
    stdin.write(`${JSON.stringify(command)}\n`);
    stdin.flush();
  }

  /** Memory and descriptors from /proc, or null once the process is gone. */
  status(): ProcessStatus | null {
    try {
      const text = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN) * 1024;
      return { rssBytes: kb("VmRSS"), peakRssBytes: kb("VmHWM"), openFds: readdirSync(`/proc/${this.pid}/fd`).length };
    } catch {
      return null;
    }
  }

  /**
   * Reads the RSS every `everyMs` until `stop()`, which returns the samples (`at` in epoch ms, as the
   * peers report times); for figures over time, such as whether memory keeps growing under a flood.
   */
  sampleRss(everyMs: number): { stop(): RssSample[] } {
    const samples: RssSample[] = [];
    const sample = () => {
      const status = this.status();
      if (status !== null) samples.push({ at: performance.timeOrigin + performance.now(), rssBytes: status.rssBytes });
    };
    sample();
    const timer = setInterval(sample, everyMs);
    return {
      stop: () => {
        clearInterval(timer);
        sample();
        return samples;
      },
    };
  }

  /** Starts a new peak-RSS measurement (clear_refs 5 resets VmHWM to the current RSS). */
  resetPeak(): void {
    writeFileSync(`/proc/${this.pid}/clear_refs`, "5");
  }

  signal(name: "SIGSTOP" | "SIGCONT" | "SIGKILL" | "SIGTERM"): void {
    if (!this.exited) this.process.kill(name);
  }

  /** SIGKILL, then the exit; resolves at once when the process is gone already. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.process.exited;
  }

  /** Closes stdin (the peers' signal to finish and exit) and waits up to `timeoutMs`, then kills. */
  async finish(timeoutMs: number): Promise<number | null> {
    const stdin = this.process.stdin;
    if (stdin !== undefined && typeof stdin !== "number") stdin.end();
    await this.#changed.wait(() => this.exited, { timeoutMs, what: `${this.label} to exit` }).catch(() => this.kill());
    return this.#exitCode;
  }

  #tail(): string {
    return this.reports
      .slice(-3)
      .map((r) => JSON.stringify(r))
      .join(" ");
  }

  async #read(stdout: ReadableStream<Uint8Array>): Promise<void> {
    for await (const line of readLines(stdout)) {
      let report: Report;
      try {
        report = JSON.parse(line) as Report;
      } catch {
        report = { event: "text", text: line };
      }
      this.reports.push(report);
      this.#changed.notify();
    }
  }

  async #collectStderr(stderr: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stderr) {
      this.#stderr = (this.#stderr + decoder.decode(chunk, { stream: true })).slice(-STDERR_KEPT);
      this.#changed.notify();
    }
  }
}

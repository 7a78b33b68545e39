// Spawns peers/libzmq/peer-fixture.ts: a libzmq peer in its own process (for kill -9 / restart tests).

import type { Subprocess } from "bun";
import { join } from "node:path";
import { readLines } from "../../common/read-lines.ts";
import { Condition } from "./condition.ts";
import { withTimeout } from "./wait.ts";

const FIXTURE = join(import.meta.dir, "../../peers/libzmq/peer-fixture.ts");

export interface FixtureRecord {
  type: string;
  [key: string]: unknown;
}

export class LibzmqPeerProcess {
  readonly process: Subprocess<"pipe", "pipe", "pipe">;
  readonly records: FixtureRecord[] = [];
  #endpoint: string | null = null;
  #stderr = "";
  readonly #changed = new Condition();
  readonly #stdoutDone: Promise<void>;

  private constructor(args: string[]) {
    this.process = Bun.spawn(["bun", FIXTURE, ...args], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    this.#stdoutDone = this.#readLines();
    void new Response(this.process.stderr).text().then((text) => (this.#stderr = text));
  }

  /** Starts the fixture and waits for its `ENDPOINT` line. */
  static async start(args: string[], timeoutMs = 10_000): Promise<LibzmqPeerProcess> {
    const peer = new LibzmqPeerProcess(args);
    try {
      await peer.#until(() => peer.#endpoint !== null, timeoutMs, "the fixture's ENDPOINT line");
    } catch (error) {
      peer.kill();
      throw error;
    }
    return peer;
  }

  get endpoint(): string {
    if (this.#endpoint === null) throw new Error("fixture has not reported its endpoint");
    return this.#endpoint;
  }

  /** Resolves with the first record (past or future) satisfying `match`. */
  async waitForRecord(match: (r: FixtureRecord) => boolean, what: string, timeoutMs = 5000): Promise<FixtureRecord> {
    await this.#until(() => this.records.some(match), timeoutMs, what);
    return this.records.find(match)!;
  }

  messages(): string[][] {
    return this.records.filter((r) => r.type === "message").map((r) => r.frames as string[]);
  }

  /** Closes the fixture's stdin (it exits on its own) and waits for the exit code. */
  async stop(timeoutMs = 10_000): Promise<number> {
    try {
      void this.process.stdin.end();
    } catch {
      // already closed
    }
    return this.exited(timeoutMs);
  }

  async exited(timeoutMs = 10_000): Promise<number> {
    const code = await withTimeout(this.process.exited, timeoutMs, "the libzmq fixture process to exit");
    await withTimeout(this.#stdoutDone, timeoutMs, "the fixture's stdout to end");
    return code;
  }

  /** SIGKILL; for cleanup lists and crash tests. */
  kill(signal: NodeJS.Signals | number = "SIGKILL"): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
  }

  close(): void {
    this.kill();
  }

  get stderr(): string {
    return this.#stderr;
  }

  async #readLines(): Promise<void> {
    for await (const line of readLines(this.process.stdout, { unterminated: true })) this.#onLine(line);
    this.#changed.notify();
  }

  #onLine(line: string): void {
    if (line.startsWith("ENDPOINT ")) this.#endpoint = line.slice("ENDPOINT ".length);
    else if (line.trim().length > 0) this.records.push(JSON.parse(line) as FixtureRecord);
    this.#changed.notify();
  }

  #until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return this.#changed.wait(done, {
      timeoutMs,
      what,
      failure: () => (this.process.exitCode !== null ? `fixture exited before ${what}: ${this.#stderr}` : null),
    });
  }
}

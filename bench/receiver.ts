// The bench's handle on one receiver child process (bench/pull-fixture.ts): spawn it, ask it for a
// batch over its stdin, await its one-line answer on its stdout, stop it. Control traffic only;
// the measured messages never pass through here.

import { join } from "node:path";
import { readLines } from "../scripts/read-lines.ts";

export interface Ack {
  count: number;
  bad: number;
}

export class Receiver {
  readonly impl: string;
  readonly endpoint: string;
  readonly #proc: Bun.Subprocess<"pipe", "pipe", "inherit">;
  readonly #waiters: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  readonly #lines: string[] = [];
  #ended: Error | null = null;

  private constructor(impl: string, proc: Bun.Subprocess<"pipe", "pipe", "inherit">, endpoint: string) {
    this.impl = impl;
    this.#proc = proc;
    this.endpoint = endpoint;
  }

  /** Starts `bench/pull-fixture.ts <impl> <receiveHighWaterMark>` and waits for its endpoint. */
  static async spawn(impl: "bunzmq" | "libzmq", receiveHighWaterMark: number): Promise<Receiver> {
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "pull-fixture.ts"), impl, String(receiveHighWaterMark)], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    const lines = readLines(proc.stdout);
    const first = await lines.next();
    if (first.done || !first.value.startsWith("ENDPOINT ")) {
      proc.kill();
      throw new Error(`${impl} receiver did not start (first line: ${first.done ? "none" : first.value})`);
    }
    const receiver = new Receiver(impl, proc, first.value.slice("ENDPOINT ".length));
    receiver.#pump(lines, proc.exited);
    return receiver;
  }

  /** Asks for a batch of `count` messages of `size` bytes; resolves when the receiver has them all. */
  request(count: number, size: number): Promise<Ack> {
    if (this.#ended) return Promise.reject(this.#ended);
    if (this.#lines.length > 0) return Promise.reject(new Error(`${this.impl} receiver said "${this.#lines[0]}" unasked`));
    const ack = new Promise<string>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    const line = `${count} ${size}\n`;
    this.#proc.stdin.write(line);
    // The libzmq sender blocks the JS thread next: the line must be in the pipe now, not buffered.
    if (this.#proc.stdin.flush() !== line.length) throw new Error(`${this.impl} receiver: control line not written at once`);
    return ack.then((text) => {
      const [word, got, bad] = text.split(" ");
      if (word === "STALL") {
        throw new Error(`${this.impl} receiver stalled: ${got} of ${count} messages of ${size} B arrived, then none for 2 s`);
      }
      const result = { count: Number(got), bad: Number(bad) };
      if (word !== "OK" || result.count !== count || result.bad !== 0) {
        throw new Error(`${this.impl} receiver answered "${text}" for ${count} messages of ${size} B`);
      }
      return result;
    });
  }

  /** Closes its stdin (the child exits on EOF); kills it only if it has not exited 3 s later. */
  async stop(): Promise<void> {
    try {
      this.#proc.stdin.end();
    } catch {
      // already closed
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 3000)));
    const exited = await Promise.race([this.#proc.exited.then(() => true), late]);
    clearTimeout(timer);
    if (!exited) {
      process.stderr.write(`${this.impl} receiver (pid ${this.#proc.pid}) did not exit on stdin EOF; killing it\n`);
      this.#proc.kill(9);
      await this.#proc.exited;
    }
  }

  async #pump(lines: AsyncGenerator<string>, exited: Promise<number>): Promise<void> {
    for await (const line of lines) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(line);
      else this.#lines.push(line);
    }
    const code = await exited;
    this.#ended = new Error(`${this.impl} receiver exited (code ${code})`);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#ended);
  }
}

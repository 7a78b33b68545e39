// A JeroMQ 0.3.6 process (Debian's libjeromq-java, which speaks ZMTP 2.0) driven line by line:
// test/interop/jeromq/JeromqPeer.java, launched as a single-file source program, so it needs a JDK
// (the launcher compiles it with the jdk.compiler module). One process serves a whole test file: a
// JVM start costs 1-2 s. Without Java or the jar the tests are skipped with a printed reason, except
// under CI=true, where they run and fail (.ci/run installs both).

import type { Subprocess } from "bun";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { withTimeout } from "./wait.ts";

/** Where Debian's libjeromq-java puts the jar (a link to jeromq-0.3.6.jar). */
export const JEROMQ_JAR = "/usr/share/java/jeromq.jar";
const SOURCE_DIR = join(import.meta.dir, "..", "interop", "jeromq");

function missing(): string | null {
  if (Bun.which("java") === null) return "no `java` on PATH (install default-jdk-headless)";
  if (Bun.which("javac") === null)
    return "no JDK (`javac` missing; the single-file launcher needs jdk.compiler): install default-jdk-headless";
  if (!existsSync(JEROMQ_JAR)) return `no ${JEROMQ_JAR} (install libjeromq-java)`;
  return null;
}

const MISSING = missing();
/** Whether to run the JeroMQ tests: where Java and the jar exist, and always under CI, where their absence must fail. */
export const jeromqTestsRun = MISSING === null || process.env.CI === "true";
if (!jeromqTestsRun) console.log(`skipping the JeroMQ (ZMTP 2.0) interop tests: ${MISSING}`);

/** A message as JeroMQ's side reads and writes it: frames as text (the tests use ASCII only). */
export type Frames = string[];

const hex = (frame: string) => Buffer.from(frame).toString("hex");
const unhex = (text: string) => Buffer.from(text, "hex").toString();

export class JeromqPeer {
  readonly #process: Subprocess<"pipe", "pipe", "inherit">;
  readonly #lines: AsyncIterator<string>;
  #busy: Promise<unknown> = Promise.resolve();

  private constructor(process: Subprocess<"pipe", "pipe", "inherit">) {
    this.#process = process;
    this.#lines = lines(process.stdout);
  }

  /** Starts the JVM and waits (30 s at most: it compiles the peer first) until it is ready. */
  static async start(): Promise<JeromqPeer> {
    const process = Bun.spawn(["java", "-cp", JEROMQ_JAR, "JeromqPeer.java"], {
      cwd: SOURCE_DIR,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
    const peer = new JeromqPeer(process);
    const first = await withTimeout(peer.#lines.next(), 30_000, "the JeroMQ peer to start");
    if (first.value !== "ready") throw new Error(`JeroMQ peer did not start: ${first.value ?? "it exited"}`);
    return peer;
  }

  /** A JeroMQ socket of `type` under `id`, with routing id `identity` if given. */
  socket(id: string, type: string, identity?: string): Promise<string> {
    return this.#command(`socket ${id} ${type} ${identity === undefined ? "" : hex(identity)}`);
  }

  /** Binds `id` to a free port on 127.0.0.1 and returns its endpoint. */
  async bind(id: string): Promise<string> {
    return `tcp://127.0.0.1:${(await this.#command(`bind ${id} 127.0.0.1`)).split(" ")[1]}`;
  }

  connect(id: string, endpoint: string): Promise<string> {
    return this.#command(`connect ${id} ${endpoint}`);
  }

  subscribe(id: string, prefix: string): Promise<string> {
    return this.#command(`subscribe ${id} ${hex(prefix)}`);
  }

  send(id: string, frames: Frames): Promise<string> {
    return this.#command(`send ${id} ${frames.length === 1 && frames[0] === "" ? "-" : frames.map(hex).join(",")}`);
  }

  /** The next message on `id`, or null if none came within `timeoutMs` (JeroMQ's receive time-out). */
  async receive(id: string, timeoutMs = 5000): Promise<Frames | null> {
    const answer = await this.#command(`recv ${id} ${timeoutMs}`, timeoutMs + 10_000);
    return answer === "timeout" ? null : answer.slice(4).split(",").map(unhex);
  }

  close(id: string): Promise<string> {
    return this.#command(`close ${id}`);
  }

  /** Ends the JVM: `quit`, then a kill if it has not exited within 5 s. */
  async stop(): Promise<void> {
    this.#process.stdin.write("quit\n");
    this.#process.stdin.flush();
    await withTimeout(this.#process.exited, 5000, "the JeroMQ peer to exit").catch(() => this.#process.kill());
  }

  // One command at a time: JeroMQ answers in order, and a `recv` blocks its loop until it returns.
  #command(line: string, timeoutMs = 10_000): Promise<string> {
    const run = this.#busy.then(async () => {
      this.#process.stdin.write(`${line}\n`);
      this.#process.stdin.flush();
      const answer = await withTimeout(this.#lines.next(), timeoutMs, `JeroMQ's answer to "${line}"`);
      if (answer.done === true) throw new Error(`JeroMQ peer exited before answering "${line}"`);
      if (answer.value.startsWith("error")) throw new Error(`JeroMQ refused "${line}": ${answer.value}`);
      return answer.value;
    });
    this.#busy = run.catch(() => {});
    return run;
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
      yield pending.slice(0, end);
      pending = pending.slice(end + 1);
    }
  }
}

// The soak's peers and their lives. A Peer starts a life (a fresh set of sockets with a new
// instance number), ends it abruptly (a restart) or gracefully (the end of the run), and books what
// the life reported into the tally. ProcessPeer runs a life in a `bun` process (peer-fixture.ts)
// and ends it with SIGKILL; InprocPeer runs it inside the soak (inproc has no other process to live
// in) and ends it by closing the sockets with linger 0. Imports src/ (through peer-traffic.ts),
// common/ and the soak's own modules.

import { join } from "node:path";
import type { Subprocess } from "bun";
import { readLines } from "../../common/read-lines.ts";
import { emptyStats, type PeerConfig, type PeerKind, type PeerStats, READY, STATS } from "./peer-config.ts";
import { PeerTraffic } from "./peer-traffic.ts";
import type { Tally } from "./tally.ts";

const FIXTURE = join(import.meta.dir, "peer-fixture.ts");
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
/** Bytes of a peer process's stderr kept to explain its death. */
const STDERR_TAIL = 4096;

export abstract class Peer {
  readonly kind: PeerKind;
  /** The current life's number, from 1. */
  life = 0;
  /** performance.now() when the current life reported ready. */
  readyAt = 0;
  #counted: PeerStats = emptyStats();

  constructor(kind: PeerKind) {
    this.kind = kind;
  }

  /** Starts life `this.life + 1` with `config` (built for that life); resolves to its REP's endpoint. */
  async start(configFor: (life: number) => PeerConfig): Promise<string> {
    this.life++;
    this.#counted = emptyStats();
    const rep = await this.launch(configFor(this.life));
    this.readyAt = performance.now();
    return rep;
  }

  /** Books what the current life reported since the last call: messages, and new violations. */
  account(tally: Tally): void {
    const now = this.current();
    const before = this.#counted;
    tally.add("DEALER→ROUTER", this.kind.name, now.echoed - before.echoed);
    tally.add("PUB→SUB", this.kind.name, now.published - before.published);
    const texts = now.violations.slice(before.violations.length);
    for (const violation of texts) tally.violation(violation);
    // Past the peer's first 20 only the count travels; each still counts.
    for (let i = texts.length; i < now.violationCount - before.violationCount; i++) {
      tally.violation(`${this.kind.name} life ${this.life}: a further violation (the peer reports only its first 20 in full)`);
    }
    this.#counted = now;
  }

  /** Ends the current life abruptly (books it first) and starts the next. */
  async restart(tally: Tally, configFor: (life: number) => PeerConfig): Promise<string> {
    this.account(tally);
    await this.end(true);
    tally.restarted(this.kind.name);
    return this.start(configFor);
  }

  /** Ends the current life gracefully, booking it first. */
  async stop(tally: Tally): Promise<void> {
    this.account(tally);
    await this.end(false);
  }

  protected abstract launch(config: PeerConfig): Promise<string>;
  protected abstract end(abrupt: boolean): Promise<void>;
  /** The current life's latest report. */
  protected abstract current(): PeerStats;
}

export class ProcessPeer extends Peer {
  #child: Subprocess<"pipe", "pipe", "pipe"> | null = null;
  #latest: PeerStats = emptyStats();
  #stderr = "";
  #ending = false;
  readonly #onDeath: (text: string) => void;

  /** `onDeath` hears of a life that ended without being ended (a crash): a violation. */
  constructor(kind: PeerKind, onDeath: (text: string) => void) {
    super(kind);
    this.#onDeath = onDeath;
  }

  protected async launch(config: PeerConfig): Promise<string> {
    const child = Bun.spawn(["bun", FIXTURE, JSON.stringify(config)], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    this.#child = child;
    this.#latest = emptyStats();
    this.#stderr = "";
    this.#ending = false;
    void this.#keepStderr(child);
    void child.exited.then((code) => {
      if (!this.#ending && this.#child === child) {
        this.#onDeath(`peer ${config.name} life ${config.instance} exited by itself (status ${code}): ${this.#stderr.trim().slice(-500)}`);
      }
    });
    const lines = readLines(child.stdout);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), READY_TIMEOUT_MS)));
    const first = await Promise.race([lines.next(), timeout]);
    clearTimeout(timer);
    if (first === null || first.done || !first.value.startsWith(READY)) {
      child.kill("SIGKILL");
      throw new Error(`peer ${config.name} did not report ready within ${READY_TIMEOUT_MS} ms: ${this.#stderr.trim().slice(-500)}`);
    }
    void this.#readStats(lines, child);
    return (JSON.parse(first.value.slice(READY.length)) as { rep: string }).rep;
  }

  protected async end(abrupt: boolean): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#ending = true;
    if (abrupt) child.kill("SIGKILL");
    else {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await child.exited;
      clearTimeout(timer);
    }
    await child.exited;
    // Our end of its stdin is ours to close, killed or not: it would outlive the process otherwise.
    if (abrupt) child.stdin.end();
  }

  protected current(): PeerStats {
    return this.#latest;
  }

  async #readStats(lines: AsyncGenerator<string>, child: Subprocess): Promise<void> {
    for await (const line of lines) {
      if (this.#child !== child) break;
      if (line.startsWith(STATS)) this.#latest = JSON.parse(line.slice(STATS.length)) as PeerStats;
    }
  }

  async #keepStderr(child: Subprocess<"pipe", "pipe", "pipe">): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) {
      if (this.#child === child) this.#stderr = (this.#stderr + decoder.decode(chunk, { stream: true })).slice(-STDERR_TAIL);
    }
  }
}

export class InprocPeer extends Peer {
  #traffic: PeerTraffic | null = null;

  protected async launch(config: PeerConfig): Promise<string> {
    const traffic = new PeerTraffic(config);
    this.#traffic = traffic;
    // Bounded as a process peer's READY is: close() settles a start() that waits for traffic.
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      void traffic.close();
    }, READY_TIMEOUT_MS);
    const rep = await traffic.start();
    clearTimeout(timer);
    if (late) throw new Error(`peer ${config.name} carried no traffic within ${READY_TIMEOUT_MS} ms`);
    return rep;
  }

  protected async end(): Promise<void> {
    await this.#traffic?.close();
    this.#traffic = null;
  }

  protected current(): PeerStats {
    return this.#traffic?.stats() ?? emptyStats();
  }
}

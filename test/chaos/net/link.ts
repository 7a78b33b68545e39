// The impaired link as tests use it: `await Link.open({ impairment })` starts the forwarder process
// (forwarder.ts), which makes two network namespaces joined through it; `link.a` and `link.b` run
// commands and bun scripts inside them; the impairment changes at run time (`impair`, `partition`,
// `heal`); `close()` kills every process started through the sides, then the forwarder, so no
// namespace, device or process is left behind, also when a test fails half-way.
// Imports the fixture's protocol and common/read-lines.ts.

import type { Subprocess } from "bun";
import { readLines } from "../../../common/read-lines.ts";
import type { Event, ForwarderConfig, LinkStats, Output, ReadySide, Reply, RequestBody } from "./control-protocol.ts";
import { type Direction, type Impairment, NO_IMPAIRMENT, withChanges } from "./impairment.ts";
import { NetSide } from "./net-side.ts";

const FORWARDER = new URL("./forwarder.ts", import.meta.url).pathname;
const START_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 5_000;
const EXIT_TIMEOUT_MS = 5_000;

export interface LinkOptions {
  /** The impairment from the start (default: none). */
  impairment?: Partial<Impairment>;
  /** Seeds the random drops and delays (default: random; `link.seed` tells which, to repeat a run). */
  seed?: number;
  /** Side a's and side b's addresses (default 10.77.0.1 and 10.77.0.2, in a /24). */
  addresses?: [string, string];
}

/** The link could not be made here (no permission for namespaces, no TUN device); `reason` says why. */
export class LinkUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`the impaired link is not available here: ${reason}`);
  }
}

export interface LinkState {
  /** When the forwarder applied the request (epoch ms, control-protocol.ts). */
  at: number;
  impairment: Impairment;
  stats: LinkStats;
}

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`link: timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

export class Link implements AsyncDisposable {
  readonly a: NetSide;
  readonly b: NetSide;
  readonly seed: number;
  readonly #forwarder: Subprocess<"pipe", "pipe", "pipe">;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  readonly #heals: Array<(at: number) => void> = [];
  readonly #children = new Set<Subprocess>();
  #nextId = 1;
  #closed: Promise<void> | undefined;

  private constructor(
    forwarder: Subprocess<"pipe", "pipe", "pipe">,
    ready: Extract<Event, { event: "ready" }>,
    lines: AsyncGenerator<string>,
  ) {
    this.#forwarder = forwarder;
    this.seed = ready.seed;
    const track = (child: Subprocess) => {
      this.#children.add(child);
      child.exited.then(() => this.#children.delete(child));
    };
    this.a = new NetSide("a", ready.sides[0].address, nsenterPrefix(ready.sides[0]), track);
    this.b = new NetSide("b", ready.sides[1].address, nsenterPrefix(ready.sides[1]), track);
    this.#dispatch(lines);
  }

  /** Starts the forwarder and waits for its namespaces; throws LinkUnavailableError where they cannot be made. */
  static async open(options: LinkOptions = {}): Promise<Link> {
    if (process.platform !== "linux") throw new LinkUnavailableError(`network namespaces are Linux-only (this is ${process.platform})`);
    const [addressA, addressB] = options.addresses ?? ["10.77.0.1", "10.77.0.2"];
    const config: ForwarderConfig = {
      sides: [
        { address: addressA, device: "chaos-a" },
        { address: addressB, device: "chaos-b" },
      ],
      prefixLength: 24,
      impairment: withChanges(NO_IMPAIRMENT, options.impairment ?? {}),
      seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
    };
    const forwarder = Bun.spawn([process.execPath, FORWARDER, JSON.stringify(config)], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    const lines = readLines(forwarder.stdout);
    try {
      const first = await bounded(lines.next(), START_TIMEOUT_MS, "the forwarder to make its namespaces");
      if (first.done)
        throw new LinkUnavailableError(`the forwarder exited at start: ${(await new Response(forwarder.stderr).text()).trim()}`);
      const event = JSON.parse(first.value) as Event;
      if (event.event === "failed") throw new LinkUnavailableError(event.error);
      if (event.event !== "ready") throw new Error(`link: unexpected first line from the forwarder: ${first.value}`);
      return new Link(forwarder, event, lines);
    } catch (error) {
      forwarder.kill("SIGKILL");
      await forwarder.exited;
      throw error;
    }
  }

  /** Changes some settings; the others stay. A partition set here lasts until `heal()`. */
  impair(changes: Partial<Impairment>): Promise<LinkState> {
    return this.#request({ op: "impair", changes });
  }

  /**
   * Cuts `direction` (default both). With `durationMs` the forwarder heals by itself, and `healed`
   * resolves with the time it did (epoch ms); the time lives in the forwarder, not in the test.
   */
  async partition(direction: Direction | "both" = "both", durationMs?: number): Promise<LinkState & { healed: Promise<number> }> {
    const healed = new Promise<number>((resolve) => this.#heals.push(resolve));
    const state = await this.#request({ op: "partition", direction, ...(durationMs === undefined ? {} : { durationMs }) });
    return { ...state, healed };
  }

  heal(): Promise<LinkState> {
    return this.#request({ op: "heal" });
  }

  async stats(): Promise<LinkStats> {
    return (await this.#request({ op: "stats" })).stats;
  }

  /** Kills every process started in the namespaces, then stops the forwarder; idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      for (const child of this.#children) child.kill("SIGKILL");
      await Promise.all([...this.#children].map((child) => child.exited));
      this.#forwarder.stdin.end(); // the forwarder exits when its stdin closes
      const exited = await bounded(this.#forwarder.exited, EXIT_TIMEOUT_MS, "the forwarder to exit").catch(() => null);
      if (exited === null) {
        this.#forwarder.kill("SIGKILL");
        await this.#forwarder.exited;
      }
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #request(body: RequestBody): Promise<LinkState> {
    if (this.#closed !== undefined) throw new Error(`link: ${body.op} after close()`);
    const id = this.#nextId++;
    const reply = new Promise<Reply>((resolve) => this.#pending.set(id, resolve));
    this.#forwarder.stdin.write(`${JSON.stringify({ ...body, id })}\n`);
    this.#forwarder.stdin.flush();
    const answer = await bounded(reply, REQUEST_TIMEOUT_MS, `the forwarder's answer to ${body.op}`).finally(() => this.#pending.delete(id));
    if (!answer.ok) throw new Error(`link: ${body.op} refused: ${answer.error}`);
    return { at: answer.at, impairment: answer.impairment, stats: answer.stats };
  }

  async #dispatch(lines: AsyncGenerator<string>): Promise<void> {
    for await (const line of lines) {
      const output = JSON.parse(line) as Output;
      if ("id" in output) this.#pending.get(output.id)?.(output);
      else if (output.event === "healed") for (const resolve of this.#heals.splice(0)) resolve(output.at);
    }
  }
}

function nsenterPrefix(side: ReadySide): string[] {
  return ["nsenter", `--net=${side.netns}`, "--"];
}

let availability: Promise<string | null> | undefined;

/**
 * Why the link cannot be made here, or null when it can: opens one link and closes it (once per
 * process). Tests skip with this reason, except under CI=true, where the link must work.
 */
export function linkUnavailableReason(): Promise<string | null> {
  availability ??= Link.open().then(
    (link) => link.close().then(() => null),
    (error) => (error instanceof LinkUnavailableError ? error.reason : String(error)),
  );
  return availability;
}

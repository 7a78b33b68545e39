// The link's forwarding process: makes two network namespaces with a TUN device each (side a and
// side b, one subnet), then copies every IP packet read from one device to the other through the
// impairment (loss, delay with jitter, reordering, duplication, partitions). Controlled by JSON lines
// on stdin (control-protocol.ts) and gone when stdin closes, taking its devices and (once the peers
// inside have exited) its namespaces with it. Started by link.ts:
//   bun test/chaos/net/forwarder.ts '<ForwarderConfig as JSON>'
// Imports the fixture's own modules and common/read-lines.ts.

import { writeSync } from "node:fs";
import { readLines } from "../../../common/read-lines.ts";
import type { ForwarderConfig, LinkStats, Output, ReadySide, Request, SideConfig } from "./control-protocol.ts";
import { epochMs } from "./control-protocol.ts";
import { DelayLine, type Direction, emptyStats, fateOf, type Impairment, seededRandom, withChanges } from "./impairment.ts";
import { configureInterface, createTun, inNewNamespace } from "./netns.ts";
import { readPackets } from "./tun-packets.ts";

/** Room for bursts while the forwarder is busy (the TUN default of 500 packets drops under load). */
const TX_QUEUE_LENGTH = 10_000;
/** Multicast is routed into the link, so a group send from either side crosses it. */
const ROUTES = ["224.0.0.0/4"];
/** A timer may fire a little before its due time; packets this close are sent rather than re-timed. */
const TIMER_SLACK_MS = 1;

function emit(output: Output): void {
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

/** One direction: packets from one device, through the impairment, to the other. */
class Path {
  readonly stats = emptyStats();
  readonly #line = new DelayLine();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly direction: Direction,
    readonly outFd: number,
    readonly impairment: () => Impairment,
    readonly random: () => number,
  ) {}

  onPacket(packet: Uint8Array): void {
    this.stats.packets++;
    this.stats.bytes += packet.length;
    const fate = fateOf(this.impairment(), this.direction, this.random);
    if (fate.kind === "partitioned") this.stats.partitioned++;
    else if (fate.kind === "lost") this.stats.lost++;
    else {
      if (fate.reordered) this.stats.reordered++;
      if (fate.delaysMs.length > 1) this.stats.duplicated++;
      const now = performance.now();
      for (const delay of fate.delaysMs) {
        if (delay === 0) this.#write(packet);
        else this.#line.push(packet, now + delay);
      }
      this.#schedule();
    }
  }

  /** A partition cuts what is on the wire too. */
  cut(): void {
    this.stats.partitioned += this.#line.clear();
    this.#schedule();
  }

  get waiting(): number {
    return this.#line.size;
  }

  #write(packet: Uint8Array): void {
    try {
      writeSync(this.outFd, packet);
      this.stats.delivered++;
    } catch {
      this.stats.writeErrors++;
    }
  }

  #schedule(): void {
    const next = this.#line.nextDueAt;
    if (next === undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    if (this.#timer !== undefined) return; // already set for the earliest due time or sooner
    this.#timer = setTimeout(() => this.#release(), Math.max(0, next - performance.now()));
  }

  #release(): void {
    this.#timer = undefined;
    for (const packet of this.#line.takeDue(performance.now() + TIMER_SLACK_MS)) this.#write(packet);
    this.#schedule();
  }
}

function openSide(side: SideConfig, prefixLength: number): { tun: number; ready: ReadySide } {
  const { namespaceFd, result: tun } = inNewNamespace(() => {
    const fd = createTun(side.device);
    configureInterface({ ...side, prefixLength, txQueueLength: TX_QUEUE_LENGTH, routes: ROUTES });
    return fd;
  });
  return { tun, ready: { ...side, netns: `/proc/${process.pid}/fd/${namespaceFd}` } };
}

function main(config: ForwarderConfig): void {
  const [a, b] = config.sides.map((side) => openSide(side, config.prefixLength)) as [
    ReturnType<typeof openSide>,
    ReturnType<typeof openSide>,
  ];
  let impairment = withChanges(config.impairment, {});
  const random = seededRandom(config.seed);
  const paths = {
    "a-to-b": new Path("a-to-b", b.tun, () => impairment, random),
    "b-to-a": new Path("b-to-a", a.tun, () => impairment, random),
  };
  const stopped = new AbortController();
  for (const [fd, path] of [
    [a.tun, paths["a-to-b"]],
    [b.tun, paths["b-to-a"]],
  ] as const) {
    readPackets(fd, (packet) => path.onPacket(packet), stopped.signal).catch((error) => {
      process.stderr.write(`forwarder: reading ${path.direction}: ${error}\n`);
      process.exit(1);
    });
  }
  let healTimer: ReturnType<typeof setTimeout> | undefined;
  const apply = (changes: Partial<Impairment>) => {
    clearTimeout(healTimer);
    impairment = withChanges(impairment, changes);
    for (const path of Object.values(paths)) if (impairment.partition !== "none") path.cut();
  };
  const stats = (): LinkStats => ({
    "a-to-b": { ...paths["a-to-b"].stats },
    "b-to-a": { ...paths["b-to-a"].stats },
    waiting: paths["a-to-b"].waiting + paths["b-to-a"].waiting,
  });
  const handle = (request: Request): void => {
    if (request.op === "impair") apply(request.changes);
    else if (request.op === "heal") apply({ partition: "none" });
    else if (request.op === "partition") {
      apply({ partition: request.direction });
      if (request.durationMs !== undefined) {
        healTimer = setTimeout(() => {
          impairment = withChanges(impairment, { partition: "none" });
          emit({ event: "healed", at: epochMs() });
        }, request.durationMs);
      }
    }
    emit({ id: request.id, ok: true, at: epochMs(), impairment, stats: stats() });
  };
  emit({ event: "ready", pid: process.pid, seed: config.seed, sides: [a.ready, b.ready] });
  (async () => {
    for await (const line of readLines(Bun.stdin.stream())) {
      let request: Request | undefined;
      try {
        request = JSON.parse(line) as Request;
        handle(request);
      } catch (error) {
        emit({ id: request?.id ?? -1, ok: false, error: String(error instanceof Error ? error.message : error) });
      }
    }
    // stdin closed: the link is closed (or its owner died). Exiting closes the devices.
    stopped.abort();
    process.exit(0);
  })();
}

try {
  main(JSON.parse(process.argv[2] ?? "") as ForwarderConfig);
} catch (error) {
  emit({ event: "failed", error: String(error instanceof Error ? error.message : error) });
  process.exit(1);
}

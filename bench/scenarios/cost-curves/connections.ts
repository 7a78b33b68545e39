// The connections curve: N DEALERs → one ROUTER over tcp (N = 1 … 10,000), bunzmq and libzmq,
// from fresh processes at every point (bench/fixtures/connection-cost-fixture.ts): the ROUTER in one
// child that echoes, the DEALERs in others, at most DEALERS_PER_PROCESS each. Per point:
//   connect time  from the first connect until every DEALER has the echo of its first message
//                 (in windows of 500, the fixture says why), all N
//   memory        the ROUTER process's RSS growth over that, per connection (read from /proc;
//                 bunzmq's after an idle full collection)
//   echo rate     messages echoed per second with every DEALER sending its share of `messages`
//                 (100 in flight per DEALER at most)
// Why split the DEALERs: a libzmq socket holds two descriptors (its TCP socket and a mailbox
// eventfd), 10,000 of them 20,000, and this machine's hard limit is 20,000 (raising it needs
// CAP_SYS_RESOURCE); main.ts raises the soft limit to the hard one and prints both.

import { Child, COLLECTED_WITHIN_MS } from "../../harness/child.ts";

import { type CostCurve, seriesMaker, withRawRate } from "../../report/cost-curves.ts";
import type { CurveSettings } from "./timing.ts";

const FIXTURE = new URL("../../fixtures/connection-cost-fixture.ts", import.meta.url);
export const DEALERS_PER_PROCESS = 5000;
const ANSWER_MS = 150_000;
const IMPLS = ["bunzmq", "libzmq"] as const;
type Impl = (typeof IMPLS)[number];

export interface ConnectionPoint {
  connections: number;
  impl: Impl;
  connectMs: number;
  kibPerConnection: number;
  echoesPerSecond: number;
}

/** Waits until a bunzmq fixture has collected its garbage (libzmq has none to wait for). */
const settle = (impl: Impl) => (impl === "bunzmq" ? Bun.sleep(COLLECTED_WITHIN_MS) : Promise.resolve());

async function ask(child: Child, line: string, expect: string): Promise<number> {
  const reply = await child.askWithin(line, ANSWER_MS);
  if (!reply.startsWith(`${expect} `)) throw new Error(`${child.name}: ${reply}`);
  return Number(reply.split(" ")[1]);
}

/** One point: fresh ROUTER and DEALER processes, connect, read memory, echo. */
async function measurePoint(impl: Impl, connections: number, messages: number): Promise<ConnectionPoint> {
  const router = await Child.spawn(`${impl} router`, FIXTURE, ["router", impl]);
  const dealers: Child[] = [];
  try {
    for (let first = 0; first < connections; first += DEALERS_PER_PROCESS) {
      const count = Math.min(DEALERS_PER_PROCESS, connections - first);
      dealers.push(await Child.spawn(`${impl} dealers`, FIXTURE, ["dealers", impl, String(count), router.endpoint]));
    }
    await settle(impl); // bunzmq's router collects its start-up garbage meanwhile
    const before = router.rssBytes();
    let start = performance.now();
    await Promise.all(dealers.map((d) => ask(d, "CONNECT", "CONNECTED")));
    const connectMs = performance.now() - start;
    await settle(impl);
    const kibPerConnection = (router.rssBytes() - before) / connections / 1024;
    const each = Math.max(1, Math.ceil(messages / connections));
    start = performance.now();
    await Promise.all(dealers.map((d) => ask(d, `ECHO ${each} 16`, "ECHOED")));
    const echoesPerSecond = (each * connections) / ((performance.now() - start) / 1000);
    return { connections, impl, connectMs, kibPerConnection, echoesPerSecond };
  } finally {
    await Promise.all(dealers.map((d) => d.stop()));
    await router.stop();
  }
}

/** Every count, bunzmq then libzmq at each; `points` gets each as it finishes. */
export async function measureConnections(
  counts: number[],
  messages: number,
  settings: CurveSettings,
  points: ConnectionPoint[],
): Promise<void> {
  for (const connections of counts) {
    for (const impl of IMPLS) {
      settings.check();
      let point: Awaited<ReturnType<typeof measurePoint>>;
      try {
        point = await measurePoint(impl, connections, messages);
      } catch (error) {
        settings.fail(`${impl} at ${connections} connections: ${(error as Error).message}`);
        continue;
      }
      points.push(point);
      settings.progress(
        `  ${impl} ${connections} connections: connect ${point.connectMs.toFixed(0)} ms, ` +
          `${point.kibPerConnection.toFixed(1)} KiB each, ${Math.round(point.echoesPerSecond)} echoes/s`,
      );
    }
  }
}

/** The curve's series; `raw16` is the raw limit's one-way rate at 16 B (messages per second). */
export function connectionCurve(points: ConnectionPoint[], raw16: number | undefined): CostCurve {
  const series = seriesMaker(points, (p) => p.connections);
  const rate = series("Echo rate over all connections, 16 B", "msgs/s", true, true, (p) => p.echoesPerSecond);
  return {
    name: "connections",
    title: "Connections: N DEALERs → one ROUTER over tcp",
    xTitle: "connections",
    xBytes: false,
    series: [
      series("Connect time, all N (first message echoed)", "ms", false, true, (p) => p.connectMs),
      series("ROUTER memory per connection", "KiB", false, true, (p) => p.kibPerConnection),
      withRawRate(rate, raw16),
    ],
    notes: ["Fresh processes per point; the ROUTER echoes; memory is the ROUTER process's RSS growth per connection."],
  };
}

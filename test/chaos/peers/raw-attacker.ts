// Hostile raw TCP peers for the chaos checks, in a process of their own:
//   slowloris: opens `connections` connections that send the first bytes of a ZMTP greeting and then
//     nothing; reports "dialling", "opened" once all are open, then "closed" with how long the server let each
//     live, once it has closed them all (or on "report").
//   ping-flood: the PING flood of issue #14 (test/chaos/ping-flood.ts) for `durationMs`, then a read
//     of what the server had queued; reports "flooded" with its figures.
// Exits when stdin closes.
//   bun test/chaos/peers/raw-attacker.ts '{"mode":"slowloris","endpoint":"tcp://10.77.0.2:40000","connections":1000}'
// Imports the peers' kit and the PING flood.

import { config, epochMs, report, serveCommands } from "./peer-kit.ts";
import { pingFlood } from "../ping-flood.ts";

export type AttackConfig =
  | { mode: "slowloris"; endpoint: string; connections: number }
  /** `receiveBufferBytes`: the flooder's SO_RCVBUF (ping-flood.ts; 0 leaves the OS default). */
  | { mode: "ping-flood"; endpoint: string; durationMs: number; receiveBufferBytes: number };

/** The first 10 bytes of a greeting (signature): enough to look like ZMTP, never enough to finish. */
const PARTIAL_GREETING = Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f]);
/** Connections dialled at once: more would overflow the listener's backlog into SYN retries. */
const DIAL_BATCH = 100;

function percentile(sorted: number[], share: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}

async function slowloris(endpoint: string, connections: number): Promise<void> {
  const [, hostname, port] = /^tcp:\/\/([^:]+):(\d+)$/.exec(endpoint) ?? [];
  const openedAt: number[] = [];
  const livedMs: number[] = [];
  let failed = 0;
  let allOpen = false;
  const summary = () => {
    const sorted = [...livedMs].sort((x, y) => x - y);
    return {
      opened: openedAt.length,
      failed,
      closed: livedMs.length,
      livedMs: { min: sorted[0], p50: percentile(sorted, 0.5), max: sorted.at(-1) },
    };
  };
  const maybeDone = () => allOpen && livedMs.length + failed === connections && report("closed", { ...summary(), at: epochMs() });
  const dial = async (index: number) => {
    try {
      await Bun.connect({
        hostname: hostname!,
        port: Number(port),
        socket: {
          open: (socket) => {
            openedAt[index] = performance.now();
            socket.write(PARTIAL_GREETING, 0, PARTIAL_GREETING.length);
          },
          data: () => {},
          close: () => {
            livedMs.push(performance.now() - openedAt[index]!);
            maybeDone();
          },
        },
      });
    } catch {
      failed++;
    }
  };
  report("dialling", { at: epochMs() });
  for (let first = 0; first < connections; first += DIAL_BATCH) {
    await Promise.all(Array.from({ length: Math.min(DIAL_BATCH, connections - first) }, (_, i) => dial(first + i)));
  }
  allOpen = true;
  report("opened", { ...summary(), at: epochMs() });
  maybeDone();
  serveCommands((command) => command.cmd === "report" && report("report", summary()));
}

const attack = config<AttackConfig>();
if (attack.mode === "slowloris") await slowloris(attack.endpoint, attack.connections);
else {
  serveCommands(() => {});
  // `collect`: afterwards the flooder reads again and counts the PONGs the server had kept for it.
  const { endpoint, durationMs, receiveBufferBytes } = attack;
  report("flooded", { ...(await pingFlood({ endpoint, durationMs, receiveBufferBytes, collect: true })), at: epochMs() });
}

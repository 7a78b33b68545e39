// The connection flood's client: `connections` DEALERs in one process, all dialling one ROUTER at
// once, each doing `rounds` request/reply round trips. Reports "served" when every DEALER has had
// its first reply (all connected and handshaken), then "done" with the counts; exits (closing all
// of them) when stdin closes.
//   bun test/chaos/peers/dealer-crowd.ts '{"connect":"tcp://10.77.0.2:40000","connections":2000,"rounds":10}'
// Imports the public API and the peers' kit.

import { Dealer } from "../../../src/index.ts";
import { config, epochMs, makeContext, report, rssBytes, serveCommands } from "./peer-kit.ts";

export interface CrowdConfig {
  connect: string;
  connections: number;
  rounds: number;
  ioThreads?: number;
  /** A reply slower than this counts as unanswered and ends that DEALER's rounds (default 30000 ms). */
  receiveTimeoutMs?: number;
}

const settings = config<CrowdConfig>();
const context = makeContext(settings.ioThreads ?? 0, settings.connections + 16);
const started = epochMs();
const dealers = Array.from(
  { length: settings.connections },
  () => new Dealer({ context, linger: 0, receiveTimeout: settings.receiveTimeoutMs ?? 30_000 }),
);
let answered = 0;
let wrong = 0;
let unanswered = 0;
let firstReplies = 0;

async function converse(dealer: Dealer, index: number): Promise<void> {
  for (let round = 0; round < settings.rounds; round++) {
    await dealer.send([String(round), String(index)]);
    let reply: Buffer[];
    try {
      reply = await dealer.receive();
    } catch {
      unanswered += settings.rounds - round;
      return;
    }
    if (reply[0]?.toString() !== String(round) || reply[1]?.toString() !== String(index)) wrong++;
    answered++;
    if (round === 0 && ++firstReplies === settings.connections)
      report("served", { at: epochMs(), afterMs: epochMs() - started, rssBytes: rssBytes() });
  }
}

for (const dealer of dealers) dealer.connect(settings.connect);
report("started", { at: started });
await Promise.all(dealers.map((dealer, index) => converse(dealer, index)));
report("done", { answered, wrong, unanswered, elapsedMs: epochMs() - started, rssBytes: rssBytes() });

serveCommands(
  () => {},
  () => {
    for (const dealer of dealers) dealer.close();
    context.close();
  },
);

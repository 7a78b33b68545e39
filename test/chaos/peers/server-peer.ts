// A bunzmq server for the chaos checks, run in its own process (usually inside one side of the
// impaired link): a ROUTER that echoes every message to its sender, or a PULL that tallies numbered
// messages. Reports "bound" {endpoint}, monitor events, "progress" (PULL), "complete" once a PULL has every number below
// `expect`, and "report" {tally, echoed, rssBytes} when asked; exits when stdin closes.
//   bun test/chaos/peers/server-peer.ts '{"socket":"router","bind":"tcp://10.77.0.2:*"}'
// Imports the public API and the peers' kit.

import { Pull, Router } from "../../../src/index.ts";
import {
  applyOptions,
  config,
  epochMs,
  makeContext,
  report,
  reportMonitorEvents,
  rssBytes,
  serveCommands,
  type SocketOptionValues,
} from "./peer-kit.ts";
import { SequenceTally } from "./sequence-tally.ts";

export interface ServerConfig {
  socket: "router" | "pull";
  /** "tcp://<side address>:*", or the exact endpoint of a server this one replaces. */
  bind: string;
  options?: SocketOptionValues;
  ioThreads?: number;
  /** Report connection events (accept, handshake, disconnect) with their times. */
  monitor?: boolean;
  /** PULL: report "complete" once every number below this has arrived. */
  expect?: number;
  /** PULL: report "progress" {received} at every multiple of this many messages. */
  progressEvery?: number;
}

const settings = config<ServerConfig>();
const context = makeContext(settings.ioThreads ?? 0);
const socket = settings.socket === "router" ? new Router({ context, linger: 0 }) : new Pull({ context, linger: 0 });
applyOptions(socket, settings.options);
if (settings.monitor) reportMonitorEvents(socket, settings.socket);
const tally = new SequenceTally();
let echoed = 0;

async function echo(router: Router): Promise<void> {
  for await (const message of router) {
    await router.send(message);
    echoed++;
  }
}

async function sink(pull: Pull): Promise<void> {
  let completed = false;
  for await (const [seq] of pull) {
    tally.record(Number(seq!.toString()));
    if (settings.progressEvery !== undefined && tally.received % settings.progressEvery === 0)
      report("progress", { received: tally.received, at: epochMs() });
    if (!completed && settings.expect !== undefined && tally.complete(settings.expect)) {
      completed = true;
      report("complete", { tally: tally.summary(settings.expect), at: epochMs() });
    }
  }
}

await socket.bind(settings.bind);
report("bound", { endpoint: socket.lastEndpoint, pid: process.pid });
const served = socket instanceof Router ? echo(socket) : sink(socket as Pull);
served.catch((error) => {
  // A closed socket ends the loop with EAGAIN/ETERM at exit; anything else is a finding.
  if (!socket.closed) {
    process.stderr.write(`server-peer: ${error}\n`);
    process.exit(1);
  }
});

serveCommands(
  (command) => {
    if (command.cmd === "report") report("report", { tally: tally.summary(settings.expect), echoed, rssBytes: rssBytes() });
  },
  () => {
    socket.close();
    context.close();
  },
);

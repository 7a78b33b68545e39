// A bunzmq client for the chaos checks, run in its own process: a DEALER that sends numbered
// requests (to an echoing ROUTER) and tallies the replies, or a PUSH that sends numbered messages (to
// a tallying PULL). It sends as fast as a window of unanswered requests (DEALER) or the high-water
// mark allows, or one message every `intervalMs`. Reports "resumed" when replies come back after a
// silence, "progress" every so many replies, "blocked" samples while a send waits (PUSH), monitor
// events, and "done" {sent, tally, longestGapMs} once `count` is reached or after "stop"; exits when
// stdin closes.
//   bun test/chaos/peers/client-peer.ts '{"socket":"dealer","connect":"tcp://10.77.0.2:40000","size":256,"count":1000,"window":64}'
// Imports the public API and the peers' kit.

import { Dealer, Push } from "../../../src/index.ts";
import {
  applyOptions,
  config,
  epochMs,
  makeContext,
  numbered,
  report,
  reportMonitorEvents,
  rssBytes,
  serveCommands,
  type SocketOptionValues,
} from "./peer-kit.ts";
import { SequenceTally } from "./sequence-tally.ts";

export interface ClientConfig {
  socket: "dealer" | "push";
  connect: string;
  options?: SocketOptionValues;
  ioThreads?: number;
  monitor?: boolean;
  /** Payload bytes per message (after the number). */
  size: number;
  /** Stop sending after this many (default: until "stop"). */
  count?: number;
  /** DEALER: at most this many requests unanswered. */
  window?: number;
  /** Send one message every this many ms instead of as fast as possible. */
  intervalMs?: number;
  /** DEALER: report "resumed" when a reply comes after at least this long without one (default 500). */
  gapMs?: number;
  /** PUSH: report "blocked" every this many ms while one send has waited at least as long (default 250). */
  blockedAfterMs?: number;
  /** DEALER: report "progress" {received} at every multiple of this many replies. */
  progressEvery?: number;
}

const settings = config<ClientConfig>();
const count = settings.count ?? Number.POSITIVE_INFINITY;
const context = makeContext(settings.ioThreads ?? 0);
const socket = settings.socket === "dealer" ? new Dealer({ context, linger: 0 }) : new Push({ context, linger: 0 });
applyOptions(socket, settings.options);
if (settings.monitor) reportMonitorEvents(socket, settings.socket);
const payload = new Uint8Array(settings.size).fill(0x2a);
const tally = new SequenceTally();
const started = epochMs();
let sent = 0;
let sending = false;
let stopped = false;
let finished = false;
let pendingSince: number | undefined;
let longestGapMs = 0;

function finish(): void {
  if (finished) return;
  finished = true;
  clearInterval(ticker);
  report("done", { sent, tally: tally.summary(sent), elapsedMs: epochMs() - started, longestGapMs, rssBytes: rssBytes() });
}

/** May another message go now? */
function mayAdd(): boolean {
  if (stopped || sent >= count) return false;
  return settings.window === undefined || sent - tally.received < settings.window;
}

async function sendOne(): Promise<void> {
  pendingSince = performance.now();
  await socket.send(numbered(sent, payload));
  pendingSince = undefined;
  sent++;
}

/** Sends while allowed; re-entered after each reply (window) or send. */
async function pump(): Promise<void> {
  if (sending) return;
  sending = true;
  while (mayAdd()) await sendOne();
  sending = false;
  if (settings.socket === "push" && sent >= count) finish();
}

async function collectReplies(dealer: Dealer): Promise<void> {
  const gapMs = settings.gapMs ?? 500;
  let lastReplyAt: number | undefined;
  for await (const [seq] of dealer) {
    const now = epochMs();
    const number = Number(seq!.toString());
    if (lastReplyAt !== undefined) {
      longestGapMs = Math.max(longestGapMs, now - lastReplyAt);
      if (now - lastReplyAt >= gapMs) report("resumed", { at: now, gapMs: now - lastReplyAt, seq: number });
    }
    lastReplyAt = now;
    tally.record(number);
    if (settings.progressEvery !== undefined && tally.received % settings.progressEvery === 0)
      report("progress", { received: tally.received, at: now });
    if (tally.received >= count || (stopped && tally.received >= sent)) return finish();
    if (settings.intervalMs === undefined) void pump();
  }
}

// Paced sending skips a tick while the previous send still waits (high-water mark, no peer).
const ticker = setInterval(
  () => {
    if (settings.intervalMs !== undefined && !sending && mayAdd()) {
      sending = true;
      sendOne().then(() => (sending = false));
    }
    const blockedAfter = settings.blockedAfterMs ?? 250;
    if (pendingSince !== undefined && performance.now() - pendingSince >= blockedAfter) {
      report("blocked", { sent, pendingMs: performance.now() - pendingSince, rssBytes: rssBytes(), at: epochMs() });
    }
  },
  settings.intervalMs ?? settings.blockedAfterMs ?? 250,
);

socket.connect(settings.connect);
report("started", { pid: process.pid, at: started });
if (socket instanceof Dealer) collectReplies(socket).catch((error) => !socket.closed && process.stderr.write(`client-peer: ${error}\n`));
if (settings.intervalMs === undefined) void pump();

serveCommands(
  (command) => {
    if (command.cmd === "stop") {
      stopped = true;
      // Replies still on their way get `drainMs` to arrive; a PUSH has nothing to wait for.
      if (settings.socket === "push" || tally.received >= sent) finish();
      else setTimeout(finish, Number(command.drainMs ?? 3000));
    } else if (command.cmd === "report") {
      report("report", { sent, tally: tally.summary(sent), longestGapMs, rssBytes: rssBytes() });
    }
  },
  () => {
    socket.close();
    context.close();
  },
);

// A libzmq peer in its own process, for tests that must kill -9 or restart the reference side.
//
//   bun peers/libzmq/peer-fixture.ts --type pull --bind tcp://127.0.0.1:* --count 10
//   bun peers/libzmq/peer-fixture.ts --type pair --connect tcp://127.0.0.1:40123 --echo
//   bun peers/libzmq/peer-fixture.ts --type push --connect tcp://127.0.0.1:40123 --count 5 --payload msg-
//
// stdout, one line each: `ENDPOINT <lastEndpoint>` first, then JSON lines:
//   {"type":"message","index":0,"frames":["a",""],"sizes":[1,0]}   frames decoded as UTF-8
//   {"type":"sent","index":0}                                        senders (--count N without --echo)
//   {"type":"monitor","event":"DISCONNECTED","value":17,"endpoint":"tcp://..."}   with --monitor
//   {"type":"done","received":N,"sent":M}                             then exit 0
//   {"type":"error","message":"..."}                                  then exit 1
// --library <path> loads another libzmq build (default: Debian's libzmq.so.5).
// Receiving types stop after --count messages (default: never); with --echo every message is sent
// back. Sending types (push, pub) send --count messages then linger up to 5 s to deliver them.
// The process exits when its stdin is a pipe that closes, and after --timeout ms (default 60000).
// Monitor events are read between messages, so a sender that finishes at once may exit before
// reporting its handshake; assert on monitor events from receiving fixtures.

import { fstatSync } from "node:fs";
import { DEBIAN_LIBZMQ, LibzmqContext, ZMQ, type LibzmqMonitor } from "./index.ts";

interface Options {
  type: number;
  bind: string | null;
  connect: string | null;
  count: number;
  echo: boolean;
  payload: string;
  monitor: boolean;
  timeoutMs: number;
  library: string;
}

const TYPES: Record<string, number> = {
  pair: ZMQ.PAIR,
  pub: ZMQ.PUB,
  sub: ZMQ.SUB,
  req: ZMQ.REQ,
  rep: ZMQ.REP,
  dealer: ZMQ.DEALER,
  router: ZMQ.ROUTER,
  pull: ZMQ.PULL,
  push: ZMQ.PUSH,
  xpub: ZMQ.XPUB,
  xsub: ZMQ.XSUB,
};
const SEND_ONLY = new Set<number>([ZMQ.PUSH, ZMQ.PUB]);

function parseArgs(argv: string[]): Options {
  const options: Options = {
    type: -1,
    bind: null,
    connect: null,
    count: Infinity,
    echo: false,
    payload: "message-",
    monitor: false,
    timeoutMs: 60_000,
    library: DEBIAN_LIBZMQ,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === "--type") {
      const name = value().toLowerCase();
      if (!(name in TYPES)) throw new Error(`unknown --type ${name}`);
      options.type = TYPES[name]!;
    } else if (flag === "--bind") options.bind = value();
    else if (flag === "--connect") options.connect = value();
    else if (flag === "--count") options.count = Number(value());
    else if (flag === "--echo") options.echo = true;
    else if (flag === "--payload") options.payload = value();
    else if (flag === "--monitor") options.monitor = true;
    else if (flag === "--timeout") options.timeoutMs = Number(value());
    else if (flag === "--library") options.library = value();
    else throw new Error(`unknown argument ${flag}`);
  }
  if (options.type < 0) throw new Error("--type is required");
  if ((options.bind === null) === (options.connect === null)) throw new Error("give exactly one of --bind, --connect");
  return options;
}

function emit(record: object): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let stopping = false;

function watchStdin(): void {
  let isPipe = false;
  try {
    isPipe = fstatSync(0).isFIFO() || fstatSync(0).isSocket();
  } catch {
    return;
  }
  if (!isPipe) return; // /dev/null or a terminal: do not exit at once
  process.stdin.on("end", () => (stopping = true));
  process.stdin.on("close", () => (stopping = true));
  process.stdin.resume();
}

function flushMonitor(monitor: LibzmqMonitor | null, seen: { n: number }): void {
  if (monitor === null) return;
  const events = monitor.drain();
  for (; seen.n < events.length; seen.n++) {
    const e = events[seen.n]!;
    emit({ type: "monitor", event: e.name, value: e.value, endpoint: e.endpoint });
  }
}

async function run(options: Options): Promise<{ received: number; sent: number }> {
  const context = new LibzmqContext({ library: options.library });
  const socket = context.socket(options.type);
  const monitor = options.monitor ? socket.monitor() : null;
  const seen = { n: 0 };
  const deadline = performance.now() + options.timeoutMs;
  let received = 0;
  let sent = 0;
  try {
    if (options.type === ZMQ.SUB) socket.setBytes(ZMQ.SUBSCRIBE, "");
    if (options.bind !== null) socket.bind(options.bind);
    else socket.connect(options.connect!);
    process.stdout.write(`ENDPOINT ${socket.lastEndpoint}\n`);

    let idle = 0;
    while (!stopping && performance.now() < deadline) {
      flushMonitor(monitor, seen);
      if (SEND_ONLY.has(options.type)) {
        if (sent >= options.count) break;
        if (socket.trySend([`${options.payload}${sent}`])) {
          emit({ type: "sent", index: sent++ });
          idle = 0;
          continue;
        }
      } else {
        if (received >= options.count) break;
        const message = socket.tryReceive();
        if (message !== null) {
          const sizes = message.map((f) => f.length);
          emit({ type: "message", index: received++, frames: message.map(String), sizes });
          if (options.echo) {
            await socket.send(message);
            sent++;
          }
          idle = 0;
          continue;
        }
      }
      await pause(idle);
      idle = Math.min(idle + 1, 5);
    }
    flushMonitor(monitor, seen);
    monitor?.close();
    // Senders linger so queued messages reach the peer; receivers drop what is left.
    socket.close({ linger: SEND_ONLY.has(options.type) || options.echo ? 5000 : 0 });
    return { received, sent };
  } finally {
    context.term();
  }
}

try {
  const options = parseArgs(process.argv.slice(2));
  watchStdin();
  const result = await run(options);
  emit({ type: "done", ...result });
  process.exit(0);
} catch (error) {
  emit({ type: "error", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

// `bunzmq bench [endpoint]`: a quick PUSH→PULL throughput run. By default both ends run in this
// process (the PULL bound at the endpoint, tcp://127.0.0.1:* unless given); `--role push` sends to
// a PULL that exists (another `bunzmq bench --role pull`, or any ZeroMQ program) and `--role pull`
// is that receiving end. Each role times only what it can see, and says so in its summary. For
// the measured comparisons with libzmq and zeromq.js, see bench/ in the repository. Imports index
// (the public entry points only).

import { Context, curveKeyPair } from "../index.ts";
import { ZmqError } from "../extras.ts";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  type Interrupt,
  type OptionValues,
  UsageError,
  choiceOption,
  integerOption,
} from "./command.ts";
import { SOCKET_OPTIONS, SOCKET_USAGE, attach, openSocket, waitForPeer, watchEvents, type CliSocket } from "./sockets.ts";

const ROLES = ["both", "push", "pull"] as const;
type Role = (typeof ROLES)[number];

const USAGE = `usage: bunzmq bench [endpoint] [options]

Sends --count messages of --size bytes from a PUSH to a PULL and reports messages/s and MB/s.

Roles:
  both (default)  a PULL in this process binds the endpoint (default tcp://127.0.0.1:*), a PUSH
                  connects to it; timed from the first send to the last message received
  push            a PUSH connects to (or with --bind, binds) the endpoint, where a PULL runs
                  (bunzmq bench --role pull, or any ZeroMQ program); timed from the first send to
                  the last one queued, so up to a high-water mark (1000) of messages may still be
                  on their way
  pull            a PULL binds (with --bind) or connects, and counts --count messages; timed from
                  the first message to the last

Options:
      --role <role>          both, push or pull (default both)
  -n, --count <n>            messages (default 100000)
  -s, --size <bytes>         bytes per message (default 64)
      --io-threads <n>       the Context's ioThreads: connection engines in n Workers (default 0)
      --curve                role both: encrypt with CURVE (a key pair made for the run); for push
                             and pull, the CURVE options below
      --timeout <ms>         give up when no peer (push), or no message (pull), has come for this long
                             (default -1: wait)
      --format <f>           text or json (default text)
${SOCKET_USAGE}  -h, --help                 print this and exit

Examples:
  bunzmq bench --count 1000000 --size 16
  bunzmq bench --role pull --bind tcp://127.0.0.1:5555     (then, elsewhere:)
  bunzmq bench --role push tcp://127.0.0.1:5555
`;

export const benchCommand: Command = {
  name: "bench",
  synopsis: "bench [endpoint]",
  summary: "a quick PUSH→PULL throughput run",
  usage: USAGE,
  options: {
    ...SOCKET_OPTIONS,
    role: { type: "string" },
    count: { type: "string", short: "n" },
    size: { type: "string", short: "s" },
    "io-threads": { type: "string" },
    curve: { type: "boolean" },
    timeout: { type: "string" },
    format: { type: "string" },
  },
  run: bench,
};

interface Run {
  role: Role;
  endpoint: string;
  count: number;
  size: number;
  ioThreads: number;
  /** Messages sent (push, both) or received (pull, both) before the end or the interrupt. */
  done: number;
  /** When the clock started and stopped (performance.now()), or null before the first message. */
  start: number | null;
  end: number | null;
}

async function bench(values: OptionValues, positionals: string[], interrupt: Interrupt): Promise<number> {
  const role = choiceOption(values, "role", ROLES, "both");
  const [given, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  if (given === undefined && role !== "both") throw new UsageError(`--role ${role} needs an endpoint`);
  const run: Run = {
    role,
    endpoint: given ?? "tcp://127.0.0.1:*",
    count: integerOption(values, "count", 100_000, 1),
    size: integerOption(values, "size", 64),
    ioThreads: integerOption(values, "io-threads", 0),
    done: 0,
    start: null,
    end: null,
  };
  const timeout = integerOption(values, "timeout", -1, -1);
  if (role === "both" && Object.keys(SOCKET_OPTIONS).some((name) => name !== "linger" && values[name] !== undefined)) {
    throw new UsageError(
      "--role both runs both ends here: use --curve to encrypt; --bind and the CURVE and PLAIN options are for --role push or pull",
    );
  }
  if (role !== "both" && values.curve === true) throw new UsageError("--curve is for --role both; give push and pull the CURVE options");
  const format = choiceOption(values, "format", ["text", "json"] as const, "text");
  const context = new Context({ ioThreads: run.ioThreads });
  const sockets: CliSocket[] = [];
  interrupt.onStop(() => {
    for (const socket of sockets) socket.close();
  });
  try {
    if (role === "pull") {
      const pull = openSocket("pull", values, timeout >= 0 ? { receiveTimeout: timeout } : {}, context);
      sockets.push(pull);
      run.endpoint = await attach(pull, run.endpoint, values);
      if (values.bind === true) process.stderr.write(`bunzmq bench: bound to ${run.endpoint}\n`);
      await receiveAll(pull, run, (received) => (run.done = received));
    } else {
      // In "both" the PULL binds here and the PUSH connects, CURVE server and client with --curve.
      const [pullOptions, pushOptions] = role === "both" ? bothEnds(values) : [{}, values];
      const pull = role === "both" ? openSocket("pull", pullOptions, {}, context) : null;
      const push = openSocket("push", pushOptions, {}, context);
      sockets.push(push, ...(pull === null ? [] : [pull]));
      if (pull !== null) {
        await pull.bind(run.endpoint);
        run.endpoint = pull.lastEndpoint ?? run.endpoint;
      }
      const { peer } = watchEvents(push, "bench");
      run.endpoint = await attach(push, run.endpoint, pushOptions);
      await waitForPeer(peer, run.endpoint, timeout);
      const sending = sendAll(push, run);
      await (pull === null ? sending : Promise.all([sending, receiveAll(pull, run, () => {})]));
    }
  } catch (error) {
    const timedOut = error instanceof ZmqError && error.code === "EAGAIN" && run.role === "pull" && !interrupt.stopped;
    // A pull that timed out after some messages still reports them (and fails: fewer than --count).
    if (timedOut && run.done === 0) throw new ZmqError("EAGAIN", `no message came within ${timeout} ms`, run.endpoint);
    if (!interrupt.stopped && !timedOut) throw error;
  } finally {
    for (const socket of sockets) socket.close();
    await context.close();
  }
  // Interrupted while sending: the clock stops at the interrupt.
  if (run.start !== null && run.end === null) run.end = performance.now();
  process.stdout.write(`${format === "json" ? JSON.stringify(summary(run, interrupt.stopped)) : summaryLine(run, interrupt.stopped)}\n`);
  return run.done < run.count && !interrupt.stopped ? EXIT_FAILED : EXIT_OK;
}

/** The option sets of the two ends of a "both" run: a CURVE server and client with --curve. */
function bothEnds(values: OptionValues): [OptionValues, OptionValues] {
  const linger = values.linger;
  if (values.curve !== true) return [{ linger }, { linger }];
  const server = curveKeyPair();
  return [
    { linger, "curve-server": true, "curve-secret-key": server.secretKey },
    { linger, "curve-server-key": server.publicKey },
  ];
}

async function sendAll(push: CliSocket, run: Run): Promise<void> {
  const payload = Buffer.alloc(run.size, 0x61);
  run.start = performance.now();
  for (let i = 0; i < run.count; i++) {
    await push.send!([payload]);
    if (run.role === "push") run.done++;
  }
  if (run.role === "push") run.end = performance.now();
}

/** Counts `run.count` messages; the clock starts at the first one unless a sender started it. */
async function receiveAll(pull: CliSocket, run: Run, progress: (received: number) => void): Promise<void> {
  for (let received = 0; received < run.count; ) {
    const batch = await (pull as unknown as { receiveBatch(max: number): Promise<Buffer[][]> }).receiveBatch(1024);
    run.start ??= performance.now();
    received += batch.length;
    if (run.role === "both") run.done = received;
    progress(received);
    run.end = performance.now();
  }
}

function summary(run: Run, interrupted: boolean): object {
  const seconds = run.start === null || run.end === null ? 0 : (run.end - run.start) / 1000;
  // Timed from the first message a pull sees: the interval covers one message fewer.
  const timed = run.role === "pull" ? Math.max(run.done - 1, 0) : run.done;
  const perSecond = seconds > 0 ? timed / seconds : 0;
  return {
    role: run.role,
    endpoint: run.endpoint,
    messages: run.done,
    of: run.count,
    size: run.size,
    ioThreads: run.ioThreads,
    seconds: Number(seconds.toFixed(3)),
    messagesPerSecond: Math.round(perSecond),
    megabytesPerSecond: Number(((perSecond * run.size) / 1e6).toFixed(2)),
    interrupted,
  };
}

function summaryLine(run: Run, interrupted: boolean): string {
  const s = summary(run, interrupted) as ReturnType<typeof summary> & Record<string, number | string | boolean>;
  const what = { both: "push and pull in this process", push: "push; the pull elsewhere", pull: "pull; the push elsewhere" }[run.role];
  const verb = { both: "moved", push: "sent", pull: "received" }[run.role];
  const stop = interrupted ? ` (interrupted after ${s.messages} of ${s.of})` : "";
  return `bench: ${verb} ${s.messages} messages of ${s.size} B in ${s.seconds} s: ${s.messagesPerSecond} msg/s, ${s.megabytesPerSecond} MB/s${stop} (${what}, ${run.endpoint}, ioThreads ${run.ioThreads})`;
}

// `bunzmq receive <endpoint>` and `bunzmq subscribe <endpoint> [topic...]`: print each message as
// one line on stdout until --count messages have arrived, none has for --timeout, or Ctrl-C; the
// count goes to stderr at the end. A rep answers each request (with the request itself, or
// --reply), since it cannot receive the next one before. Imports index (the public entry points
// only).

import { ZmqError } from "../extras.ts";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  type Interrupt,
  type OptionSpec,
  type OptionValues,
  UsageError,
  choiceOption,
  integerOption,
  stringOption,
} from "./command.ts";
import { OUTPUT_FORMATS, formatMessage, plural } from "./format.ts";
import { SOCKET_OPTIONS, SOCKET_TYPES, SOCKET_USAGE, attach, openSocket, watchEvents } from "./sockets.ts";

// A req must send first: `bunzmq send --type req` covers it.
const RECEIVING_TYPES = Object.keys(SOCKET_TYPES).filter((name) => SOCKET_TYPES[name]!.receives && name !== "req");

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  ...SOCKET_OPTIONS,
  count: { type: "string", short: "n" },
  timeout: { type: "string" },
  format: { type: "string" },
};

const COMMON_USAGE = `  -n, --count <n>            stop after n messages (default: no limit)
      --timeout <ms>         stop when no message has come for this long (default -1: wait); with
                             --count, stopping this way before n messages is a failure (status 1)
      --format <f>           text (frames separated by tabs, 0x… for binary ones), json or hex
                             (default text)
${SOCKET_USAGE}  -h, --help                 print this and exit
`;

const RECEIVE_USAGE = `usage: bunzmq receive <endpoint> [options]

Prints each message that arrives as one line on stdout; the count goes to stderr at the end.

Options:
  -t, --type <type>          ${RECEIVING_TYPES.join(", ")} (default pull)
      --topic <prefix>       for a sub: a topic to subscribe to (repeatable; default: everything)
      --reply <text>         for a rep: answer each request with this (default: the request itself)
${COMMON_USAGE}
Examples:
  bunzmq receive --bind tcp://127.0.0.1:5555
  bunzmq receive --type rep --bind --reply ok --count 1 ipc:///tmp/service
`;

const SUBSCRIBE_USAGE = `usage: bunzmq subscribe <endpoint> [topic...] [options]

A sub socket subscribed to each topic (a prefix of the first frame; none: everything), printing
each message as one line on stdout; the count goes to stderr at the end.

Options:
${COMMON_USAGE}
Examples:
  bunzmq subscribe tcp://127.0.0.1:5556 weather. news.
  bunzmq subscribe --count 10 --format json tcp://127.0.0.1:5556
`;

export const receiveCommand: Command = {
  name: "receive",
  synopsis: "receive <endpoint>",
  summary: "print the messages that arrive",
  usage: RECEIVE_USAGE,
  options: {
    ...COMMON_OPTIONS,
    type: { type: "string", short: "t" },
    topic: { type: "string", multiple: true },
    reply: { type: "string" },
  },
  run: (values, positionals, interrupt) => {
    const topics = (values.topic as string[] | undefined) ?? [];
    return receive("receive", stringOption(values, "type", "pull"), topics, values, positionals, interrupt);
  },
};

export const subscribeCommand: Command = {
  name: "subscribe",
  synopsis: "subscribe <endpoint> [topic...]",
  summary: "print the messages of some topics",
  usage: SUBSCRIBE_USAGE,
  options: COMMON_OPTIONS,
  run: (values, [endpoint, ...topics], interrupt) =>
    receive("subscribe", "sub", topics, values, endpoint === undefined ? [] : [endpoint], interrupt),
};

async function receive(
  command: string,
  type: string,
  topics: string[],
  values: OptionValues,
  positionals: string[],
  interrupt: Interrupt,
): Promise<number> {
  const [endpoint, ...extra] = positionals;
  if (endpoint === undefined) throw new UsageError("no endpoint given");
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  if (!RECEIVING_TYPES.includes(type)) throw new UsageError(`--type must be one of ${RECEIVING_TYPES.join(", ")} to receive`);
  if (topics.length > 0 && type !== "sub") throw new UsageError("--topic is for a sub socket");
  const reply = typeof values.reply === "string" ? values.reply : undefined;
  if (reply !== undefined && type !== "rep") throw new UsageError("--reply is for a rep socket");
  const count = integerOption(values, "count", -1, 1);
  const timeout = integerOption(values, "timeout", -1, -1);
  const format = choiceOption(values, "format", OUTPUT_FORMATS, "text");

  const socket = openSocket(type, values, timeout >= 0 ? { receiveTimeout: timeout } : {});
  interrupt.onStop(() => socket.close());
  const events = watchEvents(socket, command);
  if (type === "sub") socket.subscribe!(...(topics.length > 0 ? topics : [""]));
  let received = 0;
  let timedOut = false;
  let where = endpoint;
  try {
    where = await attach(socket, endpoint, values);
    if (values.bind === true) process.stderr.write(`bunzmq ${command}: bound to ${where}\n`);
    while (count < 0 || received < count) {
      let frames: Buffer[];
      try {
        frames = await socket.receive!();
      } catch (error) {
        if (interrupt.stopped) break;
        if (error instanceof ZmqError && error.code === "EAGAIN" && timeout >= 0) {
          timedOut = true;
          break;
        }
        throw error;
      }
      received++;
      process.stdout.write(`${formatMessage(frames, format)}\n`);
      if (type === "rep") await socket.send!(reply === undefined ? frames : [reply]);
    }
  } catch (error) {
    if (!interrupt.stopped) throw error;
  } finally {
    socket.close();
  }
  const why = interrupt.stopped ? " (interrupted)" : timedOut ? ` (none for ${timeout} ms)` : "";
  process.stderr.write(`bunzmq ${command}: received ${plural(received, "message")} from ${where}${why}\n`);
  await events.done;
  return timedOut && count >= 0 ? EXIT_FAILED : EXIT_OK;
}

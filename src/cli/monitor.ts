// `bunzmq monitor <endpoint>`: a socket of the chosen type connects to (or binds) the endpoint and
// prints each of its monitor events as one line (time, event, endpoint, and what the event
// carries: peer, error with its detail, retry interval), which shows why a peer does not answer
// (refused, a handshake that fails, a type that does not match). Events that come after Ctrl-C
// (the socket's own closing) are neither printed nor counted. Imports index (the public entry
// points only).

import type { Event } from "../index.ts";
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  type Interrupt,
  type OptionValues,
  UsageError,
  choiceOption,
  integerOption,
  stringOption,
} from "./command.ts";
import { plural } from "./format.ts";
import { SOCKET_OPTIONS, SOCKET_TYPES, SOCKET_USAGE, attach, openSocket } from "./sockets.ts";

const USAGE = `usage: bunzmq monitor <endpoint> [options]

Opens a socket, connects it to the endpoint (or binds it), and prints each of its monitor events
as one line: the time, the event (connect, connect:retry, handshake, handshake:error:*,
disconnect, ...), the endpoint and what the event carries. The socket sends and reads nothing.

Options:
  -t, --type <type>          the socket's type: ${Object.keys(SOCKET_TYPES).join(", ")} (default dealer);
                             the peer must accept it, or the handshake fails (which is shown)
  -n, --count <n>            stop after n events (default: no limit)
      --timeout <ms>         stop when no event has come for this long (default -1: wait); with
                             --count, stopping this way before n events is a failure (status 1)
      --format <f>           text or json (one object a line) (default text)
${SOCKET_USAGE}  -h, --help                 print this and exit

Examples:
  bunzmq monitor tcp://127.0.0.1:5555
  bunzmq monitor --type sub --curve-server-key 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7' tcp://example.com:5556
`;

export const monitorCommand: Command = {
  name: "monitor",
  synopsis: "monitor <endpoint>",
  summary: "print a socket's monitor events",
  usage: USAGE,
  options: {
    ...SOCKET_OPTIONS,
    type: { type: "string", short: "t" },
    count: { type: "string", short: "n" },
    timeout: { type: "string" },
    format: { type: "string" },
  },
  run: monitor,
};

async function monitor(values: OptionValues, positionals: string[], interrupt: Interrupt): Promise<number> {
  const [endpoint, ...extra] = positionals;
  if (endpoint === undefined) throw new UsageError("no endpoint given");
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  const count = integerOption(values, "count", -1, 1);
  const timeout = integerOption(values, "timeout", -1, -1);
  const format = choiceOption(values, "format", ["text", "json"] as const, "text");

  const socket = openSocket(stringOption(values, "type", "dealer"), values);
  let ended = false;
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const end = () => {
    ended = true;
    clearTimeout(timer);
    socket.close();
  };
  const rearm = () => {
    if (timeout < 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      end();
    }, timeout);
  };
  interrupt.onStop(end);
  let seen = 0;
  const printed = (async () => {
    for await (const event of socket.events) {
      if (ended) continue;
      seen++;
      process.stdout.write(`${format === "json" ? JSON.stringify(eventRecord(event)) : eventLine(event)}\n`);
      if (seen === count) end();
      else rearm();
    }
  })();
  try {
    rearm();
    const where = await attach(socket, endpoint, values);
    if (values.bind === true) process.stderr.write(`bunzmq monitor: bound to ${where}\n`);
  } catch (error) {
    end();
    throw error;
  }
  await printed;
  const why = interrupt.stopped ? " (interrupted)" : timedOut ? ` (none for ${timeout} ms)` : "";
  process.stderr.write(`bunzmq monitor: ${plural(seen, "event")} on ${endpoint}${why}\n`);
  return timedOut && count >= 0 ? EXIT_FAILED : EXIT_OK;
}

interface EventRecord {
  time: string;
  type: string;
  address?: string;
  peer?: { remoteAddress: string; socketType?: string; routingId?: string; metadata?: Record<string, string> };
  error?: { code: string; message: string; detail?: string; status?: number };
  interval?: number;
}

/** Everything an event carries, as plain data (a routing id as hex). */
function eventRecord(event: Event): EventRecord {
  const record: EventRecord = { time: new Date().toISOString(), type: event.type };
  if ("address" in event) record.address = event.address;
  if ("peer" in event && event.peer !== undefined) {
    const { remoteAddress, socketType, routingId, metadata } = event.peer;
    record.peer = { remoteAddress, socketType, metadata };
    if (routingId !== undefined && routingId.length > 0) record.peer.routingId = Buffer.from(routingId).toString("hex");
  }
  if ("error" in event && event.error !== undefined) {
    const { code, message, detail } = event.error;
    record.error = { code, message, detail };
    if ("status" in event.error) record.error.status = event.error.status as number;
  }
  if ("interval" in event) record.interval = event.interval;
  return record;
}

/** `2025-01-01T12:00:00.000Z handshake tcp://127.0.0.1:5555 peer=tcp://127.0.0.1:40222 peer-type=PUSH` */
function eventLine(event: Event): string {
  const record = eventRecord(event);
  const parts = [record.time, record.type];
  if (record.address !== undefined) parts.push(record.address);
  if (record.peer !== undefined && record.peer.remoteAddress !== "") parts.push(`peer=${record.peer.remoteAddress}`);
  if (record.peer?.socketType !== undefined) parts.push(`peer-type=${record.peer.socketType}`);
  if (record.interval !== undefined) parts.push(`retry-in=${record.interval}ms`);
  if (record.error !== undefined) {
    const status = record.error.status === undefined ? "" : ` ${record.error.status}`;
    parts.push(`error=${record.error.code}${status} ${JSON.stringify(record.error.message)}`);
    if (record.error.detail !== undefined) parts.push(`detail=${JSON.stringify(record.error.detail)}`);
  }
  return parts.join(" ");
}

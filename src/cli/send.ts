// `bunzmq send <endpoint> [message...]`: sends messages from the arguments or from stdin through
// a socket of the chosen type, once a peer has completed its handshake, so that "sent" means a
// peer was there to take them. A `req` prints each reply; a `pub` waits for a first subscription
// (it is an XPUB underneath), since a publisher drops what no subscriber has asked for. Imports
// only its siblings in cli/ (which use the public entry points alone).

import {
  type Command,
  EXIT_OK,
  type Interrupt,
  type OptionValues,
  UsageError,
  choiceOption,
  integerOption,
  stringOption,
} from "./command.ts";
import { INPUT_FORMATS, formatMessage, messagesToSend, plural } from "./format.ts";
import { SOCKET_OPTIONS, SOCKET_TYPES, SOCKET_USAGE, attach, openSocket, waitForPeer, watchEvents } from "./sockets.ts";

const SENDING_TYPES = Object.keys(SOCKET_TYPES).filter((name) => SOCKET_TYPES[name]!.sends && name !== "rep");

const USAGE = `usage: bunzmq send <endpoint> [message...] [options]

Sends each message argument as a one-frame message (all of them as one message with --multipart),
or, with no message arguments, each line of stdin (its tab-separated fields as frames with
--multipart). Sending starts once a peer has completed its handshake; a req prints each reply; a
pub waits for its first subscriber's subscription. Ends when everything is sent, closing the
socket with --linger for what is still queued.

Options:
  -t, --type <type>          ${SENDING_TYPES.join(", ")} (default push)
  -m, --multipart            the arguments (or a line's tab-separated fields) are the frames of one message
      --format <f>           how messages (and a req's replies) are written: text or hex (default text)
      --timeout <ms>         give up when no peer has come within this time (default -1: wait)
${SOCKET_USAGE}  -h, --help                 print this and exit

Examples:
  bunzmq send tcp://127.0.0.1:5555 hello world
  printf 'a\\nb\\n' | bunzmq send --bind --type pub tcp://*:5556
  bunzmq send --type req tcp://127.0.0.1:5557 "what time is it?"
`;

export const sendCommand: Command = {
  name: "send",
  synopsis: "send <endpoint> [message...]",
  summary: "send messages (from the arguments or stdin)",
  usage: USAGE,
  options: {
    ...SOCKET_OPTIONS,
    type: { type: "string", short: "t" },
    multipart: { type: "boolean", short: "m" },
    format: { type: "string" },
    timeout: { type: "string" },
  },
  run: send,
};

async function send(values: OptionValues, positionals: string[], interrupt: Interrupt): Promise<number> {
  const [endpoint, ...messages] = positionals;
  if (endpoint === undefined) throw new UsageError("no endpoint given");
  const type = stringOption(values, "type", "push");
  if (!SENDING_TYPES.includes(type)) throw new UsageError(`--type must be one of ${SENDING_TYPES.join(", ")} to send`);
  const format = choiceOption(values, "format", INPUT_FORMATS, "text");
  const timeout = integerOption(values, "timeout", -1, -1);

  // A pub is an XPUB underneath: it can see the first subscription arrive.
  const socket = openSocket(type === "pub" ? "xpub" : type, values);
  interrupt.onStop(() => socket.close());
  const events = watchEvents(socket, "send");
  let sent = 0;
  let where = endpoint;
  try {
    where = await attach(socket, endpoint, values);
    if (values.bind === true) process.stderr.write(`bunzmq send: bound to ${where}\n`);
    await waitForPeer(type === "pub" ? firstSubscription(socket) : events.peer, where, timeout);
    for await (const frames of messagesToSend(messages, format, values.multipart === true)) {
      if (interrupt.stopped) break;
      await socket.send!(frames);
      sent++;
      if (type === "req") process.stdout.write(`${formatMessage(await socket.receive!(), format)}\n`);
    }
  } catch (error) {
    // Ctrl-C closed the socket under a pending call: that is the stop, not a failure.
    if (!interrupt.stopped) throw error;
  } finally {
    socket.close();
  }
  const stopped = interrupt.stopped ? " (interrupted)" : "";
  process.stderr.write(`bunzmq send: sent ${plural(sent, "message")} to ${where}${stopped}\n`);
  await events.done;
  return EXIT_OK;
}

/** Resolves once an XPUB has received a subscription (its frame starts with 1). */
async function firstSubscription(socket: { receive?(): Promise<Buffer[]> }): Promise<void> {
  for (;;) {
    const [frame] = await socket.receive!();
    if (frame !== undefined && frame[0] === 1) return;
  }
}

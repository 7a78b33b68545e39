// The sockets the command-line tool opens: socket types by their libzmq names, the options every
// command shares (bind or connect, CURVE or PLAIN, linger) turned into the socket's own options,
// and a watch on its events that reports failed handshakes on stderr as they happen (a key
// mismatch would otherwise look like a peer that never answers) and tells when a peer is up.
// Imports index (the public entry points only).

import {
  Context,
  Dealer,
  Pair,
  Publisher,
  Pull,
  Push,
  Reply,
  Request,
  Router,
  type Socket,
  Subscriber,
  XPublisher,
  XSubscriber,
  curveKeyPair,
  type MessageLike,
} from "../index.ts";
import { ZmqError } from "../extras.ts";
import { type OptionSpec, type OptionValues, UsageError, integerOption } from "./command.ts";

/** A socket as the commands use it: send and receive exist where the type has them. */
export type CliSocket = Socket & {
  send?(message: MessageLike[]): Promise<void>;
  receive?(): Promise<Buffer[]>;
  subscribe?(...topics: string[]): void;
};

type Maker = (options: object) => CliSocket;

/** libzmq's socket type names, each with its class and what it can do. */
export const SOCKET_TYPES: Record<string, { make: Maker; sends: boolean; receives: boolean }> = {
  push: { make: (o) => new Push(o), sends: true, receives: false },
  pull: { make: (o) => new Pull(o), sends: false, receives: true },
  pair: { make: (o) => new Pair(o), sends: true, receives: true },
  req: { make: (o) => new Request(o), sends: true, receives: true },
  rep: { make: (o) => new Reply(o), sends: true, receives: true },
  dealer: { make: (o) => new Dealer(o), sends: true, receives: true },
  router: { make: (o) => new Router(o), sends: true, receives: true },
  pub: { make: (o) => new Publisher(o), sends: true, receives: false },
  sub: { make: (o) => new Subscriber(o), sends: false, receives: true },
  xpub: { make: (o) => new XPublisher(o), sends: true, receives: true },
  xsub: { make: (o) => new XSubscriber(o), sends: true, receives: true },
};

/** The options every socket-opening command takes. */
export const SOCKET_OPTIONS: Record<string, OptionSpec> = {
  bind: { type: "boolean", short: "b" },
  linger: { type: "string" },
  "curve-server": { type: "boolean" },
  "curve-server-key": { type: "string" },
  "curve-public-key": { type: "string" },
  "curve-secret-key": { type: "string" },
  "plain-server": { type: "boolean" },
  "plain-username": { type: "string" },
  "plain-password": { type: "string" },
};

/** Their lines in each command's `--help`. */
export const SOCKET_USAGE = `  -b, --bind                 bind to the endpoint (default: connect to it)
      --linger <ms>          how long closing waits for queued messages to leave (default 5000; -1: no limit)
      --curve-server-key <k> be a CURVE client of the server with this public key (Z85); the client's
                             own pair is --curve-public-key/--curve-secret-key, or a new one
      --curve-server         be a CURVE server; needs --curve-secret-key (bunzmq keygen makes a pair)
      --plain-username <u>, --plain-password <p>
                             be a PLAIN client with these credentials (with --plain-server: a PLAIN
                             server that accepts only them)
`;

const DEFAULT_LINGER_MS = 5000;

/** Opens a socket of `typeName` with the shared options; `extra` are the command's own socket options. */
export function openSocket(typeName: string, values: OptionValues, extra: object = {}, context?: Context): CliSocket {
  const type = SOCKET_TYPES[typeName];
  if (type === undefined)
    throw new UsageError(`unknown socket type ${JSON.stringify(typeName)}; one of ${Object.keys(SOCKET_TYPES).join(", ")}`);
  const linger = integerOption(values, "linger", DEFAULT_LINGER_MS, -1);
  return type.make({ ...securityOptions(values), linger, ...extra, ...(context === undefined ? {} : { context }) });
}

/** Binds or connects as `--bind` says; resolves to the endpoint in effect (a bound `*` port resolved). */
export async function attach(socket: CliSocket, endpoint: string, values: OptionValues): Promise<string> {
  if (values.bind !== true) {
    socket.connect(endpoint);
    return endpoint;
  }
  await socket.bind(endpoint);
  return socket.lastEndpoint ?? endpoint;
}

function securityOptions(values: OptionValues): object {
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const [serverKey, publicKey, secretKey] = [text("curve-server-key"), text("curve-public-key"), text("curve-secret-key")];
  const [username, password] = [text("plain-username"), text("plain-password")];
  if (values["curve-server"] === true) {
    if (secretKey === undefined) throw new UsageError("--curve-server needs --curve-secret-key (bunzmq keygen makes a pair)");
    return { curveServer: true, curveSecretKey: secretKey };
  }
  if (serverKey !== undefined) {
    if ((publicKey === undefined) !== (secretKey === undefined)) {
      throw new UsageError("give both --curve-public-key and --curve-secret-key, or neither (a new pair is made)");
    }
    // Without a pair of its own the client makes one; the server accepts any key unless it checks.
    const own = publicKey === undefined ? curveKeyPair() : { publicKey, secretKey };
    return { curveServerKey: serverKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey };
  }
  if (username === undefined && password === undefined) return {};
  if (username === undefined || password === undefined) throw new UsageError("PLAIN needs both --plain-username and --plain-password");
  if (values["plain-server"] !== true) return { plainUsername: username, plainPassword: password };
  return {
    plainServer: true,
    authenticate: (request: { mechanism: string; username?: string; password?: string }) =>
      request.mechanism === "PLAIN" && request.username === username && request.password === password,
  };
}

/**
 * Watches `socket`'s events until it closes: failed handshakes are reported on stderr as they
 * happen, each event goes to `onEvent`, and `peer` resolves at the first completed handshake, or
 * rejects (EBADF) if the socket closes first. It must settle: Bun keeps a process alive for ever
 * on a top-level await that never does, and the tool's main awaits its command.
 */
export function watchEvents(
  socket: CliSocket,
  command: string,
  onEvent: (event: { type: string }) => void = () => {},
): { peer: Promise<void>; done: Promise<void> } {
  let peerUp!: () => void;
  let closedFirst!: (error: ZmqError) => void;
  const peer = new Promise<void>((resolve, reject) => {
    peerUp = resolve;
    closedFirst = reject;
  });
  // Marked as handled here: a command that never waits for the peer must not see an unhandled rejection.
  peer.catch(() => {});
  const done = (async () => {
    for await (const event of socket.events) {
      if (event.type === "handshake") peerUp();
      if (event.type.startsWith("handshake:error")) {
        const error = (event as { error?: ZmqError }).error;
        const detail = error?.detail === undefined ? "" : `: ${error.detail}`;
        process.stderr.write(
          `bunzmq ${command}: ${event.type} with ${(event as { address?: string }).address}: ${error?.message}${detail}\n`,
        );
      }
      onEvent(event);
    }
    closedFirst(new ZmqError("EBADF", "the socket closed before a peer completed a handshake"));
  })();
  return { peer, done };
}

/** Waits for `peer` up to `timeoutMs` (-1: no limit); EAGAIN with the endpoint when none came. */
export async function waitForPeer(peer: Promise<void>, endpoint: string, timeoutMs: number): Promise<void> {
  if (timeoutMs < 0) return peer;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ZmqError(
            "EAGAIN",
            `no peer completed a handshake within ${timeoutMs} ms; is something bound there, of a matching type?`,
            endpoint,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([peer, expired]);
  } finally {
    clearTimeout(timer);
  }
}

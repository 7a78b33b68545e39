// zeromq.js's typings test (the v6 surface written as TypeScript must compile) in our own words, and
// run for real rather than only compiled. The packaging test (test/packaging/typecheck.test.ts)
// type-checks this file against the packed package with the tsconfig `bun init` writes, its import
// rewritten to "bunzmq"; the repository's `bun run typecheck` checks it against src/. So it imports
// nothing but bunzmq and bun:test.

import { afterEach, describe, expect, test } from "bun:test";
import * as zmq from "../../src/index.ts";

const opened: zmq.Socket[] = [];
afterEach(() => {
  for (let socket = opened.pop(); socket !== undefined; socket = opened.pop()) socket.close();
});

function open<S extends zmq.Socket>(socket: S): S {
  opened.push(socket);
  return socket;
}

/** Rejects if `promise` has not settled within `ms`, naming what was awaited. */
function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

const TCP_ANY = "tcp://127.0.0.1:*";

describe("zeromq.js's module surface, as TypeScript", () => {
  test("version is a string, capability a set of booleans, curveKeyPair two Z85 strings", () => {
    const version: string = zmq.version;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const { ipc, pgm, tipc, norm, curve, gssapi, draft } = zmq.capability;
    for (const flag of [ipc, pgm, tipc, norm, curve, gssapi, draft]) expect(typeof flag).toBe("boolean");
    const keypair: { publicKey: string; secretKey: string } = zmq.curveKeyPair();
    expect(keypair.publicKey).toHaveLength(40);
    expect(keypair.secretKey).toHaveLength(40);
  });

  test("a Context takes its options in the constructor and as properties", () => {
    const context = new zmq.Context({ ioThreads: 0, ipv6: true });
    expect(context.ipv6).toBe(true);
    context.ipv6 = false;
    // Write-only in zeromq.js; bunzmq accepts it and has no thread scheduling to apply it to.
    context.threadPriority = 4;
    const ioThreads: number = context.ioThreads;
    expect([ioThreads, context.ipv6]).toEqual([0, false]);
  });

  test("a Dealer takes context, sendTimeout, probeRouter and routingId at construction and reads them back", () => {
    const context = new zmq.Context();
    const dealer = open(new zmq.Dealer({ context, sendTimeout: 200, probeRouter: true, routingId: "foobar" }));
    const router = open(new zmq.Router());
    // A socket's type is the libzmq number, comparable with a plain number.
    expect(router.type === 6).toBe(true);
    expect(dealer.context).toBe(context);
    const sendTimeout: number = dealer.sendTimeout;
    const routingId: string | null = dealer.routingId;
    expect([sendTimeout, routingId]).toEqual([200, "foobar"]);
  });
});

describe("zeromq.js's socket verbs, as TypeScript", () => {
  test("send takes one MessageLike or an array of them; receive and for await yield Buffers", async () => {
    const router = open(new zmq.Router({ linger: 0 }));
    const dealer = open(new zmq.Dealer({ linger: 0, routingId: "dealer" }));
    await router.bind(TCP_ANY);
    dealer.connect(router.lastEndpoint!);
    await dealer.send([null, Buffer.alloc(1), "foo"]);
    await dealer.send(null);
    await dealer.send(Buffer.alloc(1));
    await dealer.send("foo");
    const [identity, empty, one, foo] = await within(router.receive(), "the multipart message");
    expect([identity!.toString(), empty!.length, one!.length, foo!.toString()]).toEqual(["dealer", 0, 1, "foo"]);
    for (const expected of [0, 1, 3]) {
      const [, part] = await within(router.receive(), "a one-part message");
      expect(part!.length).toBe(expected);
    }
    await router.send([identity!, "reply"]);
    for await (const [part1, part2] of dealer) {
      expect(part1!.toString()).toBe("reply");
      expect(part2).toBeUndefined();
      break;
    }
  });

  test("Router.connect takes { routingId }, by which the peer is addressed at once", async () => {
    const dealer = open(new zmq.Dealer({ linger: 0 }));
    await dealer.bind(TCP_ANY);
    const router = open(new zmq.Router({ linger: 0 }));
    router.connect(dealer.lastEndpoint!, { routingId: "remote_id" });
    await router.send(["remote_id", "hello"]);
    const [message] = await within(dealer.receive(), "the message routed by the connect-time id");
    expect(message!.toString()).toBe("hello");
  });

  test("bind, unbind, connect and disconnect take endpoints; close ends the socket", async () => {
    const pull = open(new zmq.Pull());
    await pull.bind(TCP_ANY);
    const endpoint: string = pull.lastEndpoint!;
    const push = open(new zmq.Push());
    push.connect(endpoint);
    push.disconnect(endpoint);
    await pull.unbind(endpoint);
    pull.close();
    expect(pull.closed).toBe(true);
  });
});

describe("zeromq.js's monitor events, as TypeScript", () => {
  test("on() and off() hand each listener its event type's payload: bind's address, connect:retry's interval", async () => {
    const pull = open(new zmq.Pull({ linger: 0 }));
    const bound = new Promise<string>((resolve) => pull.events.on("bind", (details) => resolve(details.address)));
    const ignored = (details: zmq.EventOfType<"bind">): void => void details.address;
    pull.events.on("bind", ignored).off("bind", ignored);
    await pull.bind(TCP_ANY);
    const endpoint = pull.lastEndpoint!;
    expect(await within(bound, "the bind event")).toBe(endpoint);
    pull.close();

    // Nothing listens there any more, so the connection is refused and retried.
    const push = open(new zmq.Push({ linger: 0 }));
    const retry = new Promise<[number, string]>((resolve) => {
      push.events.on("connect:retry", (details) => resolve([details.interval, details.address]));
    });
    push.events.on("accept:error", (details) => {
      throw new Error(`unexpected accept:error ${details.error.code} (${details.error.errno}) on ${details.address}`);
    });
    push.connect(endpoint);
    const [interval, address] = await within(retry, "a connect:retry event");
    expect(typeof interval).toBe("number");
    expect(address).toBe(endpoint);
  });

  test("for await over events narrows each event by its type and ends when the socket closes", async () => {
    const pull = open(new zmq.Pull({ linger: 0 }));
    const events = pull.events; // observed from here on
    await pull.bind(TCP_ANY);
    pull.close();
    const seen: string[] = [];
    for await (const event of events) {
      switch (event.type) {
        case "end":
        case "unknown":
          seen.push(event.type);
          break;
        case "connect:retry":
          seen.push(`${event.type} ${event.interval}`);
          break;
        case "accept:error":
        case "bind:error":
        case "close:error":
        case "handshake:error:other":
          seen.push(`${event.type} ${event.error.code} ${event.error.errno} ${event.address}`);
          break;
        default:
          seen.push(`${event.type} ${event.address}`);
      }
    }
    expect(seen[0]).toMatch(/^bind tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(seen.at(-1)).toBe("end");
  });
});

describe("send-only and receive-only sockets", () => {
  test("have only their own verbs, in the types and at run time", () => {
    const push = open(new zmq.Push());
    const pull = open(new zmq.Pull());
    // @ts-expect-error a Push has no receive
    expect(push.receive).toBeUndefined();
    // @ts-expect-error a Pull has no send
    expect(pull.send).toBeUndefined();
    expect(typeof push.send).toBe("function");
    expect(typeof pull.receive).toBe("function");
  });
});

// new Socket(type, options?) and the socket classes as zeromq.js constructs them: argument checks,
// the context, subclassing with a type number, options in the constructor, and the sealed result.

import { describe, expect, test } from "bun:test";
import { Context, Dealer, Push, Router, Socket, context as defaultContext } from "../../src/index.ts";
import { SocketType } from "../../src/extras.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";

const cleanup = useCleanup();
const AnySocket = Socket as unknown as new (...args: unknown[]) => Socket;

function errorOf(call: () => unknown): { code?: string; errno?: number; message: string } | undefined {
  try {
    call();
  } catch (error) {
    return error as { code?: string; errno?: number; message: string };
  }
  return undefined;
}

describe("new Socket(type, options)", () => {
  test("a type that is not a number, or none, is zeromq.js's TypeError", () => {
    expect(() => new AnySocket()).toThrow(new TypeError("Socket type must be a number"));
    expect(() => new AnySocket("foo", new Context())).toThrow(new TypeError("Socket type must be a number"));
  });

  test("options that are not an object, or a third argument, are zeromq.js's TypeErrors", () => {
    expect(() => new AnySocket(SocketType.Request, 1)).toThrow(new TypeError("Options must be an object"));
    expect(() => new AnySocket(SocketType.Publisher, new Context(), 2)).toThrow(new TypeError("Expected 2 arguments but received 3"));
  });

  test("a type number that is no socket type is EINVAL", () => {
    for (const type of [37, 4591, 21, -1]) {
      const error = errorOf(() => new AnySocket(type));
      expect([error?.code, error?.errno]).toEqual(["EINVAL", 22]);
    }
  });

  test("the DRAFT type numbers make sockets, as a libzmq with the draft API does", () => {
    for (const type of [12, 13, 14, 15, 16, 17, 19, 20]) {
      const socket = new AnySocket(type);
      expect(socket.type).toBe(type);
      expect(socket.threadSafe).toBe(true);
      socket.close();
    }
  });

  test("DGRAM's 18 makes a Datagram socket, not thread-safe, as libzmq's dgram_t is not", () => {
    const socket = new AnySocket(18);
    expect([socket.type, socket.threadSafe]).toEqual([18, false]);
    socket.close();
  });

  test("a context option that is not a Context is EINVAL", () => {
    const error = errorOf(() => new AnySocket(SocketType.Publisher, { context: {} }));
    expect(error?.code).toBe("EINVAL");
  });

  test("a subclass gives a type number; its sockets share the default context unless given one", () => {
    class MySocket extends Socket {
      constructor(options?: ConstructorParameters<typeof Dealer>[0]) {
        super(SocketType.Dealer, options);
      }
    }
    const a = cleanup.track(new MySocket());
    const b = cleanup.track(new MySocket());
    expect(a.context).toBe(defaultContext);
    expect(b.context).toBe(a.context);
    const context = new Context();
    const c = cleanup.track(new MySocket({ context, linger: 0 }));
    expect([c.context === context, c.type, c.linger]).toEqual([true, SocketType.Dealer, 0]);
  });

  test("the routing core comes from the type number: a generic PULL socket takes a PUSH's connection", async () => {
    const pull = cleanup.track(new AnySocket(SocketType.Pull, { linger: 0 }));
    const push = cleanup.track(new Push({ linger: 0 }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    push.connect(pull.lastEndpoint!);
    await log.waitFor("handshake");
    expect(pull.type).toBe(SocketType.Pull);
  });

  test("the socket is sealed: a subclass cannot add instance fields, as in zeromq.js", () => {
    class WithField extends Socket {
      extra = 1;
      constructor() {
        super(SocketType.Pair, { linger: 0 });
      }
    }
    expect(() => new WithField()).toThrow(TypeError);
  });
});

describe("socket classes", () => {
  test("use the default context unless one is given", () => {
    const dealer = cleanup.track(new Dealer());
    expect(dealer).toBeInstanceOf(Dealer);
    expect(dealer).toBeInstanceOf(Socket);
    expect(dealer.context).toBe(defaultContext);
    const context = new Context();
    expect(cleanup.track(new Dealer({ context })).context).toBe(context);
  });

  test("set the options they are given, and the caller's object is left alone", () => {
    const options = { recoveryInterval: 5, routingId: "me", context: new Context() };
    const dealer = cleanup.track(new Dealer(options));
    expect([dealer.recoveryInterval, dealer.routingId]).toEqual([5, "me"]);
    expect(Object.keys(options)).toEqual(["recoveryInterval", "routingId", "context"]);
  });

  test("refuse a value of the wrong type, a read-only option and an unknown one with zeromq.js's TypeErrors", () => {
    const construct = Dealer as unknown as new (options: object) => Dealer;
    expect(() => new construct({ recoveryInterval: "hello" })).toThrow(new TypeError("Option value must be a number"));
    expect(() => new construct({ securityMechanism: 1 })).toThrow(
      new TypeError("Cannot set property securityMechanism of #<Socket> which has only a getter"),
    );
    expect(() => new construct({ doesNotExist: 1 })).toThrow(new TypeError("Cannot add property doesNotExist, object is not extensible"));
  });

  test("a socket whose options fail is closed: it does not count against maxSockets", () => {
    const context = new Context({ maxSockets: 1 });
    const construct = Router as unknown as new (options: object) => Router;
    expect(() => new construct({ context, doesNotExist: 1 })).toThrow(TypeError);
    cleanup.track(new Router({ context }));
  });

  test("past the context's maxSockets is EMFILE, zeromq.js's 'Too many open file descriptors'", () => {
    const context = new Context({ maxSockets: 3 });
    for (let i = 0; i < 3; i++) cleanup.track(new Dealer({ context }));
    const error = errorOf(() => cleanup.track(new Dealer({ context })));
    expect([error?.code, error?.errno]).toEqual(["EMFILE", 24]);
  });
});

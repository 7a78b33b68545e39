// zeromq.js's Proxy (libzmq's zmq_proxy_steerable): forwards between a front-end and a back-end
// socket until terminated, with pause and resume, plus libzmq's optional capture socket. Imports the
// api Socket and its internals, the forwarding loop and core.

import { ZmqError } from "../core/errors.ts";
import { Forwarder } from "./proxy-forwarder.ts";
import { Socket, internalsOf } from "./socket.ts";

/** bunzmq addition: the third argument, an object so that zeromq.js's two-argument form stays as it is. */
export interface ProxyOptions {
  /**
   * libzmq zmq_proxy's capture socket: every message forwarded either way is also sent to it, all
   * its frames (a Router's routing id included), before the message itself. It should be a
   * Publisher, Push, Dealer or Pair, bound or connected; when it cannot take more (not a Publisher,
   * at its high-water mark) forwarding waits, as libzmq's does. The proxy never closes it.
   */
  capture?: Socket | null;
}

interface Running {
  forwarder: Forwarder;
  resolve: () => void;
  reject: (error: unknown) => void;
}

// A socket forwards for one proxy at a time: two would take each other's messages.
const claimed = new WeakSet<Socket>();

/**
 * Conceptually messages flow from the front end to the back end and replies back; the proxy is
 * symmetric. While it runs it owns both sockets: do not send or receive on them yourself.
 */
export class Proxy<F extends Socket = Socket, B extends Socket = Socket> {
  readonly #frontEnd: F;
  readonly #backEnd: B;
  readonly #capture: Socket | null;
  #running: Running | null = null;

  constructor(frontEnd: F, backEnd: B, options?: ProxyOptions) {
    // zeromq.js checks the arguments in this order, with these TypeErrors; a third argument is ours.
    if (!isObject(frontEnd)) throw new TypeError("Front-end must be a socket object");
    if (!isObject(backEnd)) throw new TypeError("Back-end must be a socket object");
    const count = arguments.length;
    if (count > 3 || (count === 3 && options !== undefined && (!isObject(options) || options instanceof Socket))) {
      throw new TypeError(`Expected 2 arguments but received ${count}`);
    }
    if (!(frontEnd instanceof Socket) || !(backEnd instanceof Socket)) throw new ZmqError("EINVAL", "Invalid argument");
    const capture = options?.capture ?? null;
    if (capture !== null && !(capture instanceof Socket)) throw new TypeError("Capture must be a socket object");
    if (capture !== null && !canSend(capture)) throw new TypeError("Capture must be a socket that sends (Publisher, Push, Dealer or Pair)");
    this.#frontEnd = frontEnd;
    this.#backEnd = backEnd;
    this.#capture = capture;
  }

  get frontEnd(): F {
    return this.#frontEnd;
  }

  get backEnd(): B {
    return this.#backEnd;
  }

  /** bunzmq addition: the capture socket given to the constructor, or null. */
  get capture(): Socket | null {
    return this.#capture;
  }

  /**
   * Forwards until terminate() (or until one of the sockets is closed), then closes the front and
   * back ends and resolves; a socket's failure to send (a `mandatory` Router's EHOSTUNREACH) also
   * ends it, rejecting. Both sockets must be bound or connected first: otherwise, or when one is
   * closed, it throws EINVAL at once, as zeromq.js does.
   */
  run(): Promise<void> {
    expectNoArguments(arguments.length);
    if (this.#running !== null) throw new ZmqError("EBUSY", "Proxy is already running; call terminate() first");
    const sockets = [this.#frontEnd, this.#backEnd, this.#capture];
    const roles = ["Front-end", "Back-end", "Capture"];
    sockets.forEach((socket, i) => {
      if (socket === null) return;
      if (socket.closed || !internalsOf(socket).hasEndpoints()) throw new ZmqError("EINVAL", `${roles[i]} socket must be bound or connected`);
    });
    const distinct = [...new Set(sockets)].filter((s): s is Socket => s !== null);
    if (distinct.some((s) => claimed.has(s))) throw new ZmqError("EBUSY", "A socket of this proxy is already forwarding for another proxy");
    const front = this.#frontEnd;
    const back = this.#backEnd;
    return new Promise<void>((resolve, reject) => {
      const forwarder = new Forwarder(
        {
          front: internalsOf(front).core,
          back: internalsOf(back).core,
          capture: this.#capture === null ? null : internalsOf(this.#capture).core,
          forward: canReceive(front) && canSend(back),
          backward: canReceive(back) && canSend(front),
        },
        (error) => this.#end(error),
      );
      this.#running = { forwarder, resolve, reject };
      for (const socket of distinct) {
        claimed.add(socket);
        internalsOf(socket).onClose(() => this.#end(null));
      }
    });
  }

  /** Stops forwarding; messages stay queued in the sockets until resume(). Throws EBADF unless running. */
  pause(): void {
    expectNoArguments(arguments.length);
    this.#live().forwarder.pause();
  }

  resume(): void {
    expectNoArguments(arguments.length);
    this.#live().forwarder.resume();
  }

  /** Ends run(): both sockets are closed and its promise resolves. Throws EBADF unless running. */
  terminate(): void {
    expectNoArguments(arguments.length);
    this.#live();
    this.#end(null);
  }

  // zeromq.js throws libzmq's EBADF here: its control socket exists only while the proxy runs.
  #live(): Running {
    if (this.#running === null) throw new ZmqError("EBADF", "Socket is closed");
    return this.#running;
  }

  // Closing a socket calls back here (its onClose hook), so the first caller wins and the rest return.
  #end(error: unknown): void {
    const running = this.#running;
    if (running === null) return;
    this.#running = null;
    running.forwarder.stop();
    for (const socket of [this.#frontEnd, this.#backEnd, this.#capture]) {
      if (socket === null || !claimed.delete(socket)) continue;
      internalsOf(socket).onClose(null);
    }
    this.#frontEnd.close();
    this.#backEnd.close();
    if (error === null) running.resolve();
    else running.reject(error);
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

// The verbs exist only on socket types that have them (api/verbs.ts), so they tell the direction.
function canSend(socket: Socket): boolean {
  return typeof (socket as Partial<Record<"send", unknown>>).send === "function";
}

function canReceive(socket: Socket): boolean {
  return typeof (socket as Partial<Record<"receive", unknown>>).receive === "function";
}

function expectNoArguments(count: number): void {
  if (count > 0) throw new TypeError(`Expected 0 arguments but received ${count}`);
}

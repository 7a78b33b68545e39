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
  /** The distinct sockets run() blocked; unblocked at the end. */
  blocked: Socket[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Forwards whole messages between two sockets, both ways (libzmq's zmq_proxy_steerable, as
 * zeromq.js has it): a Router front end and a Dealer back end make a request-reply broker, an
 * XSubscriber and an XPublisher a pub-sub forwarder. Conceptually messages flow from the front end
 * to the back end and replies back; the proxy is symmetric. While it runs it owns its sockets: as in zeromq.js, they are blocked (other calls throw
 * EBUSY), and closing one ends the proxy as terminate() does.
 */
export class Proxy<F extends Socket = Socket, B extends Socket = Socket> {
  readonly #frontEnd: F;
  readonly #backEnd: B;
  readonly #capture: Socket | null;
  #running: Running | null = null;

  /**
   * A proxy between two sockets, not yet running. Throws zeromq.js's TypeErrors for arguments that
   * are not sockets (or more than two, the bunzmq addition `options` aside), and EINVAL for sockets
   * that are not bunzmq's.
   */
  constructor(frontEnd: F, backEnd: B, options?: ProxyOptions) {
    // zeromq.js checks the arguments in this order, with these TypeErrors; a third argument is ours.
    if (!isObject(frontEnd)) throw new TypeError("Front-end must be a socket object");
    if (!isObject(backEnd)) throw new TypeError("Back-end must be a socket object");
    const count = arguments.length;
    if (count > 3 || (count === 3 && options !== undefined && (!isObject(options) || options instanceof Socket))) {
      throw new TypeError(`Expected 2 arguments but received ${count}`);
    }
    if (!(frontEnd instanceof Socket) || !(backEnd instanceof Socket))
      throw new ZmqError("EINVAL", "the front and back ends must be bunzmq sockets");
    const capture = options?.capture ?? null;
    if (capture !== null && !(capture instanceof Socket)) throw new TypeError("Capture must be a socket object");
    if (capture !== null && !canSend(capture)) throw new TypeError("Capture must be a socket that sends (Publisher, Push, Dealer or Pair)");
    this.#frontEnd = frontEnd;
    this.#backEnd = backEnd;
    this.#capture = capture;
  }

  /** The front-end socket given to the constructor. */
  get frontEnd(): F {
    return this.#frontEnd;
  }

  /** The back-end socket given to the constructor. */
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
   * closed, it throws EINVAL at once, as zeromq.js does. A socket another proxy runs on, or whose
   * bind() is settling, is blocked: EBUSY.
   */
  run(): Promise<void> {
    expectNoArguments(arguments.length);
    if (this.#running !== null) throw new ZmqError("EBUSY", "this proxy is running already; terminate() it first");
    const roles: Array<[Socket | null, string]> = [
      [this.#frontEnd, "Front-end"],
      [this.#backEnd, "Back-end"],
      [this.#capture, "Capture"],
    ];
    for (const [socket, role] of roles) {
      if (socket === null) continue;
      const detail = socket.closed ? `the ${role.toLowerCase()} socket is closed` : "bind() or connect() it before run()";
      if (socket.closed || !internalsOf(socket).hasEndpoints())
        throw new ZmqError("EINVAL", detail, undefined, { message: `${role} socket must be bound or connected` });
    }
    const front = this.#frontEnd;
    const back = this.#backEnd;
    const blocked = this.#block();
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
      this.#running = { forwarder, resolve, reject, blocked };
    });
  }

  /** Stops forwarding; messages stay queued in the sockets until resume(). Throws EBADF unless running. */
  pause(): void {
    expectNoArguments(arguments.length);
    this.#live().forwarder.pause();
  }

  /** Resumes forwarding after pause(). Throws EBADF unless running. */
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
    if (this.#running === null) throw new ZmqError("EBADF", "the proxy is not running: run() it first (an ended proxy cannot run again)");
    return this.#running;
  }

  /** Blocks each distinct socket of the proxy, or none of them (rethrowing the EBUSY). */
  #block(): Socket[] {
    const distinct = [...new Set([this.#frontEnd, this.#backEnd, this.#capture])].filter((s): s is Socket => s !== null);
    const blocked: Socket[] = [];
    try {
      for (const socket of distinct) {
        internalsOf(socket).block(() => this.#end(null));
        blocked.push(socket);
      }
    } catch (error) {
      for (const socket of blocked) internalsOf(socket).unblock();
      throw error;
    }
    return blocked;
  }

  // A close() of a blocked socket calls back here, and unblocking performs that close, which is
  // why the first caller wins and the rest return.
  #end(error: unknown): void {
    const running = this.#running;
    if (running === null) return;
    this.#running = null;
    running.forwarder.stop();
    for (const socket of running.blocked) internalsOf(socket).unblock();
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

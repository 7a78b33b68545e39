// The `swap` options (bunzmq additions, after ZeroMQ 2's ZMQ_SWAP): messages beyond the high-water
// marks go to disk instead of waiting or being dropped. The properties, their specs and each
// socket's SwapSpace. Imports core, socket, swap and the option shapes beside it.

import { ZmqError } from "../core/errors.ts";
import { SocketType } from "../core/socket-type.ts";
import type { SocketBase } from "../socket/socket-base.ts";
import { lockSwapDirectory } from "../swap/directory-lock.ts";
import { SwapSpace, checkSwapDirectory } from "../swap/swap-space.ts";
import { type OptionSpec, type OptionTarget, invalid } from "./option-spec.ts";
import { type StringValue, textOf } from "./option-values.ts";

/**
 * The types that take a `swapDirectory` (a durable queue). Not REQ: a request recovered by a new
 * socket would be answered to a socket that never sent it.
 */
const DURABLE = [SocketType.Push, SocketType.Dealer, SocketType.Client, SocketType.Scatter];
/** The types that spill per socket, before routing: the message goes to whichever peer is ready. */
const PER_SOCKET = [...DURABLE, SocketType.Request];
/** The types that spill per peer: each message is already bound to its subscriber or routing id. */
const PER_PEER = [SocketType.Publisher, SocketType.XPublisher, SocketType.Router, SocketType.Server, SocketType.Radio, SocketType.Peer];
const SPILLING = [...PER_SOCKET, ...PER_PEER];

/** The `swap` options of Push, Dealer, Client, Scatter, Request, Publisher, XPublisher, Radio, Router, Server and Peer. */
export interface SwapProperties {
  /**
   * Bytes of messages the socket may keep on disk beyond its high-water marks; 0 turns it off.
   * With it, a send that would wait (Push, Dealer, Client, Scatter, Request, Server, Peer) or drop
   * (Publisher, XPublisher, Radio) at the high-water mark writes the message to disk instead, and
   * messages come back, in order, as the queue drains below its low-water mark; past `swap` bytes
   * the usual rules apply again. Push, Dealer, Client, Scatter and Request spill one queue per
   * socket before choosing a peer (and queue so before any peer connects; a Request takes its
   * reply from the peer its request went to once it went); Publisher, XPublisher, Radio,
   * Router, Server and Peer one queue per peer. Lowering it stops new spills,
   * never drops what is on disk. See docs/swap.md.
   * @defaultValue 0
   * @unit bytes
   * @libzmq none (bunzmq addition; ZeroMQ 2's ZMQ_SWAP)
   */
  swap: number;
  /**
   * Makes a Push's or Dealer's queue durable (with `swap` above 0): every message `send` accepts
   * is journaled in this directory (`send` resolves once its record is written, one write per turn
   * of the event loop), kept until the engine has handed its bytes to the kernel, and delivered first by
   * the next socket opened on the directory after a crash (at least once: duplicates possible,
   * nothing missing). An existing directory this process can write in (ENOENT, EACCES or EINVAL
   * at once otherwise), used by no other live socket (EBUSY). null: spill only past the
   * high-water mark, into a private temporary directory removed on close. Request, Publisher,
   * XPublisher, Radio, Router, Server and Peer refuse a directory (EINVAL). Fixed once messages were taken (EINVAL after that).
   * @defaultValue null
   * @libzmq none (bunzmq addition)
   */
  swapDirectory: string | null;
  /**
   * Bytes of `swap` files on disk now (what waits there, plus what was read back from a file not
   * yet deleted).
   * @unit bytes
   * @libzmq none (bunzmq addition)
   */
  readonly spilledBytes: number;
}

/** The option of the durable queues Push, Dealer, Client and Scatter keep in a `swapDirectory`. */
export interface DurableSwapProperties {
  /**
   * What a durable queue (`swapDirectory`) also makes survive a power loss, by fsync(2): "none"
   * (a crash of the process loses nothing, a power loss may), "batch" (each written batch) or
   * "message" (each message written and synced alone: slow).
   * @defaultValue "batch"
   * @libzmq none (bunzmq addition)
   */
  swapSync: "none" | "batch" | "message";
}

// Each socket's swap space, made when `swap` is first set above 0, and its directory's lock.
const spaces = new WeakMap<SocketBase, SwapSpace>();
const locks = new WeakMap<SocketBase, () => void>();

function spaceOf(target: OptionTarget): SwapSpace {
  let space = spaces.get(target.core);
  if (space === undefined) {
    space = new SwapSpace(target.options, target.emit);
    spaces.set(target.core, space);
    target.core.setOverflowFactory(space.createQueue);
  }
  return space;
}

/** Drops a closing socket's swap queues and its private directory. */
export function closeSwap(core: SocketBase): void {
  spaces.get(core)?.close();
  spaces.delete(core);
  locks.get(core)?.();
  locks.delete(core);
}

export const SWAP_OPTIONS: readonly OptionSpec[] = [
  {
    name: "swap",
    id: null,
    kind: "int64",
    access: "rw",
    on: SPILLING,
    immediate: true,
    read: ({ options }) => options.swap,
    write: (target, value: number) => {
      if (value < 0) throw invalid("swap", "0 (off) or a number of bytes", value);
      target.options.swap = value;
      if (value > 0) spaceOf(target);
    },
  },
  {
    name: "swapDirectory",
    id: null,
    kind: "string",
    access: "rw",
    on: SPILLING,
    immediate: true,
    read: ({ options }) => options.swapDirectory,
    write: (target, value: StringValue) => {
      const path = textOf(value);
      if (path !== null && !DURABLE.includes(target.core.type)) {
        throw new ZmqError(
          "EINVAL",
          "only Push, Dealer, Client and Scatter take a swapDirectory; this type spills into a private temporary directory",
        );
      }
      if (spaces.get(target.core)?.inUse) {
        throw new ZmqError("EINVAL", "swapDirectory cannot change once swap files exist; set it before swap, or on a new socket");
      }
      const directory = path === "" ? null : path;
      if (directory !== null) checkSwapDirectory(directory);
      const release = directory === null ? null : lockSwapDirectory(directory);
      locks.get(target.core)?.();
      locks.delete(target.core);
      if (release !== null) locks.set(target.core, release);
      target.options.swapDirectory = directory;
      // The socket's queue becomes a journal (or stops being one), recovering what the directory holds.
      const space = spaces.get(target.core);
      if (space !== undefined) target.core.setOverflowFactory(space.createQueue);
    },
  },
  {
    name: "swapSync",
    id: null,
    kind: "string",
    access: "rw",
    on: DURABLE,
    immediate: true,
    read: ({ options }) => options.swapSync,
    write: ({ options }, value: StringValue) => {
      const policy = textOf(value);
      if (policy !== "none" && policy !== "batch" && policy !== "message")
        throw invalid("swapSync", '"none", "batch" or "message"', policy);
      options.swapSync = policy;
    },
  },
  { name: "spilledBytes", id: null, kind: "int64", access: "r", on: SPILLING, read: ({ core }) => spaces.get(core)?.bytesOnDisk ?? 0 },
];

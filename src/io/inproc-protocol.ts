// What threads say to each other to set up inproc:// connections between them, and what an end of
// such a connection needs from its thread: the common ground of inproc-links.ts (this thread's side
// of the protocol) and inproc-link-ends.ts (the ends it creates), so that the ends need nothing of
// the file that creates them. Imports thread, transport and core.

import type { SocketType } from "../core/socket-type.ts";
import type { DoorbellAddress } from "../thread/doorbell.ts";
import type { ThreadLoop } from "../thread/thread-loop.ts";
import type { InprocConnector } from "../transport/inproc.ts";

/** Each direction of a cross-thread inproc connection gets a ring this large; larger frames pass in chunks. */
export const RING_BYTES = 64 * 1024;

/** What threads say to each other; `to` is a thread id (broadcasts have none). */
export type InprocMessage =
  | {
      type: "connect";
      to: number;
      from: number;
      link: string;
      name: string;
      socketType: SocketType;
      routingId: Uint8Array;
      sendHighWaterMark: number;
      receiveHighWaterMark: number;
      toBinder: SharedArrayBuffer;
      toConnector: SharedArrayBuffer;
      doorbell: DoorbellAddress;
    }
  | {
      type: "accepted";
      to: number;
      from: number;
      link: string;
      socketType: SocketType;
      routingId: Uint8Array;
      sendHighWaterMark: number;
      receiveHighWaterMark: number;
      doorbell: DoorbellAddress;
    }
  | { type: "refused"; to: number; link: string }
  | { type: "closed"; to: number; link: string }
  | { type: "bound"; name: string };

/** A request this thread sent, waiting for its answer. */
export interface PendingConnect {
  /** The binding thread. */
  to: number;
  name: string;
  connector: InprocConnector;
  toBinder: SharedArrayBuffer;
  toConnector: SharedArrayBuffer;
  cancelled: boolean;
}

/** The thread an end lives in, as the end sees it (ThreadLinks in inproc-links.ts). */
export interface LinkThread {
  /** The loop that pumps this thread's bridges. */
  readonly loop: ThreadLoop;
  /** Sends a message to the other threads. */
  post(message: InprocMessage): void;
  /** The link `link` is closed: the thread stops routing messages to it. */
  forget(link: string): void;
}

// The REP of an inproc row of bench/req-rep-latency.ts, started inside the REQ's own process
// (bench/req-rep-fixture.ts), since inproc only connects sockets of one context:
// - bunzmq: a Reply in the REQ's event loop, echoing with `for await ... await rep.send(msg)`.
// - libzmq: a blocking REP in a Worker sharing the REQ's context (bench/libzmq-inproc.ts): the REQ
//   blocks in zmq_msg_recv, so its REP needs a thread of its own, as in a C program. That row is
//   the baseline. A second libzmq row keeps the REP in the REQ's thread and echoes between the
//   REQ's send and receive, as bunzmq's one event loop does: no thread wake-up per round trip.

import { LibzmqInprocPeer } from "./libzmq-inproc.ts";
import { cBuffer, LibzmqContext, ZMQ } from "../peers/libzmq/index.ts";
import { inprocEndpoint } from "./transports.ts";

interface ReplyLike extends AsyncIterable<Buffer[]> {
  bind(endpoint: string): Promise<void>;
  send(message: Uint8Array): Promise<void>;
  close(): void;
}

/** A bound REP in this process; connect the REQ to `endpoint`, close the REQ before `close()`. */
export interface InprocRep {
  endpoint: string;
  close(): void;
}

/** bunzmq's echoing Reply, bound to a fresh inproc name; it serves until closed. */
export async function bunzmqInprocRep(Reply: new (options?: object) => ReplyLike): Promise<InprocRep> {
  const endpoint = inprocEndpoint("bunzmq-rep");
  const rep = new Reply({ linger: 0 });
  await rep.bind(endpoint);
  const serve = async () => {
    for await (const [msg] of rep) await rep.send(msg!);
  };
  // Ends (or fails) only when the socket closes, i.e. when the process is done with it.
  serve().catch(() => {});
  return { endpoint, close: () => rep.close() };
}

/** libzmq's echoing REP in a Worker; `context` is the one the REQ must be created in. */
export function libzmqInprocRep(): InprocRep & { context: LibzmqContext } {
  const context = new LibzmqContext();
  const endpoint = inprocEndpoint("libzmq-rep");
  const peer = LibzmqInprocPeer.start("rep", context, endpoint);
  return {
    context,
    endpoint,
    // zmq_ctx_term waits for the Worker's socket too; if the Worker could not close it, leak the context.
    close: () => {
      if (peer.stop()) context.term();
    },
  };
}

/**
 * libzmq's REP in the REQ's own thread; `echo()` answers the one pending request (blocking up to
 * 2 s for it), so a round trip is the REQ's send, echo(), the REQ's receive.
 */
export function libzmqOneThreadRep(): InprocRep & { context: LibzmqContext; echo(): void } {
  const context = new LibzmqContext();
  const endpoint = inprocEndpoint("libzmq-rep-one-thread");
  const rep = context.socket(ZMQ.REP);
  rep.setInt(ZMQ.RCVTIMEO, 2000);
  rep.setInt(ZMQ.SNDTIMEO, 2000);
  rep.bind(endpoint);
  const reply = cBuffer(65536);
  return {
    context,
    endpoint,
    // A missed request shows up as the REQ's own receive timing out.
    echo: () => {
      const size = rep.receiveSize();
      if (size >= 0) rep.sendMany(reply, size, 1);
    },
    close: () => {
      context.term();
    },
  };
}

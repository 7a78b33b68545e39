// The Worker half of bench/libzmq-inproc.ts: one libzmq socket, bound to an inproc endpoint in the
// context of the thread that started it (workerData.context), driven exactly like the libzmq
// fixtures of the tcp and ipc rows (perf-anchors caveat 4):
// - "pull": per request in the control block, blocking zmq_msg_recv of COUNT messages into one
//   reused zmq_msg_t, no copy out, sizes checked; then the answer (DONE). As pull-fixture.ts, it
//   answers STALL after 2 s without a message, and then drops that batch.
// - "rep": echoes every request with a buffer of its size until STOP.
// Both wake at least once a second (RCVTIMEO, Atomics.wait) to notice STOP, then close the socket
// and report CLOSED, so the main thread may terminate the context.

import { workerData } from "node:worker_threads";
import { cBuffer, LibzmqContext, ZMQ, type LibzmqSocket } from "../peers/libzmq/index.ts";
import { RESULT, SLOT, STATE, waitChange, type PeerSetup } from "./libzmq-inproc.ts";

const STALL_REPORT_S = 2;

const setup = workerData as PeerSetup;
const control = new Int32Array(setup.control);
const stopping = () => Atomics.load(control, SLOT.STOP) === 1;

function setState(state: number): void {
  Atomics.store(control, SLOT.STATE, state);
  Atomics.notify(control, SLOT.STATE);
}

/** Receives one batch; returns its answer (STALL after 2 s without a message, or on STOP). */
function receiveBatch(pull: LibzmqSocket, count: number, size: number): { result: number; received: number; bad: number } {
  let bad = 0;
  let idleSeconds = 0;
  for (let i = 0; i < count; ) {
    const got = pull.receiveSize();
    if (got >= 0) {
      if (got !== size) bad++;
      i++;
      idleSeconds = 0;
      continue;
    }
    // RCVTIMEO (1 s) expired with no message.
    if (++idleSeconds >= STALL_REPORT_S || stopping()) return { result: RESULT.STALL, received: i, bad };
  }
  return { result: RESULT.OK, received: count, bad };
}

function servePull(pull: LibzmqSocket): void {
  let seen = 0;
  while (!stopping()) {
    const request = waitChange(control, SLOT.REQUEST, seen, 1000);
    if (request === seen) continue;
    seen = request;
    const answer = receiveBatch(pull, Atomics.load(control, SLOT.COUNT), Atomics.load(control, SLOT.SIZE));
    Atomics.store(control, SLOT.RESULT, answer.result);
    Atomics.store(control, SLOT.RECEIVED, answer.received);
    Atomics.store(control, SLOT.BAD, answer.bad);
    Atomics.store(control, SLOT.DONE, seen);
    Atomics.notify(control, SLOT.DONE);
  }
}

function serveRep(rep: LibzmqSocket): void {
  const reply = cBuffer(65536);
  while (!stopping()) {
    const size = rep.receiveSize();
    if (size >= 0) rep.sendMany(reply, size, 1);
  }
}

function main(): void {
  const isPull = setup.role === "pull";
  const context = new LibzmqContext({ adopt: setup.context, library: setup.library });
  const socket = context.socket(isPull ? ZMQ.PULL : ZMQ.REP);
  try {
    socket.setInt(ZMQ.RCVTIMEO, 1000);
    if (isPull) socket.setInt(ZMQ.RCVHWM, setup.receiveHighWaterMark);
    else socket.setInt(ZMQ.SNDTIMEO, 2000);
    socket.bind(setup.endpoint);
    setState(STATE.READY);
    if (isPull) servePull(socket);
    else serveRep(socket);
  } finally {
    context.term(); // closes the socket; the context stays with the thread that made it
  }
  setState(STATE.CLOSED);
}

try {
  main();
} catch (error) {
  process.stderr.write(`libzmq inproc ${setup.role} worker: ${error instanceof Error ? error.message : String(error)}\n`);
  setState(STATE.FAILED);
}

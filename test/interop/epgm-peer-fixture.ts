// One epgm:// or pgm:// publisher or subscriber, bunzmq's or libzmq's (through bun:ffi), in a
// process of its own, for test/interop/epgm.test.ts and pgm.test.ts, which run these inside the
// impaired link's namespaces. Reports JSON lines on stdout (harness/json-child.ts).
//
//   pub <bunzmq|libzmq> <endpoint> <count> <rateKbps> <recoveryMs> <intervalMs>
//     sends a probe ["p"] every 20 ms until a "go" line on stdin, then `count` messages
//     ["m", index (u32), payload], one every `intervalMs` (0: all at once); payload sizes cycle
//     through SIZES and every byte is the index's low byte. Reports "progress" (half sent) and
//     "sent", then keeps its transmit window up until stdin closes.
//   sub <bunzmq|libzmq> <endpoint> <count> [rateKbps]
//     reports "ready" at the first message (the group reaches it), each bunzmq "pgm:loss" event as
//     "loss", and "done" once message count-1 arrived: what it got, whether in order, what was bad.
//   open bunzmq <endpoint> 0
//     connects a bunzmq Publisher and reports "opened", or "refused" with the error's code and detail.

import { ZMQ } from "../../peers/libzmq/index.ts";
import { LibzmqContext } from "../../peers/libzmq/index.ts";
import { Publisher, Subscriber } from "../../src/index.ts";
import { readLines } from "../../common/read-lines.ts";

export const SIZES = [0, 1, 254, 255, 1446, 1447, 1448, 3000, 65_536, 17];

const [role, impl, endpoint, countText, ...rest] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const count = Number(countText);
const report = (event: string, fields: object = {}) => console.log(JSON.stringify({ event, ...fields }));

function message(index: number): Uint8Array[] {
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, index);
  return [Uint8Array.of(0x6d), id, new Uint8Array(SIZES[index % SIZES.length]!).fill(index & 0xff)];
}

interface Sender {
  send(frames: Uint8Array[]): Promise<void>;
  close(): void;
}

function sender(rate: number, recovery: number): Sender {
  if (impl === "bunzmq") {
    const pub = new Publisher({ rate, recoveryInterval: recovery, sendHighWaterMark: 0, linger: 0 });
    pub.connect(endpoint);
    return { send: (frames) => pub.send(frames), close: () => pub.close() };
  }
  const context = new LibzmqContext();
  const pub = context.socket(ZMQ.PUB);
  pub.setInt(ZMQ.RATE, rate);
  pub.setInt(ZMQ.RECOVERY_IVL, recovery);
  pub.setInt(ZMQ.SNDHWM, 0);
  pub.connect(endpoint);
  return { send: (frames) => pub.send(frames), close: () => context.term() };
}

async function publish(): Promise<void> {
  const [rate, recovery, interval] = rest.map(Number) as [number, number, number];
  const out = sender(rate, recovery);
  const probes = setInterval(() => void out.send([Uint8Array.of(0x70)]), 20);
  // One iterator for both waits: leaving a for-await loop would close the stream.
  const lines = readLines(Bun.stdin.stream());
  for (let line = await lines.next(); !line.done && line.value.trim() !== "go"; line = await lines.next());
  clearInterval(probes);
  let next = 0;
  const sendOne = async () => {
    await out.send(message(next));
    if (++next === Math.floor(count / 2)) report("progress", { sent: next });
  };
  if (interval === 0) while (next < count) await sendOne();
  else {
    const { promise, resolve } = Promise.withResolvers<void>();
    const timer = setInterval(() => {
      if (next >= count) return resolve();
      void sendOne();
    }, interval);
    await promise;
    clearInterval(timer);
  }
  report("sent", { count });
  // Hold the transmit window for repairs until the test lets go.
  while (!(await lines.next()).done);
  out.close();
  process.exit(0);
}

async function subscribe(): Promise<void> {
  const [subRate] = rest;
  const received: number[] = [];
  let bad = 0;
  let ready = false;
  const onMessage = (frames: Uint8Array[]): boolean => {
    if (!ready) {
      ready = true;
      report("ready");
    }
    if (frames.length === 1 && frames[0]![0] === 0x70) return false;
    const index = frames.length === 3 ? new DataView(frames[1]!.buffer, frames[1]!.byteOffset).getUint32(0) : -1;
    const payload = frames[2];
    const whole =
      index >= 0 && payload !== undefined && payload.length === SIZES[index % SIZES.length] && payload.every((b) => b === (index & 0xff));
    if (!whole) bad++;
    else received.push(index);
    if (process.env.EPGM_TRACE && !whole)
      report("bad", { index, sizes: frames.map((f) => f.length), head: [...(frames[0] ?? [])].slice(0, 8) });
    return index === count - 1;
  };
  const finish = () => {
    const inOrder = received.every((value, i) => i === 0 || value === received[i - 1]! + 1);
    const unique = new Set(received).size;
    report("done", { received: received.length, unique, first: received[0] ?? -1, last: received.at(-1) ?? -1, inOrder, bad });
  };
  if (impl === "bunzmq") {
    const sub = new Subscriber({ receiveHighWaterMark: 0 });
    void (async () => {
      for await (const event of sub.events) {
        if (event.type === "pgm:loss") report("loss", { sender: event.sender, first: event.firstSequence, last: event.lastSequence });
      }
    })();
    sub.subscribe();
    sub.connect(endpoint);
    for (;;) if (onMessage(await sub.receive())) break;
    finish();
    sub.close();
  } else {
    const context = new LibzmqContext();
    const sub = context.socket(ZMQ.SUB);
    sub.setInt(ZMQ.RCVHWM, 0);
    // libzmq sizes a receiver's window from its own rate and recovery interval: at the default
    // 100 kbit/s it is too small to repair a faster sender's losses (docs/pgm.md §3).
    if (subRate !== undefined) sub.setInt(ZMQ.RATE, Number(subRate));
    sub.setBytes(ZMQ.SUBSCRIBE, "");
    sub.connect(endpoint);
    for (;;) if (onMessage(await sub.receive(60_000))) break;
    finish();
    context.term();
  }
  process.exit(0);
}

function open(): void {
  const pub = new Publisher({ linger: 0 });
  try {
    pub.connect(endpoint);
    report("opened");
  } catch (error) {
    const { code, detail } = error as { code: string; detail: string };
    report("refused", { code, detail });
  }
  pub.close();
}

if (role === "pub") await publish();
else if (role === "open") open();
else await subscribe();

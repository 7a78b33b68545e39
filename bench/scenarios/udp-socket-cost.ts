// What node:dgram costs against Bun.udpSocket, the two UDP APIs Bun 1.4.5 offers: udp:// and
// epgm:// use node:dgram because only it sets SO_REUSEADDR and joins groups (docs/udp.md). Run:
// `bun bench/scenarios/udp-socket-cost.ts [--seconds N] [--size B]`.
//
// Each row: one sending and one receiving socket of one API in this process, on loopback. The
// sender sends datagrams of `--size` bytes in bursts of 64, yielding to the event loop between
// bursts, for `--seconds`; the receiver counts. Figures: datagrams sent and received per second
// (the kernel drops what the receiver's buffer cannot hold, so received ≤ sent).

import dgram from "node:dgram";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const SECONDS = option("--seconds", 2);
const SIZE = option("--size", 64);
const BURST = 64;

interface Pair {
  send(payload: Uint8Array): void;
  received(): number;
  close(): void;
}

async function nodeDgram(): Promise<Pair> {
  let count = 0;
  const receiver = dgram.createSocket({ type: "udp4", reuseAddr: true });
  receiver.on("message", () => void count++);
  await new Promise<void>((resolve) => receiver.bind(0, "127.0.0.1", () => resolve()));
  const sender = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => sender.bind(0, "127.0.0.1", () => resolve()));
  const port = receiver.address().port;
  return {
    send: (payload) => sender.send(payload, port, "127.0.0.1"),
    received: () => count,
    close: () => {
      sender.close();
      receiver.close();
    },
  };
}

async function bunUdp(): Promise<Pair> {
  let count = 0;
  const receiver = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0, socket: { data: () => void count++ } });
  const sender = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
  return {
    send: (payload) => void sender.send(payload, receiver.port, "127.0.0.1"),
    received: () => count,
    close: () => {
      sender.close();
      receiver.close();
    },
  };
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function row(name: string, make: () => Promise<Pair>): Promise<void> {
  const pair = await make();
  const payload = new Uint8Array(SIZE).fill(0x64);
  let sent = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    for (let i = 0; i < BURST; i++) pair.send(payload);
    sent += BURST;
    await yieldToLoop();
  }
  const elapsed = (performance.now() - started) / 1000;
  // Let what is in flight arrive: a few turns of the loop (bounded).
  for (let turn = 0; turn < 100; turn++) await yieldToLoop();
  const received = pair.received();
  pair.close();
  console.log(`${name.padEnd(15)} ${(sent / elapsed).toFixed(0).padStart(12)} ${(received / elapsed).toFixed(0).padStart(14)}`);
}

console.log(`UDP send/receive on loopback, ${SIZE} B datagrams, ${SECONDS} s per row (Bun ${Bun.version})`);
console.log("api               sent/s     received/s");
await row("Bun.udpSocket", bunUdp);
await row("node:dgram", nodeDgram);
await row("Bun.udpSocket", bunUdp);
await row("node:dgram", nodeDgram);
process.exit(0);

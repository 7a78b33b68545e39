// RADIO → DISH throughput over udp:// and tcp://, bunzmq beside libzmq 4.3.5 (the DRAFT build) in
// the same run. Run: `bun run bench:radio-dish [--seconds N] [--size B]`.
//
// Each row: the Radio is this process, the Dish a child (bench/fixtures/dish-fixture.ts), both of one
// implementation, on loopback. The Radio sends 1-byte probes until the Dish hears one, then offers
// messages of `--size` bytes to group "g" as fast as it accepts them for `--seconds` (a Radio never
// waits: over tcp it drops at the high-water mark, over udp the kernel drops what the Dish's buffer
// cannot hold), then end markers until the Dish reports. Figures: messages the Dish received per
// second, from its first data message to its last; the share of offered messages it received; and
// bunzmq's rate over libzmq's. libzmq runs through bun:ffi: its Dish reads only each message's size
// (bench/fixtures/dish-fixture.ts), its Radio pays a few calls per message, as a C sender would not.

import dgram from "node:dgram";
import { LibzmqContext, LibzmqDraftSocket, ZMQ, draftLibzmqPath } from "../../peers/libzmq/index.ts";
import { Radio } from "../../src/draft.ts";
import { readLines } from "../../common/read-lines.ts";

const FIXTURE = new URL("../fixtures/dish-fixture.ts", import.meta.url).pathname;
const USAGE = `usage: bun run bench:radio-dish [options]

RADIO → DISH over udp:// and tcp:// on loopback, bunzmq beside libzmq 4.3.5 (DRAFT build).

options:
  --seconds N     how long each row offers messages (default 3)
  --size B        message size in bytes (default 64)
  --help          print this and exit
`;
const args = process.argv.slice(2);
if (args.includes("--help")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
for (let i = 0; i < args.length; i += 2) {
  if (!["--seconds", "--size"].includes(args[i]!) || args[i + 1] === undefined) {
    process.stderr.write(`bench:radio-dish: unknown option or missing value: ${args[i]}\n${USAGE}`);
    process.exit(2);
  }
}
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const SECONDS = option("--seconds", 3);
const SIZE = option("--size", 64);
if (!(SIZE >= 3)) {
  process.stderr.write("bench:radio-dish: --size must be 3 or more (1 and 2 bytes are the probe and end marker)\n");
  process.exit(2);
}
const LIBRARY = draftLibzmqPath();
if (LIBRARY === null) {
  console.error("bench:radio-dish: the DRAFT libzmq build is missing (shared/peers/libzmq-4.3.5-draft); nothing to compare with");
  process.exit(1);
}

interface Sender {
  /** Offers one message to group "g"; false when it was not taken (libzmq's EAGAIN). */
  offer(body: Uint8Array): boolean;
  close(): void;
}

function radio(impl: string, endpoint: string): Sender {
  if (impl === "bunzmq") {
    const socket = new Radio({ linger: 0 });
    socket.connect(endpoint);
    return { offer: (body) => socket.trySend(body, { group: "g" }), close: () => socket.close() };
  }
  const context = new LibzmqContext({ library: LIBRARY! });
  const socket = new LibzmqDraftSocket(context.socket(ZMQ.RADIO));
  socket.socket.connect(endpoint);
  return { offer: (body) => socket.trySend(body, { group: "g" }), close: () => context.term() };
}

async function freeUdpPort(): Promise<number> {
  const probe = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => probe.bind(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address();
  probe.close();
  return port;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function row(impl: string, transport: "udp" | "tcp"): Promise<{ count: number; offered: number; ms: number }> {
  const bindAt = transport === "tcp" ? "tcp://127.0.0.1:*" : `udp://127.0.0.1:${await freeUdpPort()}`;
  const child = Bun.spawn([process.execPath, FIXTURE, impl, bindAt, LIBRARY!], { stdout: "pipe", stderr: "inherit" });
  const lines = readLines(child.stdout);
  const nextLine = async (match: (line: string) => boolean): Promise<string> => {
    for (let line = await lines.next(); !line.done; line = await lines.next()) if (match(line.value)) return line.value;
    throw new Error(`the ${impl} Dish ended early`);
  };
  const endpoint = (await nextLine((line) => line.startsWith("endpoint "))).slice("endpoint ".length);
  const sender = radio(impl, endpoint);
  const probes = setInterval(() => sender.offer(Uint8Array.of(0x70)), 20);
  await nextLine((line) => line === "ready");
  clearInterval(probes);
  const payload = new Uint8Array(SIZE).fill(0x64);
  let offered = 0;
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 64; i++) if (sender.offer(payload)) offered++;
    await yieldToLoop();
  }
  const ends = setInterval(() => sender.offer(Uint8Array.of(0x65, 0x65)), 50);
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("null"), 20_000));
  const result = JSON.parse(await Promise.race([nextLine((line) => line.startsWith("{")), timeout])) ?? { count: 0, ms: 0 };
  clearInterval(ends);
  sender.close();
  child.kill();
  return { count: result.count, offered, ms: result.ms };
}

console.log(`RADIO → DISH, ${SIZE} B messages, ${SECONDS} s offered per row, one Dish on loopback (Bun ${Bun.version})`);
console.log("transport  impl      received msgs/s   received/offered   bunzmq ÷ libzmq");
for (const transport of ["udp", "tcp"] as const) {
  const rates: Record<string, number> = {};
  for (const impl of ["libzmq", "bunzmq"]) {
    const { count, offered, ms } = await row(impl, transport);
    if (ms <= 0) {
      console.log(`${transport.padEnd(9)}  ${impl.padEnd(7)}   no result: the Dish heard no end marker within 20 s`);
      continue;
    }
    const perSecond = (count * 1000) / ms;
    rates[impl] = perSecond;
    const ratio = impl === "bunzmq" && rates.libzmq ? (perSecond / rates.libzmq).toFixed(2) : "";
    const share = `${((100 * count) / Math.max(offered, 1)).toFixed(1)} %`;
    console.log(`${transport.padEnd(9)}  ${impl.padEnd(7)} ${perSecond.toFixed(0).padStart(17)} ${share.padStart(18)}   ${ratio}`);
  }
}
process.exit(0);

// PUB → SUB over epgm:// (PGM over UDP) and pgm:// (raw PGM, IP protocol 113), bunzmq beside libzmq
// 4.3.4 (OpenPGM) in the same run, at the default `rate` (100 kbit/s) and at 1 Gbit/s. Run:
// `bun bench/scenarios/epgm.ts [--seconds N] [--size B] [--rates A,B] [--transports epgm,pgm]`.
// Needs `unshare -n` (root, which pgm://'s raw sockets need too): the script re-runs itself in a
// fresh network namespace with multicast on loopback, where libzmq's PGM sockets (multicast loop
// off) can meet on one host.
//
// Each row: the publisher is this process, the subscriber a child (bench/fixtures/epgm-sub-fixture.ts),
// both of one implementation, with an 8 MiB receive buffer (ZMQ_RCVBUF; the kernel caps it at
// net.core.rmem_max): with the default 208 KiB, a libzmq subscriber at 1 Gbit/s loses more than
// OpenPGM repairs and then hears nothing more (docs/pgm.md §6). The publisher sends 1-byte
// probes until the subscriber hears one, then
// offers messages of `--size` bytes as fast as it accepts them for `--seconds` (a PUB drops at its
// high-water mark, 100 here, so the rate limit decides what goes out), then end markers until the
// subscriber reports. Figures: messages and MB the subscriber received per second, from its first
// data message to its last, and the ratio to libzmq.

import { LibzmqContext, ZMQ } from "../../peers/libzmq/index.ts";
import { Publisher } from "../../src/index.ts";
import { readLines } from "../../common/read-lines.ts";

const FIXTURE = new URL("../fixtures/epgm-sub-fixture.ts", import.meta.url).pathname;
const USAGE = `usage: bun run bench:epgm [options]

PUB → SUB over epgm:// (PGM over UDP) and pgm:// (raw PGM), bunzmq beside libzmq, in a fresh
network namespace (root).

options:
  --seconds N       how long each row offers messages (default 3)
  --size B          message size in bytes (default 1000)
  --rates A,B       rates in kbit/s (default 100,1000000)
  --transports A,B  epgm, pgm or both (default epgm,pgm)
  --help            print this and exit
`;
const args = process.argv.slice(2);
if (args.includes("--help")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const KNOWN_OPTIONS = ["--seconds", "--size", "--rates", "--transports"];
for (let i = 0; i < args.length; i += 2) {
  if (!KNOWN_OPTIONS.includes(args[i]!) || args[i + 1] === undefined) {
    process.stderr.write(`bench:epgm: unknown option or missing value: ${args[i]}\n${USAGE}`);
    process.exit(2);
  }
}
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const SECONDS = option("--seconds", 3);
const SIZE = option("--size", 1000);
const RECEIVE_BUFFER = 8 * 1024 * 1024;
const ATTEMPTS = 3;

if (process.env.BUNZMQ_EPGM_NETNS !== "1") {
  const setup = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo";
  const inner = Bun.spawnSync(["unshare", "-n", "sh", "-c", `${setup} && exec "$0" "$@"`, process.execPath, import.meta.path, ...args], {
    env: { ...process.env, BUNZMQ_EPGM_NETNS: "1" },
    stdout: "inherit",
    stderr: "inherit",
  });
  if (inner.exitCode !== 0) console.error("epgm bench: could not run in a network namespace (unshare -n needs root)");
  process.exit(inner.exitCode ?? 1);
}

interface Sender {
  offer(frames: Uint8Array[]): void;
  close(): void;
}

function publisher(impl: string, endpoint: string, rate: number): Sender {
  if (impl === "bunzmq") {
    const pub = new Publisher({ rate, sendHighWaterMark: 100, linger: 0 });
    pub.connect(endpoint);
    return { offer: (frames) => void pub.send(frames), close: () => pub.close() };
  }
  const context = new LibzmqContext();
  const pub = context.socket(ZMQ.PUB);
  pub.setInt(ZMQ.RATE, rate);
  pub.setInt(ZMQ.SNDHWM, 100);
  pub.connect(endpoint);
  return { offer: (frames) => void pub.trySend(frames), close: () => context.term() };
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function row(transport: string, impl: string, rate: number, port: number): Promise<{ count: number; bytes: number; ms: number }> {
  const endpoint = `${transport}://127.0.0.1;239.192.77.${port % 250}:${port}`;
  const pub = publisher(impl, endpoint, rate);
  const probes = setInterval(() => pub.offer([Uint8Array.of(0x70)]), 20);
  const child = Bun.spawn([process.execPath, FIXTURE, impl, endpoint, String(RECEIVE_BUFFER)], { stdout: "pipe", stderr: "inherit" });
  const lines = readLines(child.stdout);
  // OpenPGM prints its warnings ("Warn: Interface lo reports as a loopback device.") on stdout too.
  const nextLine = async (match: (line: string) => boolean): Promise<string> => {
    for (let line = await lines.next(); !line.done; line = await lines.next()) if (match(line.value)) return line.value;
    throw new Error(`the ${impl} subscriber ended early`);
  };
  await nextLine((line) => line === "ready");
  clearInterval(probes);
  const payload = new Uint8Array(SIZE).fill(0x64);
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 64; i++) pub.offer([payload]);
    await yieldToLoop();
  }
  const ends = setInterval(() => pub.offer([Uint8Array.of(0x65)]), 50);
  // A subscriber that never hears an end marker (its stream broke beyond repair) gives no figure.
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("null"), 20_000));
  const result = JSON.parse(await Promise.race([nextLine((line) => line.startsWith("{")), timeout])) ?? { count: 0, bytes: 0, ms: 0 };
  clearInterval(ends);
  pub.close();
  child.kill();
  return result;
}

console.log(`PGM PUB → SUB, ${SIZE} B messages, ${SECONDS} s offered per row, one subscriber (Bun ${Bun.version})`);
console.log("transport  rate (kbit/s)  impl     msgs/s     MB/s    bunzmq ÷ libzmq");
let port = 6100 + Math.floor(Math.random() * 1000);
const list = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback).split(",");
const RATES = list("--rates", "100,1000000").map(Number);
const SCHEMES = list("--transports", "epgm,pgm");
for (const transport of SCHEMES) {
  for (const rate of RATES) {
    const results: Record<string, number> = {};
    const label = `${transport.padEnd(9)}  ${String(rate).padStart(13)}`;
    for (const impl of ["libzmq", "bunzmq"]) {
      // A libzmq subscriber sometimes stops hearing its publisher at 1 Gbit/s (docs/pgm.md §6): such
      // a row is run again, up to ATTEMPTS times in all, and says how many it took.
      let result = { count: 0, bytes: 0, ms: 0 };
      let attempts = 0;
      while (result.ms === 0 && attempts < ATTEMPTS) {
        attempts++;
        result = await row(transport, impl, rate, port++);
      }
      const { count, bytes, ms } = result;
      if (ms === 0) {
        console.log(`${label}  ${impl.padEnd(7)}  no result: the subscriber heard no end marker within 20 s, ${ATTEMPTS} times`);
        continue;
      }
      const perSecond = ms > 0 ? (count * 1000) / ms : 0;
      results[impl] = perSecond;
      const ratio = impl === "bunzmq" && results.libzmq ? (perSecond / results.libzmq).toFixed(2) : "";
      const megabytes = ((bytes * 1000) / Math.max(ms, 1) / 1e6).toFixed(2);
      const retried = attempts > 1 ? `  (attempt ${attempts})` : "";
      console.log(
        `${label}  ${impl.padEnd(7)} ${perSecond.toFixed(0).padStart(8)} ${megabytes.padStart(8)}    ${ratio.padEnd(4)}${retried}`,
      );
    }
  }
}
process.exit(0);

// What receiving a datagram costs on each PGM carrier: the raw IP socket under pgm://, read through
// `Bun.file(fd).stream()` on Bun's own loop (src/transport/raw-multicast.ts), against the node:dgram
// UDP socket under epgm:// (src/transport/udp-socket.ts). Run: `bun bench/scenarios/pgm-carriers.ts
// [--count N]`. Needs `unshare -n` (root): the script re-runs itself in a fresh network namespace
// with multicast on loopback.
//
// Each row: a child process sends N datagrams of 1448 bytes (a full default APDU) to the group, 100
// per millisecond; this process receives them on the carrier and reports how many arrived, the CPU
// time it spent (user + system) per datagram received, and the wall time. No PGM decoding: the
// carrier alone.

import { RawMulticastSocket } from "../../src/transport/raw-multicast.ts";
import { UdpSocket } from "../../src/transport/udp-socket.ts";

const USAGE = `usage: bun run bench:pgm-carriers [options]

What receiving a datagram costs on pgm://'s raw socket and on epgm://'s UDP socket, in a fresh
network namespace (root).

options:
  --count N   datagrams per row (default 200000)
  --help      print this and exit
`;
const args = process.argv.slice(2);
// "send …" is this script run as its own sending child.
const child = args[0] === "send";
if (!child && args.includes("--help")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!child && !(args.length === 0 || (args.length === 2 && args[0] === "--count" && Number(args[1]) > 0))) {
  process.stderr.write(`bench:pgm-carriers: unknown option or missing value: ${args.join(" ")}\n${USAGE}`);
  process.exit(2);
}
const COUNT = args[0] === "--count" ? Number(args[1]) : 200_000;
const GROUP = "239.192.66.6";
const PAYLOAD = 1448;

if (process.env.BUNZMQ_PGM_NETNS !== "1") {
  const setup = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo";
  const inner = Bun.spawnSync(["unshare", "-n", "sh", "-c", `${setup} && exec "$0" "$@"`, process.execPath, import.meta.path, ...args], {
    env: { ...process.env, BUNZMQ_PGM_NETNS: "1" },
    stdout: "inherit",
    stderr: "inherit",
  });
  if (inner.exitCode !== 0) console.error("pgm-carriers bench: could not run in a network namespace (unshare -n needs root)");
  process.exit(inner.exitCode ?? 1);
}

type Carrier = "raw" | "udp";
const options = (port: number) => ({
  group: GROUP,
  port,
  interfaceAddress: "127.0.0.1",
  hops: 1,
  loop: true,
  sendBufferSize: 4 << 20,
  receiveBufferSize: 8 << 20,
});

/** The carrier's socket on `port`, as a sender to the group and a closer. */
function open(carrier: Carrier, port: number, onDatagram: () => void): { toGroup(bytes: Uint8Array): void; close(): void } {
  const fail = (error: Error) => {
    console.error(error);
    process.exit(1);
  };
  if (carrier === "raw") {
    const raw = new RawMulticastSocket({ ...options(port), protocol: 113, endpoint: `pgm://${GROUP}:${port}` }, onDatagram, fail);
    return { toGroup: (bytes) => raw.send(bytes, "group"), close: () => raw.close() };
  }
  const udp = new UdpSocket({ ...options(port), bindAddress: "0.0.0.0" }, onDatagram, fail);
  return { toGroup: (bytes) => udp.send(bytes, GROUP, port), close: () => udp.close() };
}

if (child) {
  // The child: N datagrams, 100 per millisecond, then exit.
  const [, carrier, portText, countText] = args as [string, Carrier, string, string];
  const socket = open(carrier, Number(portText), () => {});
  const datagram = new Uint8Array(PAYLOAD).fill(0x64);
  // Let a UDP socket's bind complete first (its sends queue until then).
  await Bun.sleep(50);
  for (let sent = 0; sent < Number(countText); ) {
    for (let i = 0; i < 100; i++, sent++) socket.toGroup(datagram);
    await Bun.sleep(1);
  }
  socket.close();
  process.exit(0);
}

async function row(carrier: Carrier, port: number): Promise<void> {
  let received = 0;
  const socket = open(carrier, port, () => void received++);
  await Bun.sleep(100);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const sender = Bun.spawn([process.execPath, import.meta.path, "send", carrier, String(port), String(COUNT)], { stdout: "inherit" });
  await sender.exited;
  // What is still in the socket's buffer arrives within moments.
  await Bun.sleep(200);
  const ms = performance.now() - started - 200;
  const used = process.cpuUsage(cpu);
  socket.close();
  const perDatagram = (used.user + used.system) / Math.max(received, 1);
  const name = carrier === "raw" ? "raw IP (pgm://), Bun.file(fd).stream()" : "UDP (epgm://), node:dgram";
  console.log(
    `${name.padEnd(40)} ${String(received).padStart(8)} / ${COUNT}  ${perDatagram.toFixed(2).padStart(6)} µs CPU each  ${ms.toFixed(0)} ms`,
  );
}

console.log(`Receiving ${COUNT} datagrams of ${PAYLOAD} B sent at 100 per ms (Bun ${Bun.version})`);
console.log(`${"carrier".padEnd(40)} received / sent    receiver CPU       wall`);
const base = 7000 + Math.floor(Math.random() * 1000);
await row("raw", base);
await row("udp", base + 1);
process.exit(0);

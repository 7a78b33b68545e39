// Small network probes to run inside a link's namespaces (the fixture's own tests, and anyone
// checking what crosses the link, multicast included). Each prints JSON lines and, when it serves,
// exits once its stdin closes. Imports Bun, node:dgram and common/read-lines.ts.
//   bun probe.ts tcp-echo <address>                 listen on <address>:0, report "listening" {port}, echo
//   bun probe.ts tcp-roundtrip <address> <port> <n> send n bytes, report "result" {connectMs, roundTripMs, intact, doneAt}
//   bun probe.ts tcp-lines <address> <port>         connect, report "connected", send each stdin line, report "echo" {text, at} per line back
//   bun probe.ts udp-join <group> <address>         join <group> on <address>'s device, report "joined" {port}, then "datagram" {text, from}
//   bun probe.ts udp-send <group> <port> <count>    send <count> datagrams "0".."count-1" to <group>:<port>

import dgram from "node:dgram";
import type { Socket } from "bun";
import { readLines } from "../../../common/read-lines.ts";

const print = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
const exitWithStdin = async () => {
  for await (const _ of Bun.stdin.stream());
  process.exit(0);
};

/** Writes everything, resending on drain what the kernel did not take (bun-notes §1.1). */
class Writer {
  readonly #queue: Uint8Array[] = [];
  constructor(readonly socket: Socket<unknown>) {}
  write(bytes: Uint8Array): void {
    this.#queue.push(bytes);
    this.flush();
  }
  flush(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const written = this.socket.write(head, 0, head.length);
      if (written < head.length) {
        this.#queue[0] = head.subarray(Math.max(0, written));
        return;
      }
      this.#queue.shift();
    }
  }
}

async function tcpEcho(address: string): Promise<void> {
  const listener = Bun.listen<Writer>({
    hostname: address,
    port: 0,
    socket: {
      open: (socket) => void (socket.data = new Writer(socket)),
      data: (socket, chunk) => socket.data.write(chunk),
      drain: (socket) => socket.data.flush(),
    },
  });
  print({ event: "listening", port: listener.port });
  await exitWithStdin();
}

async function tcpRoundTrip(address: string, port: number, bytes: number): Promise<void> {
  const payload = new Uint8Array(bytes).map((_, i) => (i * 7) & 0xff);
  const received = new Uint8Array(bytes);
  let got = 0;
  const started = performance.now();
  const done = Promise.withResolvers<void>();
  const socket = await Bun.connect<Writer>({
    hostname: address,
    port,
    socket: {
      open: (s) => void (s.data = new Writer(s)),
      data: (_s, chunk) => {
        received.set(chunk.subarray(0, bytes - got), got);
        got += chunk.length;
        if (got >= bytes) done.resolve();
      },
      drain: (s) => s.data.flush(),
      close: () => done.reject(new Error(`closed after ${got} of ${bytes} bytes`)),
    },
  });
  const connectMs = performance.now() - started;
  socket.data.write(payload);
  await done.promise;
  print({
    event: "result",
    connectMs,
    roundTripMs: performance.now() - started - connectMs,
    intact: received.every((b, i) => b === payload[i]),
    doneAt: performance.timeOrigin + performance.now(),
  });
  socket.end();
}

async function tcpLines(address: string, port: number): Promise<void> {
  let pending = "";
  const socket = await Bun.connect<Writer>({
    hostname: address,
    port,
    socket: {
      open: (s) => void (s.data = new Writer(s)),
      data: (_s, chunk) => {
        pending += new TextDecoder().decode(chunk);
        for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
          print({ event: "echo", text: pending.slice(0, newline), at: performance.timeOrigin + performance.now() });
          pending = pending.slice(newline + 1);
        }
      },
      drain: (s) => s.data.flush(),
    },
  });
  print({ event: "connected" });
  for await (const line of readLines(Bun.stdin.stream())) {
    socket.data.write(new TextEncoder().encode(`${line}\n`));
    print({ event: "sent", text: line, at: performance.timeOrigin + performance.now() });
  }
  process.exit(0);
}

async function udpJoin(group: string, address: string): Promise<void> {
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
  socket.on("message", (message, from) => print({ event: "datagram", text: message.toString(), from: from.address }));
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  socket.addMembership(group, address);
  print({ event: "joined", port: socket.address().port });
  await exitWithStdin();
}

async function udpSend(group: string, port: number, count: number): Promise<void> {
  const socket = dgram.createSocket("udp4");
  for (let i = 0; i < count; i++)
    await new Promise<void>((resolve, reject) => socket.send(String(i), port, group, (e) => (e ? reject(e) : resolve())));
  socket.close();
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "tcp-echo") await tcpEcho(args[0]!);
else if (mode === "tcp-roundtrip") await tcpRoundTrip(args[0]!, Number(args[1]), Number(args[2]));
else if (mode === "tcp-lines") await tcpLines(args[0]!, Number(args[1]));
else if (mode === "udp-join") await udpJoin(args[0]!, args[1]!);
else if (mode === "udp-send") await udpSend(args[0]!, Number(args[1]), Number(args[2]));
else {
  console.error("usage: bun probe.ts tcp-echo|tcp-roundtrip|tcp-lines|udp-join|udp-send ... (see the header)");
  process.exit(2);
}

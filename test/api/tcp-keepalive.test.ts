// tcpKeepalive, tcpKeepaliveCount, tcpKeepaliveIdle, tcpKeepaliveInterval: validated as libzmq does,
// and applied to both ends of real TCP connections as libzmq applies them (only what is set). The
// kernel's view is read back with getsockopt(2) over bun:ffi on every socket this process holds, and
// a connection is recognised by the distinctive idle time the test gives it.

import { describe, expect, test } from "bun:test";
import { dlopen, FFIType, ptr } from "bun:ffi";
import { readdirSync } from "node:fs";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";

const cleanup = useCleanup();
const linux = process.platform === "linux";

interface Keepalive {
  on: number;
  idle: number;
  interval: number;
  count: number;
}

/** SO_KEEPALIVE and the TCP_KEEP* values of every TCP socket this process has open. */
function keepaliveOfOpenSockets(): Keepalive[] {
  const libc = dlopen("libc.so.6", {
    getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  });
  const value = new Int32Array(1);
  const length = new Uint32Array(1);
  const read = (fd: number, level: number, name: number): number | null => {
    length[0] = 4;
    return libc.symbols.getsockopt(fd, level, name, ptr(value), ptr(length)) === 0 ? value[0]! : null;
  };
  const found: Keepalive[] = [];
  for (const entry of readdirSync("/proc/self/fd")) {
    const fd = Number(entry);
    const on = read(fd, 1, 9); // SOL_SOCKET, SO_KEEPALIVE
    const idle = read(fd, 6, 4); // IPPROTO_TCP, TCP_KEEPIDLE: null for non-TCP descriptors
    if (on === null || idle === null) continue;
    found.push({ on, idle, interval: read(fd, 6, 5)!, count: read(fd, 6, 6)! });
  }
  libc.close();
  return found;
}

async function connectedPair(options: Record<string, number>): Promise<void> {
  const pull = cleanup.track(new Pull({ linger: 0, ...options }));
  const push = cleanup.track(new Push({ linger: 0, ...options }));
  const pushLog = new EventLog(push);
  const pullLog = new EventLog(pull);
  await pull.bind(TCP_ANY);
  push.connect(pull.lastEndpoint!);
  await pushLog.waitFor("handshake");
  await pullLog.waitFor("handshake");
}

describe("tcpKeepalive options", () => {
  test("default to -1 (the OS default) and refuse what libzmq refuses", () => {
    const push = cleanup.track(new Push());
    expect([push.tcpKeepalive, push.tcpKeepaliveCount, push.tcpKeepaliveIdle, push.tcpKeepaliveInterval]).toEqual([-1, -1, -1, -1]);
    expect(() => (push.tcpKeepalive = 2)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => (push.tcpKeepaliveIdle = -2)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    push.tcpKeepaliveInterval = 0;
    expect(push.tcpKeepaliveInterval).toBe(0);
  });

  test.skipIf(!linux)("tcpKeepalive 1 with count, idle and interval reaches both ends of a connection", async () => {
    await connectedPair({ tcpKeepalive: 1, tcpKeepaliveIdle: 4321, tcpKeepaliveInterval: 17, tcpKeepaliveCount: 5 });
    const tuned = keepaliveOfOpenSockets().filter((k) => k.idle === 4321);
    expect(tuned).toEqual([
      { on: 1, idle: 4321, interval: 17, count: 5 },
      { on: 1, idle: 4321, interval: 17, count: 5 },
    ]);
  });

  test.skipIf(!linux)("what is left at -1 keeps the OS default, and tcpKeepalive -1 applies nothing at all", async () => {
    const before = keepaliveOfOpenSockets();
    const osDefault = before.find((k) => k.on === 0) ?? null;
    await connectedPair({ tcpKeepalive: 1, tcpKeepaliveIdle: 4322 });
    const tuned = keepaliveOfOpenSockets().filter((k) => k.idle === 4322);
    expect(tuned.length).toBe(2);
    for (const k of tuned) {
      expect(k.on).toBe(1);
      if (osDefault !== null) expect([k.interval, k.count]).toEqual([osDefault.interval, osDefault.count]);
    }
    await connectedPair({ tcpKeepalive: -1, tcpKeepaliveIdle: 4323 });
    expect(keepaliveOfOpenSockets().filter((k) => k.idle === 4323)).toEqual([]);
  });
});

// zapDomain on NULL sockets and zapEnforceDomain (ZMQ_ZAP_ENFORCE_DOMAIN), side by side with libzmq
// 4.3.4 in the same set-ups: a NULL socket with a ZAP domain has each peer judged (a ZAP request with
// mechanism "NULL"); with zapEnforceDomain a domain without a handler fails the handshake (EFAULT),
// and a CURVE server without a domain asks no ZAP handler at all.

import { describe, expect, test } from "bun:test";
import type { LibzmqContext, LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Context, Pull, Push, Reply } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { CLIENT_OPTIONS, SERVER_OPTIONS, libzmqCurveClient, libzmqCurveServer } from "../helpers/curve.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog, type RecordedEvent } from "../helpers/events.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const ZAP = "inproc://zeromq.zap.01";
const EFAULT = 14;
const text = (message: Buffer[]): string[] => message.map(String);
const statusOf = (event: RecordedEvent): unknown => (event.error as { status?: number } | undefined)?.status;

/** A ZAP handler in a fresh bunzmq Context answering every request with `status`; returns the requests. */
async function ourZapHandler(status: string): Promise<{ context: Context; requests: string[][] }> {
  const context = new Context();
  const zap = cleanup.track(new Reply({ linger: 0, context }));
  await zap.bind(ZAP);
  const requests: string[][] = [];
  void (async () => {
    for await (const request of zap) {
      requests.push(text(request));
      await zap.send(["1.0", request[1]!, status, "", "", ""]);
    }
  })();
  return { context, requests };
}

/** A libzmq ZAP handler (REP) in `context` answering every request with `status` while the test runs. */
function libzmqZapHandler(context: LibzmqContext, status: string): string[][] {
  const zap = context.socket(ZMQ.REP);
  zap.bind(ZAP);
  const requests: string[][] = [];
  const timer = setInterval(() => {
    if (zap.closed) return clearInterval(timer);
    const request = zap.tryReceive();
    if (request === null) return;
    requests.push(text(request));
    zap.trySend(["1.0", request[1]!, status, "", "", ""]);
  }, 2);
  cleanup.add(() => clearInterval(timer));
  return requests;
}

function monitored(socket: LibzmqSocket) {
  const monitor = socket.monitor();
  cleanup.add(() => monitor.close());
  return monitor;
}

describe("zapDomain on NULL sockets", () => {
  test("our bound PULL asks its ZAP handler about a libzmq PUSH (mechanism NULL, no credentials); 200 lets it in", async () => {
    const { context, requests } = await ourZapHandler("200");
    const pull = cleanup.track(new Pull({ linger: 0, context, zapDomain: "global" }));
    await pull.bind(TCP_ANY);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint!);
    await push.send(["judged"]);
    expect(text(await withTimeout(pull.receive(), 5000, "the message after ZAP 200"))).toEqual(["judged"]);
    expect(requests).toEqual([["1.0", "1", "global", "127.0.0.1", "", "NULL"]]);
  });

  test("ZAP 400 sends ERROR instead of READY: libzmq reports HANDSHAKE_FAILED_AUTH 400, as ours does the other way", async () => {
    const { context } = await ourZapHandler("400");
    const pull = cleanup.track(new Pull({ linger: 0, context, zapDomain: "global" }));
    const pullLog = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    const monitor = monitored(push);
    push.connect(pull.lastEndpoint!);
    expect((await monitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
    expect(statusOf(await pullLog.waitFor("handshake:error:auth"))).toBe(400);

    const theirs = cleanup.libzmq();
    libzmqZapHandler(theirs, "400");
    const server = theirs.socket(ZMQ.PULL);
    server.setBytes(ZMQ.ZAP_DOMAIN, "global");
    server.bind(TCP_ANY);
    const ours = cleanup.track(new Push({ linger: 0 }));
    const log = new EventLog(ours);
    ours.connect(server.lastEndpoint);
    expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(400);
  });
});

describe("zapEnforceDomain", () => {
  test("defaults to false and takes booleans only", () => {
    const pull = cleanup.track(new Pull());
    expect(pull.zapEnforceDomain).toBe(false);
    pull.zapEnforceDomain = true;
    expect(pull.zapEnforceDomain).toBe(true);
    expect(() => ((pull as unknown as { zapEnforceDomain: unknown }).zapEnforceDomain = 1)).toThrow(
      new TypeError("Option value must be a boolean"),
    );
  });

  test("NULL with a domain and no handler: enforced, the handshake fails with EFAULT as libzmq's does; not enforced, it passes", async () => {
    const server = cleanup.libzmq().socket(ZMQ.PULL);
    server.setBytes(ZMQ.ZAP_DOMAIN, "global");
    server.setInt(ZMQ.ZAP_ENFORCE_DOMAIN, 1);
    const theirMonitor = monitored(server);
    server.bind(TCP_ANY);
    const toThem = cleanup.track(new Push({ linger: 0 }));
    toThem.connect(server.lastEndpoint);
    expect((await theirMonitor.waitFor("HANDSHAKE_FAILED_NO_DETAIL")).value).toBe(EFAULT);

    const pull = cleanup.track(new Pull({ linger: 0, zapDomain: "global", zapEnforceDomain: true }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    push.connect(pull.lastEndpoint!);
    expect((await log.waitFor("handshake:error:other")).error?.code).toBe("EFAULT");
    expect(log.count("handshake")).toBe(0);

    pull.zapEnforceDomain = false;
    await push.send(["unauthenticated, as libzmq allows without enforcement"]);
    expect(text(await withTimeout(pull.receive(), 5000, "a message once not enforced"))).toHaveLength(1);
  });

  test("a CURVE server without a domain asks no ZAP handler when enforced (libzmq's too), and asks it when not", async () => {
    for (const enforce of [true, false]) {
      const theirs = cleanup.libzmq();
      const theirRequests = libzmqZapHandler(theirs, "400");
      const server = libzmqCurveServer(theirs, ZMQ.PULL);
      server.setInt(ZMQ.ZAP_ENFORCE_DOMAIN, enforce ? 1 : 0);
      const theirMonitor = monitored(server);
      server.bind(TCP_ANY);
      const toThem = cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS }));
      toThem.connect(server.lastEndpoint);

      const { context, requests } = await ourZapHandler("400");
      const pull = cleanup.track(new Pull({ linger: 0, context, ...SERVER_OPTIONS, zapEnforceDomain: enforce }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      libzmqCurveClient(cleanup.libzmq(), ZMQ.PUSH).connect(pull.lastEndpoint!);

      if (enforce) {
        await theirMonitor.waitFor("HANDSHAKE_SUCCEEDED");
        await log.waitFor("handshake");
        expect([theirRequests.length, requests.length]).toEqual([0, 0]);
      } else {
        expect((await theirMonitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
        expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(400);
        expect([theirRequests.length, requests.length]).toEqual([1, 1]);
      }
    }
  });

  test("a CURVE server with a domain but no handler fails the handshake with EFAULT when enforced, as libzmq's does", async () => {
    const server = libzmqCurveServer(cleanup.libzmq(), ZMQ.PULL);
    server.setBytes(ZMQ.ZAP_DOMAIN, "global");
    server.setInt(ZMQ.ZAP_ENFORCE_DOMAIN, 1);
    const theirMonitor = monitored(server);
    server.bind(TCP_ANY);
    cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS })).connect(server.lastEndpoint);
    expect((await theirMonitor.waitFor("HANDSHAKE_FAILED_NO_DETAIL")).value).toBe(EFAULT);

    const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS, zapDomain: "global", zapEnforceDomain: true }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    libzmqCurveClient(cleanup.libzmq(), ZMQ.PUSH).connect(pull.lastEndpoint!);
    expect((await log.waitFor("handshake:error:other")).error?.code).toBe("EFAULT");
  });

  test("a PLAIN server enforced without a domain asks no ZAP handler and refuses with EFAULT (libzmq 4.3.4 aborts there)", async () => {
    const { context, requests } = await ourZapHandler("200");
    const pull = cleanup.track(new Pull({ linger: 0, context, plainServer: true, zapEnforceDomain: true }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    push.setBytes(ZMQ.PLAIN_USERNAME, "user");
    push.setBytes(ZMQ.PLAIN_PASSWORD, "pass");
    push.connect(pull.lastEndpoint!);
    expect((await log.waitFor("handshake:error:other")).error?.code).toBe("EFAULT");
    expect(requests).toEqual([]);
  });
});

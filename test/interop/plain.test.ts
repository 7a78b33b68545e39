// PLAIN (RFC 24) and ZAP (RFC 27) between bunzmq and libzmq 4.3.4, both roles (zmtp-notes §5.1,
// §5.3, §9 item 19). A libzmq server authenticates through a libzmq REP at inproc://zeromq.zap.01 in
// its own context, answered from the test by polling; a bunzmq server through its authenticate
// option or a bunzmq Reply at the same name in its Context.

import { describe, expect, test } from "bun:test";
import type { LibzmqContext, LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Context, Pull, Push, Reply, Request } from "../../src/index.ts";
import type { AuthenticateRequest } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog, type RecordedEvent } from "../helpers/events.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const ZAP = "inproc://zeromq.zap.01";
const text = (message: Buffer[]): string[] => message.map(String);
const statusOf = (event: RecordedEvent): unknown => (event.error as { status?: number } | undefined)?.status;

/** A libzmq PULL PLAIN server with a ZAP handler (REP) bound in the same libzmq context. */
function libzmqPlainServer(domain = ""): { context: LibzmqContext; server: LibzmqSocket; zap: LibzmqSocket } {
  const context = cleanup.libzmq();
  const zap = context.socket(ZMQ.REP);
  zap.bind(ZAP);
  const server = context.socket(ZMQ.PULL);
  server.setInt(ZMQ.PLAIN_SERVER, 1);
  if (domain !== "") server.setBytes(ZMQ.ZAP_DOMAIN, domain);
  server.bind(TCP_ANY);
  return { context, server, zap };
}

/** Answers one ZAP request on a libzmq REP with `status`; returns the request's frames. */
async function answerZap(zap: LibzmqSocket, status: string): Promise<string[]> {
  const request = text(await zap.receive());
  await zap.send(["1.0", request[1]!, status, status === "200" ? "OK" : "denied", "", ""]);
  return request;
}

function libzmqPlainClient(type: number, endpoint: string, username: string, password: string): LibzmqSocket {
  const client = cleanup.libzmq().socket(type);
  client.setBytes(ZMQ.PLAIN_USERNAME, username);
  client.setBytes(ZMQ.PLAIN_PASSWORD, password);
  client.connect(endpoint);
  return client;
}

describe("bunzmq PLAIN client to libzmq PLAIN server", () => {
  test("connects once libzmq's ZAP handler answers 200, and the request carries RFC 27's frames", async () => {
    const { server, zap } = libzmqPlainServer("global");
    const monitor = server.monitor();
    cleanup.add(() => monitor.close());
    const push = cleanup.track(new Push({ linger: 0, plainUsername: "admin", plainPassword: "secret" }));
    expect(push.securityMechanism).toBe("plain");
    const log = new EventLog(push);
    push.connect(server.lastEndpoint);
    // RFC 27: version, request id, domain, address (no port), identity, mechanism, credentials.
    expect(await answerZap(zap, "200")).toEqual(["1.0", "1", "global", "127.0.0.1", "", "PLAIN", "admin", "secret"]);
    await log.waitFor("handshake");
    await push.send(["over", "plain"]);
    expect(text(await server.receive())).toEqual(["over", "plain"]);
    await monitor.waitFor("HANDSHAKE_SUCCEEDED");
  });

  test("a 400 from libzmq's ZAP handler reaches the client as handshake:error:auth with status 400", async () => {
    const { server, zap } = libzmqPlainServer();
    const monitor = server.monitor();
    cleanup.add(() => monitor.close());
    const push = cleanup.track(new Push({ linger: 0, plainUsername: "admin", plainPassword: "wrong" }));
    const log = new EventLog(push);
    push.connect(server.lastEndpoint);
    await push.send("must never arrive");
    await answerZap(zap, "400");
    const failure = await log.waitFor("handshake:error:auth");
    expect(statusOf(failure)).toBe(400);
    expect((await monitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
    expect(log.count("handshake")).toBe(0);
    expect(server.tryReceive()).toBeNull();
  });

  test("a libzmq PLAIN server without a ZAP handler refuses the client: it reports EFAULT and the handshake never completes", async () => {
    const context = cleanup.libzmq();
    const server = context.socket(ZMQ.PULL);
    server.setInt(ZMQ.PLAIN_SERVER, 1);
    server.bind(TCP_ANY);
    const monitor = server.monitor();
    cleanup.add(() => monitor.close());
    const push = cleanup.track(new Push({ linger: 0, plainUsername: "admin", plainPassword: "secret" }));
    const log = new EventLog(push);
    push.connect(server.lastEndpoint);
    expect(push.trySend("never delivered")).toBe(true);
    // libzmq 4.3.4 reports HANDSHAKE_FAILED_NO_DETAIL with EFAULT (14): what our server does too.
    expect((await monitor.waitFor("HANDSHAKE_FAILED_NO_DETAIL")).value).toBe(14);
    // libzmq 4.3.4 does not always close the connection after this failure: in about one full-suite
    // run in ten our side saw no close within 12 s of the monitor event. Either way the handshake
    // cannot complete, because only the server's WELCOME would let it, so that is what is checked.
    expect(log.count("handshake")).toBe(0);
    expect(server.tryReceive()).toBeNull();
  });
});

describe("libzmq PLAIN client to bunzmq PLAIN server", () => {
  test("the authenticate option accepts: messages flow and it saw the credentials", async () => {
    const seen: AuthenticateRequest[] = [];
    const pull = cleanup.track(
      new Pull({
        linger: 0,
        plainServer: true,
        zapDomain: "d1",
        authenticate: (request) => {
          seen.push(request);
          return Promise.resolve(request.mechanism === "PLAIN" && request.username === "admin" && request.password === "secret");
        },
      }),
    );
    expect(pull.plainServer).toBe(true);
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = libzmqPlainClient(ZMQ.PUSH, pull.lastEndpoint!, "admin", "secret");
    await push.send(["hello", "plain"]);
    expect(text(await withTimeout(pull.receive(), 5000, "a message over PLAIN"))).toEqual(["hello", "plain"]);
    expect(seen).toEqual([{ mechanism: "PLAIN", username: "admin", password: "secret", address: "127.0.0.1", domain: "d1" }]);
    expect(log.count("handshake")).toBe(1);
  });

  test("the authenticate option refuses: handshake:error:auth 400, libzmq reads the ERROR, nothing is delivered", async () => {
    const pull = cleanup.track(new Pull({ linger: 0, plainServer: true, authenticate: () => false }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = libzmqPlainClient(ZMQ.PUSH, pull.lastEndpoint!, "admin", "nope");
    const monitor = push.monitor();
    cleanup.add(() => monitor.close());
    expect(push.trySend(["must never arrive"])).toBe(true);
    expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(400);
    expect((await monitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
    expect(pull.tryReceive()).toBeNull();
    expect(log.count("handshake")).toBe(0);
  });

  test("a bunzmq ZAP handler (Reply at inproc://zeromq.zap.01 in the same Context) decides", async () => {
    const context = new Context();
    const zap = cleanup.track(new Reply({ linger: 0, context }));
    await zap.bind(ZAP);
    const pull = cleanup.track(new Pull({ linger: 0, context, plainServer: true, zapDomain: "dom" }));
    await pull.bind(TCP_ANY);
    const push = libzmqPlainClient(ZMQ.PUSH, pull.lastEndpoint!, "user", "pw");
    const request = text(await withTimeout(zap.receive(), 5000, "a ZAP request"));
    expect(request).toEqual(["1.0", "1", "dom", "127.0.0.1", "", "PLAIN", "user", "pw"]);
    await zap.send(["1.0", request[1]!, "200", "OK", "user", ""]);
    await push.send(["via zap"]);
    expect(text(await withTimeout(pull.receive(), 5000, "a message after ZAP 200"))).toEqual(["via zap"]);
  });

  test("a bunzmq ZAP handler's 300 closes without ERROR and reports handshake:error:auth 300", async () => {
    const context = new Context();
    const zap = cleanup.track(new Reply({ linger: 0, context }));
    await zap.bind(ZAP);
    const pull = cleanup.track(new Pull({ linger: 0, context, plainServer: true }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = libzmqPlainClient(ZMQ.PUSH, pull.lastEndpoint!, "user", "pw");
    const monitor = push.monitor();
    cleanup.add(() => monitor.close());
    const request = text(await withTimeout(zap.receive(), 5000, "a ZAP request"));
    await zap.send(["1.0", request[1]!, "300", "try later", "", ""]);
    expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(300);
    await monitor.waitFor("DISCONNECTED");
    // No ERROR crossed, so libzmq's client saw a plain disconnect, not an auth failure.
    expect(monitor.count("HANDSHAKE_FAILED_AUTH")).toBe(0);
  });

  test("with neither a ZAP handler nor authenticate the client is dropped with handshake:error:other EFAULT", async () => {
    const pull = cleanup.track(new Pull({ linger: 0, plainServer: true }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = libzmqPlainClient(ZMQ.PUSH, pull.lastEndpoint!, "user", "pw");
    expect(push.trySend(["must never arrive"])).toBe(true);
    expect((await log.waitFor("handshake:error:other")).error?.code).toBe("EFAULT");
    expect(pull.tryReceive()).toBeNull();
  });
});

describe("REQ/REP over PLAIN", () => {
  test("libzmq REQ (PLAIN client) and bunzmq REP (PLAIN server) exchange 100 round trips", async () => {
    const rep = cleanup.track(
      new Reply({ linger: 0, plainServer: true, authenticate: (r) => r.mechanism === "PLAIN" && r.password === "pw" }),
    );
    await rep.bind(TCP_ANY);
    const req = libzmqPlainClient(ZMQ.REQ, rep.lastEndpoint!, "u", "pw");
    for (let i = 0; i < 100; i++) {
      await req.send(["q", String(i)]);
      expect(text(await withTimeout(rep.receive(), 5000, "a request"))).toEqual(["q", String(i)]);
      await rep.send(["r", String(i)]);
      expect(text(await req.receive())).toEqual(["r", String(i)]);
    }
  });

  test("bunzmq REQ (PLAIN client) and libzmq REP (PLAIN server, libzmq ZAP) exchange round trips", async () => {
    const context = cleanup.libzmq();
    const zap = context.socket(ZMQ.REP);
    zap.bind(ZAP);
    const rep = context.socket(ZMQ.REP);
    rep.setInt(ZMQ.PLAIN_SERVER, 1);
    rep.bind(TCP_ANY);
    const req = cleanup.track(new Request({ linger: 0, plainUsername: "u", plainPassword: "pw" }));
    req.connect(rep.lastEndpoint);
    await answerZap(zap, "200");
    for (let i = 0; i < 100; i++) {
      await req.send(["q", String(i)]);
      expect(text(await rep.receive())).toEqual(["q", String(i)]);
      await rep.send(["r", String(i)]);
      expect(text(await withTimeout(req.receive(), 5000, "a reply"))).toEqual(["r", String(i)]);
    }
  });
});

// libzmq checks the mechanism as soon as it holds our whole greeting and closes before its own
// greeting is complete, so the bunzmq side sees only a disconnect; libzmq reports the mismatch.
const MECHANISM_MISMATCH = 0x11000002;

describe("mechanism mismatch", () => {
  test("a bunzmq NULL client and a libzmq PLAIN server: libzmq reports the mismatch, nothing is delivered", async () => {
    const { server } = libzmqPlainServer();
    const monitor = server.monitor();
    cleanup.add(() => monitor.close());
    const push = cleanup.track(new Push({ linger: 0 }));
    const log = new EventLog(push);
    push.connect(server.lastEndpoint);
    await push.send("never");
    expect((await monitor.waitFor("HANDSHAKE_FAILED_PROTOCOL")).value).toBe(MECHANISM_MISMATCH);
    await log.waitFor("disconnect");
    expect(log.count("handshake")).toBe(0);
    expect(server.tryReceive()).toBeNull();
  });

  test("a libzmq NULL client and a bunzmq PLAIN server: libzmq reports the mismatch, nothing is delivered", async () => {
    const pull = cleanup.track(new Pull({ linger: 0, plainServer: true, authenticate: () => true }));
    const log = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    const monitor = push.monitor();
    cleanup.add(() => monitor.close());
    push.connect(pull.lastEndpoint!);
    expect(push.trySend(["never"])).toBe(true);
    expect((await monitor.waitFor("HANDSHAKE_FAILED_PROTOCOL")).value).toBe(MECHANISM_MISMATCH);
    await log.waitFor("disconnect");
    expect(log.count("handshake")).toBe(0);
    expect(pull.tryReceive()).toBeNull();
  });
});

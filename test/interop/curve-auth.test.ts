// CURVE authentication and failures between bunzmq and libzmq 4.3.4 (zmtp-notes §5.2, §5.3, §9 items
// 20-21): ZAP requests carry the client's 32-byte permanent key; a libzmq ZAP handler (REP at
// inproc://zeromq.zap.01 in libzmq's context), our authenticate option and a bunzmq Reply at the same
// name in our Context each decide; a wrong server key fails the handshake in both directions.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Context, curveKeyPair, Pull, Push, Reply } from "../../src/index.ts";
import { z85Decode } from "../../src/extras.ts";
import type { AuthenticateRequest } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import {
  CLIENT,
  CLIENT_OPTIONS,
  libzmqCurveClient,
  libzmqCurveServer,
  PROTOCOL_ERROR_CRYPTOGRAPHIC,
  SERVER,
  SERVER_OPTIONS,
} from "../helpers/curve.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog, type RecordedEvent } from "../helpers/events.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
const ZAP = "inproc://zeromq.zap.01";
const ECONNRESET = 104;
const text = (message: Buffer[]): string[] => message.map(String);
const statusOf = (event: RecordedEvent): unknown => (event.error as { status?: number } | undefined)?.status;

function receive(pull: Pull, what: string): Promise<Buffer[]> {
  return withTimeout(pull.receive(), 5000, what);
}

/** A libzmq PULL CURVE server with a libzmq ZAP handler (REP) bound in the same libzmq context. */
function libzmqServerWithZap(domain = ""): { server: LibzmqSocket; zap: LibzmqSocket } {
  const context = cleanup.libzmq();
  const zap = context.socket(ZMQ.REP);
  zap.bind(ZAP);
  const server = libzmqCurveServer(context, ZMQ.PULL);
  if (domain !== "") server.setBytes(ZMQ.ZAP_DOMAIN, domain);
  server.bind(TCP_ANY);
  return { server, zap };
}

/** Answers one ZAP request on a libzmq REP with `status`; returns the request's frames. */
async function answerZap(zap: LibzmqSocket, status: string): Promise<Buffer[]> {
  const request = await zap.receive();
  await zap.send(["1.0", request[1]!, status, status === "200" ? "OK" : "denied", "", ""]);
  return request;
}

/** A libzmq PUSH CURVE client (CLIENT's keys) connected to `endpoint`, with its monitor. */
function libzmqPush(endpoint: string, serverKey: string = SERVER.publicKey) {
  const push = libzmqCurveClient(cleanup.libzmq(), ZMQ.PUSH, { serverKey });
  const monitor = push.monitor();
  cleanup.add(() => monitor.close());
  push.connect(endpoint);
  return { push, monitor };
}

describe("bunzmq CURVE client, libzmq CURVE server with a libzmq ZAP handler", () => {
  test(
    "ZAP 200: the request carries RFC 27's frames with our 32-byte public key, then messages flow",
    async () => {
      const { server, zap } = libzmqServerWithZap("curve-domain");
      const push = cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS }));
      const log = new EventLog(push);
      push.connect(server.lastEndpoint);
      const request = await answerZap(zap, "200");
      expect(request.length).toBe(7);
      // version, request id, domain, address (no port), identity (the server's own, empty), mechanism.
      expect(text(request.slice(0, 6))).toEqual(["1.0", "1", "curve-domain", "127.0.0.1", "", "CURVE"]);
      expect(request[6]!.length).toBe(32);
      expect(request[6]!.equals(Buffer.from(z85Decode(CLIENT.publicKey)!))).toBe(true);
      await log.waitFor("handshake");
      await push.send(["over", "curve"]);
      expect(text(await server.receive())).toEqual(["over", "curve"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "ZAP 400: we get handshake:error:auth with status 400 and nothing is delivered",
    async () => {
      const { server, zap } = libzmqServerWithZap();
      const monitor = server.monitor();
      cleanup.add(() => monitor.close());
      const push = cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS }));
      const log = new EventLog(push);
      push.connect(server.lastEndpoint);
      await push.send("must never arrive");
      await answerZap(zap, "400");
      expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(400);
      expect((await monitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
      expect(log.count("handshake")).toBe(0);
      expect(server.tryReceive()).toBeNull();
    },
    TEST_TIMEOUT,
  );
});

describe("libzmq CURVE client, bunzmq CURVE server", () => {
  test(
    "the authenticate option sees the client's public key as Z85 and accepts",
    async () => {
      const seen: AuthenticateRequest[] = [];
      const pull = cleanup.track(
        new Pull({
          linger: 0,
          ...SERVER_OPTIONS,
          zapDomain: "dom",
          authenticate: (request) => {
            seen.push(request);
            return request.mechanism === "CURVE" && request.publicKey === CLIENT.publicKey;
          },
        }),
      );
      await pull.bind(TCP_ANY);
      const { push, monitor } = libzmqPush(pull.lastEndpoint!);
      await push.send(["hello", "curve"]);
      expect(text(await receive(pull, "a message over CURVE"))).toEqual(["hello", "curve"]);
      expect(seen).toEqual([{ mechanism: "CURVE", publicKey: CLIENT.publicKey, address: "127.0.0.1", domain: "dom" }]);
      await monitor.waitFor("HANDSHAKE_SUCCEEDED");
    },
    TEST_TIMEOUT,
  );

  test(
    "the authenticate option refuses: handshake:error:auth 400 here, HANDSHAKE_FAILED_AUTH 400 at libzmq",
    async () => {
      const keys: string[] = [];
      const pull = cleanup.track(
        new Pull({
          linger: 0,
          ...SERVER_OPTIONS,
          authenticate: (request) => {
            if (request.mechanism === "CURVE") keys.push(request.publicKey);
            return Promise.resolve(false);
          },
        }),
      );
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const { push, monitor } = libzmqPush(pull.lastEndpoint!);
      expect(push.trySend(["must never arrive"])).toBe(true);
      expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(400);
      expect((await monitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
      expect(keys[0]).toBe(CLIENT.publicKey);
      expect(log.count("handshake")).toBe(0);
      expect(pull.tryReceive()).toBeNull();
    },
    TEST_TIMEOUT,
  );

  for (const status of ["200", "400"] as const) {
    test(
      `a bunzmq ZAP handler (Reply at ${ZAP} in the same Context) answers ${status}`,
      async () => {
        const context = new Context();
        const zap = cleanup.track(new Reply({ linger: 0, context }));
        await zap.bind(ZAP);
        const pull = cleanup.track(new Pull({ linger: 0, context, ...SERVER_OPTIONS, zapDomain: "zd" }));
        const log = new EventLog(pull);
        await pull.bind(TCP_ANY);
        const { push, monitor } = libzmqPush(pull.lastEndpoint!);
        expect(push.trySend([`sent before ZAP ${status}`])).toBe(true);
        const request = await withTimeout(zap.receive(), 5000, "a ZAP request");
        expect(text(request.slice(0, 6))).toEqual(["1.0", "1", "zd", "127.0.0.1", "", "CURVE"]);
        expect(request[6]!.equals(Buffer.from(z85Decode(CLIENT.publicKey)!))).toBe(true);
        await zap.send(["1.0", request[1]!, status, status === "200" ? "OK" : "denied", "", ""]);
        if (status === "200") {
          expect(text(await receive(pull, "the message after ZAP 200"))).toEqual(["sent before ZAP 200"]);
          await monitor.waitFor("HANDSHAKE_SUCCEEDED");
          expect(log.count("handshake")).toBe(1);
        } else {
          expect(statusOf(await log.waitFor("handshake:error:auth"))).toBe(400);
          expect((await monitor.waitFor("HANDSHAKE_FAILED_AUTH")).value).toBe(400);
          expect(pull.tryReceive()).toBeNull();
          expect(log.count("handshake")).toBe(0);
        }
      },
      TEST_TIMEOUT,
    );
  }
});

describe("wrong server key", () => {
  test(
    "our client with a wrong curveServerKey: libzmq fails our HELLO as cryptographic, nothing is delivered",
    async () => {
      const context = cleanup.libzmq();
      const server = libzmqCurveServer(context, ZMQ.PULL);
      server.bind(TCP_ANY);
      const monitor = server.monitor();
      cleanup.add(() => monitor.close());
      const push = cleanup.track(new Push({ linger: 0, ...CLIENT_OPTIONS, curveServerKey: curveKeyPair().publicKey }));
      const log = new EventLog(push);
      push.connect(server.lastEndpoint);
      await push.send("must never arrive");
      expect((await monitor.waitFor("HANDSHAKE_FAILED_PROTOCOL")).value).toBe(PROTOCOL_ERROR_CRYPTOGRAPHIC);
      // libzmq closes without a word (no WELCOME, no ERROR). As libzmq does for any peer that hangs up
      // mid-handshake, we report handshake:error:other (EPIPE for a close, ECONNRESET for a reset),
      // then the disconnect, and keep redialling.
      const lost = await log.waitFor("handshake:error:other");
      expect(["EPIPE", "ECONNRESET"]).toContain(String(lost.error?.code));
      await log.waitFor("disconnect");
      await log.waitFor("connect:retry");
      expect(log.count("handshake")).toBe(0);
      expect(server.tryReceive()).toBeNull();
    },
    TEST_TIMEOUT,
  );

  test(
    "a libzmq client with a wrong server key: ERR_ZMTP_CRYPTOGRAPHIC here, and a correct client still gets through",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, ...SERVER_OPTIONS }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const wrong = libzmqPush(pull.lastEndpoint!, curveKeyPair().publicKey);
      expect(wrong.push.trySend(["from the wrong client"])).toBe(true);
      const failure = await log.waitFor("handshake:error:protocol");
      expect(failure.error?.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
      // We close on the failure without an ERROR (libzmq sends none either); libzmq's client, waiting
      // for WELCOME, reports the reset as HANDSHAKE_FAILED_NO_DETAIL with ECONNRESET.
      expect((await wrong.monitor.waitFor("HANDSHAKE_FAILED_NO_DETAIL")).value).toBe(ECONNRESET);
      await wrong.monitor.waitFor("DISCONNECTED");
      expect(wrong.monitor.count("HANDSHAKE_SUCCEEDED")).toBe(0);
      const right = libzmqPush(pull.lastEndpoint!);
      await right.push.send(["from the right client"]);
      expect(text(await receive(pull, "the correct client's message"))).toEqual(["from the right client"]);
      await right.monitor.waitFor("HANDSHAKE_SUCCEEDED");
      expect(pull.tryReceive()).toBeNull();
      expect(log.count("handshake")).toBe(1);
    },
    TEST_TIMEOUT,
  );
});

// PLAIN authentication through a ZAP handler (zeromq.js's socket-zap unit file, tcp and ipc): a Router
// bound at inproc://zeromq.zap.01 answers RFC 27 requests. Good credentials connect; bad ones report
// handshake:error:auth on both sides; a bad ZAP reply or a mechanism mismatch reports
// handshake:error:protocol with zeromq.js's text and code, each event carrying the endpoint.

import { expect, spyOn, test } from "bun:test";
import { Pair, Router } from "../../src/index.ts";
import { forEachTransport, freshEndpoint, nextEvent, receiveTexts, useSockets, type Transport } from "./support.ts";

const sockets = useSockets();
type Reply = Array<Buffer | string | null>;

/** A ZAP handler answering each request with `answer(request)`; closed after the test. */
function zapHandler(answer: (request: Buffer[]) => Reply): Buffer[][] {
  const router = sockets.open(Router);
  router.bindSync("inproc://zeromq.zap.01");
  const requests: Buffer[][] = [];
  void (async () => {
    for await (const request of router) {
      requests.push(request);
      await router.send(answer(request));
    }
  })();
  return requests;
}

/** RFC 27: [id, empty, version, request id, domain, address, identity, mechanism, ...credentials]. */
function plainChecker(domain: string, username: string, password: string) {
  return ([id, empty, version, requestId, askedDomain, , , mechanism, ...credentials]: Buffer[]): Reply => {
    const good =
      askedDomain!.toString() === domain &&
      mechanism!.toString() === "PLAIN" &&
      credentials.map(String).join("\0") === `${username}\0${password}`;
    return [id!, empty!, version!, requestId!, good ? "200" : "400", good ? "OK" : "Bad credentials", null, null];
  };
}

/** A PLAIN server in domain "test" and a client with `password`, bound and connected; events are caught from before the bind. */
async function plainPair<T>(transport: Transport, password: string | null, watch: (server: Pair, client: Pair) => Promise<T>) {
  const server = sockets.open(Pair, { plainServer: true, zapDomain: "test" });
  const client = sockets.open(Pair, { plainUsername: "user", ...(password === null ? {} : { plainPassword: password }) });
  const events = watch(server, client);
  await server.bind(freshEndpoint(transport));
  client.connect(server.lastEndpoint!);
  return { server, client, events: await events };
}

forEachTransport(["tcp", "ipc"], (transport) => {
  test("a client with the credentials the handler accepts connects, and messages flow", async () => {
    const requests = zapHandler(plainChecker("test", "user", "pass"));
    const { server, client } = await plainPair(transport, "pass", async () => []);
    expect([server.securityMechanism, client.securityMechanism]).toEqual(["plain", "plain"]);
    await server.send("foo");
    expect(await receiveTexts(client, 1)).toEqual([["foo"]]);
    expect(requests.map((request) => request.slice(2, 5).concat(request.slice(7)).map(String))).toEqual([
      ["1.0", "1", "test", "PLAIN", "user", "pass"],
    ]);
  });

  test("a refused password reports handshake:error:auth, status 400 'Authentication failure', on both sides", async () => {
    zapHandler(plainChecker("test", "user", "pass"));
    const { server, events } = await plainPair(transport, "BAD PASS", (s, c) =>
      Promise.all([nextEvent(s, "handshake:error:auth"), nextEvent(c, "handshake:error:auth")]),
    );
    for (const event of events) {
      expect(event.type).toBe("handshake:error:auth");
      expect(event.address).toBe(server.lastEndpoint!);
      expect(event.error).toBeInstanceOf(Error);
      expect(event.error!.message).toBe("Authentication failure");
      expect((event.error as { status?: number }).status).toBe(400);
    }
  });

  const badReplies: Array<[string, (request: Buffer[]) => Reply, string]> = [
    ["version 9.9", ([id, empty, , requestId]) => [id!, empty!, "9.9", requestId!, "200", "OK", null, null], "ERR_ZAP_BAD_VERSION"],
    ["only four frames", ([id, empty]) => [id!, empty!, null, null], "ERR_ZAP_MALFORMED_REPLY"],
  ];
  for (const [what, answer, code] of badReplies) {
    test(`a ZAP reply with ${what} reports handshake:error:protocol ${code}, 'ZAP protocol error'`, async () => {
      zapHandler(answer);
      const { server, events } = await plainPair(transport, null, (s) => Promise.all([nextEvent(s, "handshake:error:protocol")]));
      const [event] = events;
      expect(event!.address).toBe(server.lastEndpoint!);
      expect(event!.error).toBeInstanceOf(Error);
      expect({ message: event!.error!.message, code: event!.error!.code as string }).toEqual({ message: "ZAP protocol error", code });
    });
  }

  test("a PLAIN server and a CURVE server both report ERR_ZMTP_MECHANISM_MISMATCH, 'ZMTP protocol error'", async () => {
    const warnings = spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const plain = sockets.open(Pair, { plainServer: true });
      const curve = sockets.open(Pair, { curveServer: true });
      const events = Promise.all([nextEvent(plain, "handshake:error:protocol"), nextEvent(curve, "handshake:error:protocol")]);
      await plain.bind(freshEndpoint(transport));
      curve.connect(plain.lastEndpoint!);
      for (const event of await events) {
        expect(event.address).toBe(plain.lastEndpoint!);
        expect(event.error).toBeInstanceOf(Error);
        expect({ message: event.error!.message, code: event.error!.code }).toEqual({
          message: "ZMTP protocol error",
          code: "ERR_ZMTP_MECHANISM_MISMATCH",
        });
      }
      // CURVE keys never set are zero, as in libzmq: a warning, not a refusal to connect.
      expect(warnings.mock.calls.map(([, options]) => (options as { code?: string }).code)).toEqual(["BUNZMQ_CURVE_KEYS_UNSET"]);
    } finally {
      warnings.mockRestore();
    }
  });
});

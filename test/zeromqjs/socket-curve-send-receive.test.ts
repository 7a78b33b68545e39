// CURVE between two Pairs (zeromq.js's socket-curve-send-receive unit file): the client binds and the
// server connects, with fresh key pairs from curveKeyPair(), and a message goes through over every
// transport (inproc carries no mechanism, as in libzmq, so there the keys are simply not used).

import { expect, test } from "bun:test";
import { curveKeyPair, Pair } from "../../src/index.ts";
import { ALL_TRANSPORTS, forEachTransport, freshEndpoint, nextEvent, receiveTexts, useSockets, type Transport } from "./support.ts";

const sockets = useSockets();

/** zeromq.js's fixture: the server (`a`) and the client (`b`) with fresh keys, `b` bound and `a` connected. */
async function curvePairs(transport: Transport) {
  const server = curveKeyPair();
  const client = curveKeyPair();
  const a = sockets.open(Pair, { curveServer: true, curvePublicKey: server.publicKey, curveSecretKey: server.secretKey });
  const b = sockets.open(Pair, {
    curveServerKey: server.publicKey,
    curvePublicKey: client.publicKey,
    curveSecretKey: client.secretKey,
  });
  await b.bind(freshEndpoint(transport));
  a.connect(b.lastEndpoint!);
  return { a, b };
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("a string sent by the connecting server arrives at the bound client", async () => {
    const { a, b } = await curvePairs(transport);
    expect([a.securityMechanism, b.securityMechanism]).toEqual(["curve", "curve"]);
    await a.send("foo");
    expect(await receiveTexts(b, 1)).toEqual([["foo"]]);
  });

  if (transport !== "inproc") {
    test("the handshake is CURVE's: a client that expects another server key fails it", async () => {
      const { a } = await curvePairs(transport);
      const stranger = curveKeyPair();
      const wrongClient = sockets.open(Pair, {
        curveServerKey: curveKeyPair().publicKey,
        curvePublicKey: stranger.publicKey,
        curveSecretKey: stranger.secretKey,
      });
      const failed = nextEvent(a, "handshake:error:protocol");
      await wrongClient.bind(freshEndpoint(transport));
      a.connect(wrongClient.lastEndpoint!);
      const event = await failed;
      expect(event.address).toBe(wrongClient.lastEndpoint!);
      expect(event.error?.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
    });
  }
});

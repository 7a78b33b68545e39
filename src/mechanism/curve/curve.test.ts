// RFC 25/ZMTP-CURVE and 26/CurveZMQ: the client and server state machines stepped against each other
// in memory, command by command, with the sizes and refusals zmtp-notes §5.2 records for libzmq.

import { describe, expect, test } from "bun:test";
import { type Command, parseHandshakeCommand } from "../../wire/command.ts";
import type { Mechanism } from "../mechanism.ts";
import { generateKeyPair } from "./box.ts";
import { CurveClient } from "./client.ts";
import { CurveServer } from "./server.ts";

const text = new TextEncoder();
const DEALER: Array<readonly [string, Uint8Array]> = [
  ["Socket-Type", text.encode("DEALER")],
  ["Identity", new Uint8Array(0)],
];
const ROUTER: Array<readonly [string, Uint8Array]> = [["Socket-Type", text.encode("ROUTER")]];

/** The command inside one whole frame as the mechanisms produce them (2- or 9-byte header). */
function commandOf(frame: Uint8Array): Command {
  const command = parseHandshakeCommand(frame.subarray((frame[0]! & 0x02) !== 0 ? 9 : 2));
  if (command === null) throw new Error("not a command frame");
  return command;
}

function only(frames: Uint8Array[]): Uint8Array {
  expect(frames.length).toBe(1);
  return frames[0]!;
}

function pair() {
  const serverKeys = generateKeyPair();
  const clientKeys = generateKeyPair();
  const client = new CurveClient(DEALER, { ...clientKeys, serverKey: serverKeys.publicKey });
  const server = new CurveServer(ROUTER, serverKeys.secretKey);
  return { client, server, clientKeys, serverKeys };
}

/** Runs HELLO, WELCOME and INITIATE; returns the frames of each step for inspection. */
function upToVerdict(client: Mechanism, server: Mechanism) {
  const hello = only(client.start());
  expect(server.start()).toEqual([]);
  const welcome = only(server.onCommand(commandOf(hello)));
  const initiate = only(client.onCommand(commandOf(welcome)));
  expect(server.onCommand(commandOf(initiate))).toEqual([]);
  return { hello, welcome, initiate };
}

function handshake() {
  const keys = pair();
  const frames = upToVerdict(keys.client, keys.server);
  const ready = only(keys.server.onVerdict({ status: 200 }));
  expect(keys.client.onCommand(commandOf(ready))).toEqual([]);
  return { ...keys, ...frames, ready };
}

describe("RFC 26 CurveZMQ handshake", () => {
  test("HELLO is 200 bytes, WELCOME 168, INITIATE 257 plus metadata, READY 30 plus metadata (libzmq's sizes)", () => {
    const { hello, welcome, initiate, ready } = handshake();
    // Whole frames: 2-byte short header, or 9 bytes once the body passes 255.
    expect(hello.length - 2).toBe(200);
    expect(welcome.length - 2).toBe(168);
    // DEALER's metadata: Socket-Type DEALER (22 bytes) and an empty Identity (13 bytes).
    expect(initiate.length - 9).toBe(257 + 35);
    expect(ready.length - 2).toBe(30 + 22);
  });

  test("both sides end ready with each other's metadata and a cipher; the server asked once about C", () => {
    const keys = pair();
    upToVerdict(keys.client, keys.server);
    const pending = keys.server.pendingCredentials!;
    expect(pending).toEqual({ mechanism: "CURVE", publicKey: keys.clientKeys.publicKey });
    keys.client.onCommand(commandOf(only(keys.server.onVerdict({ status: 200 }))));
    expect([keys.client.status, keys.server.status]).toEqual(["ready", "ready"]);
    expect(keys.server.pendingCredentials).toBeNull();
    expect(Buffer.from(keys.server.peerProperties!.get("Socket-Type")!).toString()).toBe("DEALER");
    expect(Buffer.from(keys.client.peerProperties!.get("Socket-Type")!).toString()).toBe("ROUTER");
    expect(keys.client.cipher).not.toBeNull();
    expect(keys.server.cipher).not.toBeNull();
  });

  test("MESSAGEs open on the other side with their inner flags, both ways, nonces counting up", () => {
    const { client, server } = handshake();
    const sealed = client.cipher!.seal(0x01, text.encode("part"));
    // 07 'MESSAGE', then the client's short nonce 3 (HELLO took 1, INITIATE 2).
    expect(Buffer.from(sealed.subarray(0, 16)).toString("hex")).toBe("074d455353414745" + "0000000000000003");
    expect(Buffer.from(server.cipher!.open(sealed)!).toString()).toBe("part");
    expect(server.cipher!.flags).toBe(0x01);
    const reply = server.cipher!.seal(0x02, text.encode("\x04PONG"));
    expect(Buffer.from(reply.subarray(8, 16)).toString("hex")).toBe("0000000000000002");
    expect(Buffer.from(client.cipher!.open(reply)!).toString("latin1")).toBe("\x04PONG");
    expect(client.cipher!.flags).toBe(0x02);
  });

  test("a replayed or reordered MESSAGE is ERR_ZMTP_INVALID_SEQUENCE; an altered one ERR_ZMTP_CRYPTOGRAPHIC", () => {
    const { client, server } = handshake();
    const first = client.cipher!.seal(0, text.encode("one"));
    const second = client.cipher!.seal(0, text.encode("two"));
    expect(server.cipher!.open(second)).not.toBeNull();
    expect(server.cipher!.open(first)).toBeNull();
    expect(server.cipher!.error!.code).toBe("ERR_ZMTP_INVALID_SEQUENCE");
    expect(server.cipher!.open(second)).toBeNull();
    expect(server.cipher!.error!.code).toBe("ERR_ZMTP_INVALID_SEQUENCE");
    const third = client.cipher!.seal(0, text.encode("three"));
    third[third.length - 1]! ^= 1;
    expect(server.cipher!.open(third)).toBeNull();
    expect(server.cipher!.error!.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
    // A box that failed does not move the floor: the next genuine MESSAGE still opens.
    expect(Buffer.from(server.cipher!.open(client.cipher!.seal(0, text.encode("four")))!).toString()).toBe("four");
  });

  test("a frame that is not a MESSAGE, or shorter than 33 bytes, is refused", () => {
    const { client, server } = handshake();
    const sealed = client.cipher!.seal(0, new Uint8Array(0));
    expect(sealed.length).toBe(33);
    expect(server.cipher!.open(sealed.subarray(0, 32))).toBeNull();
    expect(server.cipher!.error!.code).toBe("ERR_ZMTP_MALFORMED_COMMAND_MESSAGE");
    const renamed = Uint8Array.from(sealed);
    renamed[1] = 0x6d; // 'm'
    expect(server.cipher!.open(renamed)).toBeNull();
    expect(server.cipher!.error!.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });
});

describe("RFC 26 refusals during the handshake", () => {
  test("a client using the wrong server key: the server cannot open HELLO (ERR_ZMTP_CRYPTOGRAPHIC)", () => {
    const server = new CurveServer(ROUTER, generateKeyPair().secretKey);
    const client = new CurveClient(DEALER, { ...generateKeyPair(), serverKey: generateKeyPair().publicKey });
    expect(server.onCommand(commandOf(only(client.start())))).toEqual([]);
    expect(server.status).toBe("failed");
    expect(server.failure!.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
  });

  test("a truncated HELLO or INITIATE is malformed; HELLO of another version is refused", () => {
    const { client, server } = pair();
    const hello = commandOf(only(client.start()));
    expect(server.onCommand({ name: "HELLO", data: hello.data.subarray(0, 193) })).toEqual([]);
    expect(server.failure!.code).toBe("ERR_ZMTP_MALFORMED_COMMAND_HELLO");

    const other = pair();
    const versioned = commandOf(only(other.client.start()));
    const data = Uint8Array.from(versioned.data);
    data[0] = 2;
    other.server.onCommand({ name: "HELLO", data });
    expect(other.server.failure!.message).toContain("not 1.0");

    const third = pair();
    const welcome = only(third.server.onCommand(commandOf(only(third.client.start()))));
    const initiate = commandOf(only(third.client.onCommand(commandOf(welcome))));
    third.server.onCommand({ name: "INITIATE", data: initiate.data.subarray(0, 247) });
    expect(third.server.failure!.code).toBe("ERR_ZMTP_MALFORMED_COMMAND_INITIATE");
  });

  test("an INITIATE carrying another connection's cookie is refused, and a cookie works only once", () => {
    const serverKeys = generateKeyPair();
    const clientKeys = generateKeyPair();
    const make = () => ({
      client: new CurveClient(DEALER, { ...clientKeys, serverKey: serverKeys.publicKey }),
      server: new CurveServer(ROUTER, serverKeys.secretKey),
    });
    const a = make();
    const b = make();
    const initiateA = upToVerdict(a.client, a.server).initiate;
    const welcomeB = only(b.server.onCommand(commandOf(only(b.client.start()))));
    b.client.onCommand(commandOf(welcomeB));
    // Connection B's server is handed A's INITIATE (a replay across connections).
    expect(b.server.onCommand(commandOf(initiateA))).toEqual([]);
    expect(b.server.failure!.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");
    expect(b.server.failure!.message).toContain("cookie");
    // And A's server, already past INITIATE, refuses to see it again.
    expect(a.server.onCommand(commandOf(initiateA))).toEqual([]);
    expect(a.server.failure!.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  test("a vouch made with a secret key that is not the announced C fails to open", () => {
    const serverKeys = generateKeyPair();
    const mismatched = { publicKey: generateKeyPair().publicKey, secretKey: generateKeyPair().secretKey, serverKey: serverKeys.publicKey };
    const client = new CurveClient(DEALER, mismatched);
    const server = new CurveServer(ROUTER, serverKeys.secretKey);
    const welcome = only(server.onCommand(commandOf(only(client.start()))));
    server.onCommand(commandOf(only(client.onCommand(commandOf(welcome)))));
    expect(server.status).toBe("failed");
    expect(server.failure!.message).toContain("vouch");
    expect(server.pendingCredentials).toBeNull();
  });

  test("a refusal (400) sends ERROR and fails as auth on both sides; 300 closes without ERROR", () => {
    const keys = pair();
    upToVerdict(keys.client, keys.server);
    const error = only(keys.server.onVerdict({ status: 400 }));
    expect(keys.server.failure).toMatchObject({ kind: "auth", status: 400 });
    expect(keys.server.cipher).toBeNull();
    keys.client.onCommand(commandOf(error));
    expect(keys.client.failure).toMatchObject({ kind: "auth", status: 400 });

    const temporary = pair();
    upToVerdict(temporary.client, temporary.server);
    expect(temporary.server.onVerdict({ status: 300 })).toEqual([]);
    expect(temporary.server.failure).toMatchObject({ kind: "auth", status: 300 });
  });

  test("a command before the verdict, or a second HELLO, is an unexpected command", () => {
    const keys = pair();
    const { hello } = upToVerdict(keys.client, keys.server);
    keys.server.onCommand(commandOf(hello));
    expect(keys.server.failure!.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  test("READY that does not open, and a server that skips WELCOME, fail the client", () => {
    const { client, server } = pair();
    upToVerdict(client, server);
    const ready = commandOf(only(server.onVerdict({ status: 200 })));
    const altered = Uint8Array.from(ready.data);
    altered[altered.length - 1]! ^= 0x80;
    client.onCommand({ name: "READY", data: altered });
    expect(client.failure!.code).toBe("ERR_ZMTP_CRYPTOGRAPHIC");

    const early = pair();
    early.client.start();
    early.client.onCommand({ name: "READY", data: new Uint8Array(40) });
    expect(early.client.failure!.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });
});

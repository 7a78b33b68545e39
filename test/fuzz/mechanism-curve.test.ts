// Fuzz target "mechanism-curve": src/mechanism/curve/, both roles of the CURVE handshake (RFC 25
// over RFC 26 CurveZMQ). Properties: a client and a server run against each other with any of the
// four commands tampered with, a client that uses the wrong server key or claims another's public
// key, and any verdict: nothing throws, both end in defined states, and nobody is fooled: the
// server asks about (and accepts) only the key the client proved it holds, the client is ready only
// with the real server, both ready only on untampered commands (HELLO's unchecked padding aside)
// and with each other's metadata exactly. And noise, even of the right sizes, never gets far.
//
// Transcripts differ from run to run whatever the seed: the mechanisms draw their transient keys,
// cookies and nonces from the system's randomness, as they must. No property depends on those bytes.

import { beforeAll, describe, expect } from "bun:test";
import fc from "fast-check";
import { generateKeyPair } from "../../src/mechanism/curve/box.ts";
import { CurveClient } from "../../src/mechanism/curve/client.ts";
import { loadCryptoBackend } from "../../src/engine/crypto-backend.ts";
import { CurveServer } from "../../src/mechanism/curve/server.ts";
import type { Mechanism } from "../../src/mechanism/mechanism.ts";
import { bytes, commandName, mutate, mutations, type ValueOf, verdictChoice } from "./arbitraries.ts";
import { commandsIn, expectDefinedState, runHandshake, verdictOf } from "./handshake-driver.ts";
import { fuzz } from "./harness.ts";

const TARGET = "mechanism-curve";
const text = new TextEncoder();
// Permanent keys made once: a fresh pair per input would triple the cost of every run.
const SERVER = generateKeyPair();
const CLIENT = generateKeyPair();
const OTHER = generateKeyPair();
const CLIENT_PROPERTIES: Array<[string, Uint8Array]> = [["Socket-Type", text.encode("DEALER")]];
const SERVER_PROPERTIES: Array<[string, Uint8Array]> = [["Socket-Type", text.encode("ROUTER")]];
const STEPS = ["hello", "welcome", "initiate", "ready"] as const;
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");

const scenario = fc.record({
  /** The server key the client dials with: the server's, or another key's. */
  serverKey: fc.constantFrom("right", "wrong"),
  /** The public key the client claims in INITIATE: the one it holds the secret of, or another's. */
  claims: fc.constantFrom("own", "other"),
  /** Edits of each command's data on the way (null: it travels as sent). */
  tamper: fc.record({
    hello: fc.option(mutations, { freq: 3 }),
    welcome: fc.option(mutations, { freq: 3 }),
    initiate: fc.option(mutations, { freq: 3 }),
    ready: fc.option(mutations, { freq: 3 }),
  }),
  verdict: verdictChoice,
});

type Step = (typeof STEPS)[number];

/** Hands the commands in `frames` to `to`, edited by `edits`; returns what `to` answered and whether the bytes changed. */
function deliver(frames: Uint8Array[], to: Mechanism, edits: ValueOf<typeof mutations> | null, step: Step) {
  let changed = false;
  let outside = false;
  const answers: Uint8Array[] = [];
  for (const command of commandsIn(frames)) {
    if (to.status !== "handshaking") break;
    const data = edits === null ? command.data : mutate(command.data, edits);
    changed ||= hex(data) !== hex(command.data);
    // HELLO's 72 padding bytes (data 2..73) are sent as zeros and checked by nobody, libzmq included.
    outside ||=
      data.length !== command.data.length || data.some((byte, i) => byte !== command.data[i] && (step !== "hello" || i < 2 || i >= 74));
    answers.push(...to.onCommand({ name: command.name, data }));
    expectDefinedState(to);
  }
  return { answers, tampered: changed && outside };
}

function runPair({ serverKey, claims, tamper, verdict }: ValueOf<typeof scenario>) {
  const client = new CurveClient(CLIENT_PROPERTIES, {
    publicKey: claims === "own" ? CLIENT.publicKey : OTHER.publicKey,
    secretKey: CLIENT.secretKey,
    serverKey: serverKey === "right" ? SERVER.publicKey : OTHER.publicKey,
  });
  const server = new CurveServer(SERVER_PROPERTIES, SERVER.secretKey);
  const asked: Uint8Array[] = [];
  let tampered = false;
  let frames = client.start();
  expect(server.start()).toEqual([]);
  expectDefinedState(client);
  for (const step of STEPS) {
    const to = step === "hello" || step === "initiate" ? server : client;
    const delivered = deliver(frames, to, tamper[step], step);
    tampered ||= delivered.tampered;
    frames = delivered.answers;
    if (to === server && server.status === "handshaking" && server.pendingCredentials !== null) {
      const credentials = server.pendingCredentials;
      if (credentials.mechanism === "CURVE") asked.push(credentials.publicKey);
      frames.push(...server.onVerdict(verdictOf(verdict)));
      expectDefinedState(server);
    }
  }
  return { client, server, asked, tampered };
}

const metadataOf = (mechanism: Mechanism) => [...(mechanism.peerProperties ?? [])].map(([name, value]) => [name, hex(value)]);
const expectedMetadata = (properties: Array<[string, Uint8Array]>) => properties.map(([name, value]) => [name, hex(value)]);

describe("fuzz: CURVE mechanism", () => {
  // The properties run synchronously, so the background load the mechanisms start would never
  // finish during them; libsodium's boxes are about 3x faster than noble's, and both compute the
  // same function (src/mechanism/curve/secretbox.test.ts).
  beforeAll(() => loadCryptoBackend());

  fuzz(
    TARGET,
    "a CURVE client and server, either lying or tampered with, are never fooled and end in defined states",
    scenario,
    (input) => {
      const { client, server, asked, tampered } = runPair(input);
      const honest = input.serverKey === "right" && input.claims === "own";
      // The server asks about a key only once the client proved it holds its secret, for this server.
      expect(asked.map(hex)).toEqual(asked.length === 0 ? [] : [hex(CLIENT.publicKey)]);
      if (asked.length > 0) expect(honest).toBe(true);
      if (server.status === "ready") {
        expect([honest, input.verdict]).toEqual([true, 200]);
        expect(metadataOf(server)).toEqual(expectedMetadata(CLIENT_PROPERTIES));
      }
      if (client.status === "ready") {
        expect([input.serverKey, server.status]).toEqual(["right", "ready"]);
        expect(metadataOf(client)).toEqual(expectedMetadata(SERVER_PROPERTIES));
      }
      // Integrity: a command changed where it is checked never ends with both sides ready.
      if (tampered) expect([client.status, server.status]).not.toEqual(["ready", "ready"]);
      // And an honest, untampered, accepted handshake succeeds, with MESSAGEs opening both ways.
      if (honest && !tampered && input.verdict === 200) {
        expect([client.status, server.status]).toEqual(["ready", "ready"]);
        expect(hex(server.cipher!.open(client.cipher!.seal(0, text.encode("up")))!)).toBe(hex(text.encode("up")));
        expect(hex(client.cipher!.open(server.cipher!.seal(0, text.encode("down")))!)).toBe(hex(text.encode("down")));
      }
    },
    // Each input is a whole handshake (nine X25519 operations); the noise property makes up the rest.
    { share: 0.5 },
  );

  /** Noise for a CURVE peer: its command names, with data of the exact sizes the layouts want, or any. */
  const noise = fc.array(
    fc.record({
      name: fc.oneof(fc.constantFrom("HELLO", "WELCOME", "INITIATE", "READY", "ERROR"), commandName),
      data: fc.oneof(
        bytes(192).map((rest) => Uint8Array.from([1, 0, ...rest])),
        bytes(160, 160),
        bytes(300, 248),
        bytes(60, 24),
        bytes(40),
      ),
    }),
    { size: "max", maxLength: 3 },
  );

  fuzz(
    TARGET,
    "noise, even of the right sizes, never makes a CURVE client ready or a CURVE server ask about a key",
    fc.record({ commands: noise, server: fc.boolean() }),
    ({ commands, server }) => {
      const mechanism = server
        ? new CurveServer(SERVER_PROPERTIES, SERVER.secretKey)
        : new CurveClient(CLIENT_PROPERTIES, { ...CLIENT, serverKey: SERVER.publicKey });
      const run = runHandshake(mechanism, commands, { verdict: () => verdictOf(200), delay: 0 });
      expect(run.asked).toEqual([]);
      expect(mechanism.status).not.toBe("ready");
    },
    // Two X25519 operations at least per input (a mechanism's own keys, then the first box).
    { share: 0.5 },
  );
});

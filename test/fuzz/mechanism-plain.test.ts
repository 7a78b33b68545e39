// Fuzz target "mechanism-plain": src/mechanism/plain.ts, both roles of the PLAIN handshake
// (RFC 24). Properties: on any sequence of peer commands, and any verdict however late, neither role
// throws, both end in a defined state (handshake-driver.ts) and exactly as a model of RFC 24 says;
// and the server is never ready, nor even sends WELCOME, unless the authenticator accepted the
// exact username and password the client sent: a wrong or mangled password never gets through.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import type { Credentials } from "../../src/mechanism/mechanism.ts";
import { PlainClient, PlainServer, encodeHello } from "../../src/mechanism/plain.ts";
import { encodeMetadata } from "../../src/wire/metadata.ts";
import { bytes, commandName, errorData, metadataProperties, mutate, mutations, type ValueOf, verdictChoice } from "./arbitraries.ts";
import { commandsIn, errorFailure, type Outcome, outcomeOf, runHandshake, verdictOf } from "./handshake-driver.ts";
import { fuzz } from "./harness.ts";
import { referenceMetadata } from "./reference-parsers.ts";

const TARGET = "mechanism-plain";
/** Each property takes half the target's input count: together they still pass 10^4 in CI. */
const EACH = { share: 0.5 };
const text = new TextEncoder();
const USERNAME = text.encode("admin");
const PASSWORD = text.encode("correct horse");
const OWN: Array<[string, Uint8Array]> = [["Socket-Type", text.encode("DEALER")]];

/** A credential as a client might send it: the right one, one a mutation away from it, or any. */
const credential = (right: Uint8Array) =>
  fc.oneof(
    fc.constant(right),
    mutations.map((edits) => mutate(right, edits).subarray(0, 255)),
    bytes(20),
  );

const metadata = fc.record({ properties: metadataProperties, mutations: fc.option(mutations) });
const asMetadata = ({ properties, mutations }: ValueOf<typeof metadata>) =>
  mutations === null ? encodeMetadata(properties) : mutate(encodeMetadata(properties), mutations);

/** What a PLAIN client may send: HELLO (any credentials, sometimes mangled as a whole), INITIATE, ERROR, anything. */
const clientCommand = fc.oneof(
  { weight: 3, arbitrary: fc.record({ username: credential(USERNAME), password: credential(PASSWORD), mangle: fc.option(mutations) }) },
  { weight: 3, arbitrary: fc.record({ initiate: metadata }) },
  { weight: 1, arbitrary: fc.record({ name: commandName, data: bytes(40) }) },
);

function asClientCommand(value: ValueOf<typeof clientCommand>): { name: string; data: Uint8Array } {
  if ("username" in value) {
    const data = commandsIn([encodeHello(value.username, value.password)])[0]!.data;
    return { name: "HELLO", data: value.mangle === null ? data : mutate(data, value.mangle) };
  }
  if ("initiate" in value) return { name: "INITIATE", data: asMetadata(value.initiate) };
  return value;
}

/** What a PLAIN server may send: WELCOME (sometimes with data), READY, ERROR, anything. */
const serverCommand = fc.oneof(
  { weight: 3, arbitrary: fc.record({ welcome: fc.oneof({ weight: 3, arbitrary: bytes(0) }, { weight: 1, arbitrary: bytes(4, 1) }) }) },
  { weight: 3, arbitrary: fc.record({ ready: metadata }) },
  { weight: 1, arbitrary: fc.record({ error: errorData }) },
  { weight: 1, arbitrary: fc.record({ name: commandName, data: bytes(40) }) },
);

function asServerCommand(value: ValueOf<typeof serverCommand>): { name: string; data: Uint8Array } {
  if ("welcome" in value) return { name: "WELCOME", data: value.welcome };
  if ("ready" in value) return { name: "READY", data: asMetadata(value.ready) };
  if ("error" in value) return { name: "ERROR", data: value.error };
  return value;
}

/** HELLO data by RFC 24's layout, exactly: ulen username pwlen password and nothing after. */
function helloCredentials(data: Uint8Array): { username: Uint8Array; password: Uint8Array } | null {
  const ulen = data[0];
  if (ulen === undefined || data.length < ulen + 2 || data.length !== ulen + 2 + data[ulen + 1]!) return null;
  return { username: data.subarray(1, 1 + ulen), password: data.subarray(ulen + 2) };
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(b);
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");

/** RFC 24's server: HELLO, then the verdict (any command meanwhile is unexpected), then INITIATE. */
function serverModel(commands: Array<{ name: string; data: Uint8Array }>, refusal: ValueOf<typeof verdictChoice>, delay: number): Outcome {
  const out: Outcome = { status: "handshaking", failure: null, sent: [], properties: null };
  const fail = (failure: Outcome["failure"]) => Object.assign(out, { status: "failed", failure });
  // In an object: `answer` moves it on, which narrowing of a plain variable would not see.
  const at = { phase: "hello" as "hello" | "verdict" | "initiate" };
  let verdict: ValueOf<typeof verdictChoice> = 200;
  let due = Infinity;
  const answer = () => {
    due = Infinity;
    if (verdict === "failure") return fail({ kind: "other", code: "EFAULT" });
    if (verdict !== 200) {
      if (verdict !== 300) out.sent.push("ERROR");
      return fail({ kind: "auth", status: verdict });
    }
    out.sent.push("WELCOME");
    at.phase = "initiate";
  };
  for (const [taken, command] of commands.entries()) {
    if (out.status !== "handshaking") break;
    if (at.phase === "hello" && command.name === "HELLO") {
      const credentials = helloCredentials(command.data);
      if (credentials === null) fail({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_HELLO" });
      else {
        at.phase = "verdict";
        verdict = same(credentials.username, USERNAME) && same(credentials.password, PASSWORD) ? 200 : refusal;
        due = taken + 1 + delay;
      }
    } else if (at.phase === "initiate" && command.name === "INITIATE") {
      out.properties = referenceMetadata(command.data);
      if (out.properties === null) fail({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_INITIATE" });
      else Object.assign(out, { status: "ready", sent: [...out.sent, "READY"] });
    } else fail({ kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
    if (out.status === "handshaking" && taken + 1 >= due) answer();
  }
  if (out.status === "handshaking" && due !== Infinity) answer();
  return out;
}

/** RFC 24's client: HELLO at once, INITIATE for an empty WELCOME, ready at a well-formed READY. */
function clientModel(commands: Array<{ name: string; data: Uint8Array }>): Outcome {
  const out: Outcome = { status: "handshaking", failure: null, sent: ["HELLO"], properties: null };
  const fail = (failure: Outcome["failure"]) => Object.assign(out, { status: "failed", failure });
  const [first, second] = commands;
  const step = (command: { name: string; data: Uint8Array }, expected: string): boolean => {
    if (command.name === "ERROR") fail(errorFailure(command.data));
    else if (command.name !== expected) fail({ kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
    return out.status === "handshaking";
  };
  if (first === undefined || !step(first, "WELCOME")) return out;
  if (first.data.length !== 0) return fail({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_WELCOME" });
  out.sent.push("INITIATE");
  if (second === undefined || !step(second, "READY")) return out;
  out.properties = referenceMetadata(second.data);
  if (out.properties === null) return fail({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_READY" });
  out.status = "ready";
  return out;
}

describe("fuzz: PLAIN mechanism", () => {
  fuzz(
    TARGET,
    "a PLAIN server ends as RFC 24 says and is ready only for the exact username and password, accepted",
    fc.record({
      commands: fc.array(clientCommand, { size: "max", maxLength: 4 }),
      // What the authenticator answers to any other credentials.
      refusal: verdictChoice.filter((choice) => choice !== 200),
      delay: fc.nat({ max: 2 }),
    }),
    ({ commands, refusal, delay }) => {
      const incoming = commands.map(asClientCommand);
      const server = new PlainServer(OWN);
      // The authenticator: the one account, or the refusal drawn for this run.
      const judge = (credentials: Credentials) =>
        verdictOf(
          credentials.mechanism === "PLAIN" && same(credentials.username, USERNAME) && same(credentials.password, PASSWORD) ? 200 : refusal,
        );
      const run = runHandshake(server, incoming, { verdict: judge, delay });
      expect(outcomeOf(server, run)).toEqual(serverModel(incoming, refusal, delay));
      // The security property on its own: WELCOME (and so READY) only after a 200 for exactly the
      // username and password the client's HELLO carried, and those are the account's.
      if (run.sent.some((command) => command.name === "WELCOME")) {
        const [{ credentials, verdict }] = run.asked as [{ credentials: Credentials; verdict: unknown }];
        const hello = helloCredentials(incoming[0]!.data)!;
        const pair = (c: { username: Uint8Array; password: Uint8Array }) => [hex(c.username), hex(c.password)];
        expect(credentials.mechanism === "PLAIN" && pair(credentials)).toEqual(pair(hello));
        expect(pair(hello)).toEqual(pair({ username: USERNAME, password: PASSWORD }));
        expect(verdict).toEqual({ status: 200 });
      }
    },
    EACH,
  );

  fuzz(
    TARGET,
    "a PLAIN client ends as RFC 24 says: INITIATE only for an empty WELCOME, ready only at a well-formed READY",
    fc.array(serverCommand, { size: "max", maxLength: 4 }),
    (commands) => {
      const incoming = commands.map(asServerCommand);
      const client = new PlainClient(OWN, USERNAME, PASSWORD);
      const run = runHandshake(client, incoming, { verdict: () => verdictOf(200), delay: 0 });
      expect(outcomeOf(client, run)).toEqual(clientModel(incoming));
      expect(run.asked).toEqual([]);
    },
    EACH,
  );
});

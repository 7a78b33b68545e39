// Fuzz target "mechanism-null": src/mechanism/null.ts, the NULL handshake (RFC 23), plain or judged
// by an authenticator (a socket with a ZAP domain, as libzmq's zap_required). Properties: on any
// sequence of peer commands and any verdict, however late, it never throws, always ends in a
// defined state (handshake-driver.ts), and ends exactly as a model written from RFC 23 and RFC 27
// says: ready only after a well-formed READY and, when judged, a 200; READY from us only once
// accepted, ERROR carrying a refusal's status, nothing for a 300.

import { describe, expect } from "bun:test";
import fc from "fast-check";
import { NullMechanism } from "../../src/mechanism/null.ts";
import { encodeMetadata } from "../../src/wire/metadata.ts";
import { bytes, commandName, errorData, metadataProperties, mutate, mutations, type ValueOf, verdictChoice } from "./arbitraries.ts";
import { errorFailure, type Outcome, outcomeOf, runHandshake, verdictOf } from "./handshake-driver.ts";
import { fuzz } from "./harness.ts";
import { referenceMetadata } from "./reference-parsers.ts";

const TARGET = "mechanism-null";
const OWN: Array<[string, Uint8Array]> = [["Socket-Type", new TextEncoder().encode("PULL")]];

/** What a peer may send during a NULL handshake: READY (often mangled), ERROR, anything else. */
const peerCommand = fc.oneof(
  { weight: 3, arbitrary: fc.record({ properties: metadataProperties, mutations: fc.option(mutations) }) },
  { weight: 1, arbitrary: fc.record({ error: errorData }) },
  { weight: 1, arbitrary: fc.record({ name: commandName, data: bytes(40) }) },
);

function asCommand(value: ValueOf<typeof peerCommand>): { name: string; data: Uint8Array } {
  if ("properties" in value) {
    const data = encodeMetadata(value.properties);
    return { name: "READY", data: value.mutations === null ? data : mutate(data, value.mutations) };
  }
  if ("error" in value) return { name: "ERROR", data: value.error };
  return value;
}

/** The NULL handshake by RFC 23 and RFC 27, step by step, as the driver paces it. */
function model(
  judged: boolean,
  commands: Array<{ name: string; data: Uint8Array }>,
  choice: ValueOf<typeof verdictChoice>,
  delay: number,
): Outcome {
  const out: Outcome = { status: "handshaking", failure: null, sent: judged ? [] : ["READY"], properties: null };
  let readySent = !judged;
  let answered = !judged;
  const fail = (failure: Outcome["failure"]) => {
    out.status = "failed";
    out.failure = failure;
  };
  const answer = () => {
    answered = true;
    if (choice === "failure") return fail({ kind: "other", code: "EFAULT" });
    if (choice !== 200) {
      if (choice !== 300) out.sent.push("ERROR");
      return fail({ kind: "auth", status: choice });
    }
    out.sent.push("READY");
    readySent = true;
    if (out.properties !== null) out.status = "ready";
  };
  if (!answered && delay === 0) answer();
  for (const [taken, command] of commands.entries()) {
    if (out.status !== "handshaking") break;
    if (out.properties !== null) fail({ kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
    else if (command.name === "READY") {
      const properties = referenceMetadata(command.data);
      if (properties === null) fail({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_READY" });
      else out.properties = properties;
      if (properties !== null && readySent) out.status = "ready";
    } else if (command.name === "ERROR") fail(errorFailure(command.data));
    else fail({ kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
    if (!answered && out.status === "handshaking" && taken + 1 >= delay) answer();
  }
  if (!answered && out.status === "handshaking") answer();
  if (out.status !== "ready") out.properties = null;
  return out;
}

describe("fuzz: NULL mechanism", () => {
  fuzz(
    TARGET,
    "any peer commands and verdicts end the NULL handshake as RFC 23 and RFC 27 say, in a defined state",
    fc.record({
      judged: fc.boolean(),
      commands: fc.array(peerCommand, { size: "max", maxLength: 4 }),
      verdict: verdictChoice,
      delay: fc.nat({ max: 3 }),
    }),
    ({ judged, commands, verdict, delay }) => {
      const incoming = commands.map(asCommand);
      const mechanism = new NullMechanism(OWN, judged);
      const run = runHandshake(mechanism, incoming, { verdict: () => verdictOf(verdict), delay });
      const expected = model(judged, incoming, verdict, delay);
      expect(outcomeOf(mechanism, run)).toEqual(expected);
      // A judged connection asks exactly once, about NULL credentials (RFC 27: a NULL request has none), from the start.
      expect(run.asked.map((question) => question.credentials.mechanism)).toEqual(judged ? ["NULL"] : []);
    },
  );
});

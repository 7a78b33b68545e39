// Drives a security mechanism (src/mechanism: NULL, PLAIN, CURVE) the way the engine does
// (src/engine/handshake.ts): start(), then each peer command while the handshake lasts, and the
// authenticator's verdict when the mechanism asks for one, possibly a few commands late (a ZAP
// round trip). After every call it checks what holds for any mechanism and any peer: nothing
// throws, the state is one of the three, a failure is defined (a known code, or an auth status),
// and every frame produced is one whole command frame.

import { expect } from "bun:test";
import type { Credentials, Mechanism, Verdict } from "../../src/mechanism/mechanism.ts";
import { type Command, parseHandshakeCommand } from "../../src/wire/command.ts";
import { referenceFrames } from "./reference-parsers.ts";

/**
 * The codes a handshake may fail with: zeromq.js's ProtoError codes for ZMTP (api-contract §1.2)
 * plus bunzmq's two additions for a refused version and socket type.
 */
const PROTOCOL_CODES = new Set([
  "ERR_ZMTP_UNSPECIFIED",
  "ERR_ZMTP_UNEXPECTED_COMMAND",
  "ERR_ZMTP_INVALID_SEQUENCE",
  "ERR_ZMTP_KEY_EXCHANGE",
  "ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED",
  "ERR_ZMTP_MALFORMED_COMMAND_MESSAGE",
  "ERR_ZMTP_MALFORMED_COMMAND_HELLO",
  "ERR_ZMTP_MALFORMED_COMMAND_INITIATE",
  "ERR_ZMTP_MALFORMED_COMMAND_ERROR",
  "ERR_ZMTP_MALFORMED_COMMAND_READY",
  "ERR_ZMTP_MALFORMED_COMMAND_WELCOME",
  "ERR_ZMTP_INVALID_METADATA",
  "ERR_ZMTP_CRYPTOGRAPHIC",
  "ERR_ZMTP_MECHANISM_MISMATCH",
  "ERR_ZMTP_UNSUPPORTED_VERSION",
  "ERR_ZMTP_SOCKET_TYPE_MISMATCH",
]);

/** How the authenticator answers: a verdict for the credentials, `delay` peer commands after the question. */
export interface Judge {
  verdict(credentials: Credentials): Verdict;
  delay: number;
}

export interface HandshakeRun {
  /** The commands the mechanism sent, in order (ERROR in libzmq's PLAIN spelling reads as ERROR). */
  sent: Command[];
  /** The credentials the mechanism asked about, each with the verdict it got (null: none came in time). */
  asked: Array<{ credentials: Credentials; verdict: Verdict | null }>;
  /** How many peer commands the mechanism took before its handshake ended (or all of them). */
  taken: number;
}

/** The one command in each whole frame a mechanism returned; fails the property on anything else. */
export function commandsIn(frames: readonly Uint8Array[]): Command[] {
  return frames.map((frame) => {
    const { frames: parsed, consumed, error } = referenceFrames(frame, -1);
    expect({ count: parsed.length, whole: consumed === frame.length, error }).toEqual({ count: 1, whole: true, error: null });
    const command = parseHandshakeCommand(parsed[0]!.body);
    expect(command).not.toBeNull();
    return command!;
  });
}

/** Checks the state any mechanism must be in after any call. */
export function expectDefinedState(mechanism: Mechanism): void {
  expect(["handshaking", "ready", "failed"]).toContain(mechanism.status);
  expect(mechanism.failure !== null).toBe(mechanism.status === "failed");
  const failure = mechanism.failure;
  if (failure !== null) {
    if (failure.kind === "protocol")
      expect(PROTOCOL_CODES.has(failure.code) ? failure.code : `unknown code ${failure.code}`).toBe(failure.code);
    else if (failure.kind === "auth") expect([300, 400, 500]).toContain(failure.status!);
    else expect(failure.code).not.toBe("");
    expect(failure.message).not.toBe("");
  }
  if (mechanism.status === "ready") {
    expect(mechanism.peerProperties).not.toBeNull();
    expect(mechanism.pendingCredentials).toBeNull();
  }
}

/**
 * Runs a handshake against `incoming`, the peer's commands in order, as the engine would: commands
 * stop once the handshake has ended, and a verdict is only applied while it lasts.
 */
export function runHandshake(mechanism: Mechanism, incoming: readonly Command[], judge: Judge): HandshakeRun {
  const run: HandshakeRun = { sent: [], asked: [], taken: 0 };
  let waiting: { question: HandshakeRun["asked"][number]; due: number } | null = null;
  const step = (frames: Uint8Array[]): void => {
    run.sent.push(...commandsIn(frames));
    expectDefinedState(mechanism);
    if (mechanism.status === "handshaking" && mechanism.pendingCredentials !== null && waiting === null) {
      const question = { credentials: mechanism.pendingCredentials, verdict: null };
      run.asked.push(question);
      waiting = { question, due: run.taken + judge.delay };
    }
  };
  const answerIfDue = (force: boolean): void => {
    if (waiting === null || mechanism.status !== "handshaking" || (!force && run.taken < waiting.due)) return;
    const verdict = judge.verdict(waiting.question.credentials);
    waiting.question.verdict = verdict;
    waiting = null;
    step(mechanism.onVerdict(verdict));
  };
  step(mechanism.start());
  answerIfDue(false);
  for (const command of incoming) {
    if (mechanism.status !== "handshaking") break;
    run.taken++;
    step(mechanism.onCommand(command));
    answerIfDue(false);
  }
  // The peer went quiet: a verdict still on its way arrives now.
  answerIfDue(true);
  return run;
}

/** How a handshake ended, in the terms the models below predict. */
export interface Outcome {
  status: string;
  /** Protocol and other failures by code, auth failures by ZAP status. */
  failure: { kind: string; code?: string; status?: number } | null;
  /** Names of the commands the mechanism sent. */
  sent: string[];
  /** The peer's metadata as [name, hex value] pairs once ready; left out (null) otherwise. */
  properties: Array<[string, string]> | null;
}

/** The outcome of `run` on `mechanism`. */
export function outcomeOf(mechanism: Mechanism, run: HandshakeRun): Outcome {
  const failure = mechanism.failure;
  const properties = mechanism.peerProperties;
  return {
    status: mechanism.status,
    failure:
      failure === null
        ? null
        : failure.kind === "auth"
          ? { kind: "auth", status: failure.status! }
          : { kind: failure.kind, code: failure.code },
    sent: run.sent.map((command) => command.name),
    // A failed handshake's half-read metadata is nobody's business; a ready one's must be exact.
    properties:
      mechanism.status !== "ready" || properties === null
        ? null
        : [...properties].map(([name, value]) => [name, Buffer.from(value).toString("hex")]),
  };
}

/**
 * How a peer's ERROR (data: reason-len reason) must end a handshake: an auth failure for a ZAP
 * status (zmtp-notes §3.5), a protocol failure for any other reason or malformed data.
 */
export function errorFailure(data: Uint8Array): NonNullable<Outcome["failure"]> {
  const length = data[0];
  const reason = length !== undefined && length <= data.length - 1 ? new TextDecoder().decode(data.subarray(1, 1 + length)) : "";
  if (/^(300|400|500)$/.test(reason)) return { kind: "auth", status: Number(reason) };
  return { kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_ERROR" };
}

/** The verdict an arbitrary `verdictChoice` stands for. */
export function verdictOf(choice: 200 | 300 | 400 | 500 | "failure"): Verdict {
  if (choice === "failure") return { failure: { kind: "other", code: "EFAULT", message: "the authenticator failed" } };
  return { status: choice };
}

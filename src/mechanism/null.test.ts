// The NULL mechanism stepped command by command: READY both ways, and, for a socket with a ZAP domain,
// the verdict READY waits for (libzmq's null_mechanism: ERROR with the status instead, none for 300).

import { describe, expect, test } from "bun:test";
import { parseHandshakeCommand } from "../wire/command.ts";
import { NullMechanism } from "./null.ts";

const text = new TextEncoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const ascii = (s: string): string => Buffer.from(s, "latin1").toString("hex");
const PUSH: Array<readonly [string, Uint8Array]> = [["Socket-Type", text.encode("PUSH")]];
const READY_PUSH = "041a" + "05" + ascii("READY") + "0b" + ascii("Socket-Type") + "00000004" + ascii("PUSH");
const READY_PULL = "041a" + "05" + ascii("READY") + "0b" + ascii("Socket-Type") + "00000004" + ascii("PULL");

function command(frameHex: string) {
  const command = parseHandshakeCommand(Buffer.from(frameHex.slice(4), "hex"));
  if (command === null) throw new Error(`not a command: ${frameHex}`);
  return command;
}

describe("RFC 23 NULL", () => {
  test("SHALL send READY right after the greeting, and is ready once the peer's READY arrives", () => {
    const mechanism = new NullMechanism(PUSH);
    expect(mechanism.start().map(hex)).toEqual([READY_PUSH]);
    expect(mechanism.onCommand(command(READY_PULL))).toEqual([]);
    expect(mechanism.status).toBe("ready");
    expect(mechanism.pendingCredentials).toBe(null);
    expect(mechanism.onCommand(command(READY_PULL))).toEqual([]);
    expect(mechanism.failure?.code).toBe("ERR_ZMTP_UNEXPECTED_COMMAND");
  });

  test("with a ZAP domain, READY waits for the verdict; the peer's READY may come first", () => {
    const mechanism = new NullMechanism(PUSH, true);
    expect(mechanism.start()).toEqual([]);
    expect(mechanism.pendingCredentials).toEqual({ mechanism: "NULL" });
    expect(mechanism.onCommand(command(READY_PULL))).toEqual([]);
    expect(mechanism.status).toBe("handshaking");
    expect(mechanism.onVerdict({ status: 200 }).map(hex)).toEqual([READY_PUSH]);
    expect(mechanism.status).toBe("ready");
  });

  test("refused: ERROR carrying the status for 400 and 500, nothing for 300; a failed authenticator ends it as it stands", () => {
    for (const status of [400, 500] as const) {
      const mechanism = new NullMechanism(PUSH, true);
      mechanism.start();
      const reason = String(status);
      expect(mechanism.onVerdict({ status }).map(hex)).toEqual(["040a" + "05" + ascii("ERROR") + "03" + ascii(reason)]);
      expect(mechanism.failure).toEqual({ kind: "auth", code: "", status, message: `authentication failed with ZAP status ${status}` });
    }
    const temporary = new NullMechanism(PUSH, true);
    temporary.start();
    expect(temporary.onVerdict({ status: 300 })).toEqual([]);
    expect(temporary.failure?.status).toBe(300);
    const missing = new NullMechanism(PUSH, true);
    missing.start();
    expect(missing.onVerdict({ failure: { kind: "other", code: "EFAULT", message: "no handler" } })).toEqual([]);
    expect(missing.failure?.code).toBe("EFAULT");
  });
});

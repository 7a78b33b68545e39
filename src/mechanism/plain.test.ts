// RFC 24/ZMTP-PLAIN state machines stepped command by command, against the HELLO and INITIATE bytes a
// libzmq 4.3.4 PLAIN client sent (zmtp-notes §5.1) and libzmq's misspelt PLAIN ERROR.

import { describe, expect, test } from "bun:test";
import { encodeLibzmqPlainError, parseHandshakeCommand } from "../wire/command.ts";
import { PlainClient, PlainServer, encodeHello, parseHello } from "./plain.ts";

const text = new TextEncoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const ascii = (s: string): string => Buffer.from(s, "latin1").toString("hex");
const DEALER: Array<readonly [string, Uint8Array]> = [
  ["Socket-Type", text.encode("DEALER")],
  ["Identity", new Uint8Array(0)],
];
const PUSH: Array<readonly [string, Uint8Array]> = [["Socket-Type", text.encode("PUSH")]];

// Observed from a libzmq PLAIN client (DEALER, admin/secret), zmtp-notes §5.1 [verified].
const HELLO = "0413" + "05" + ascii("HELLO") + "05" + ascii("admin") + "06" + ascii("secret");
const INITIATE =
  "042c" + "08" + ascii("INITIATE") + "0b" + ascii("Socket-Type") + "00000006" + ascii("DEALER") + "08" + ascii("Identity") + "00000000";
const WELCOME = "0408" + "07" + ascii("WELCOME");

/** The command a whole frame carries (frame header of 2 bytes: short frames only). */
function command(frameHex: string) {
  const command = parseHandshakeCommand(Buffer.from(frameHex.slice(4), "hex"));
  if (command === null) throw new Error(`not a command: ${frameHex}`);
  return command;
}

describe("RFC 24 PLAIN client", () => {
  test("SHALL send HELLO with its username and password right after the greeting (libzmq's bytes)", () => {
    const client = new PlainClient(DEALER, text.encode("admin"), text.encode("secret"));
    expect(client.asServer).toBe(false);
    expect(client.start().map(hex)).toEqual([HELLO]);
  });

  test("answers an 8-byte WELCOME with INITIATE carrying its metadata, and is ready after READY", () => {
    const client = new PlainClient(DEALER, text.encode("admin"), text.encode("secret"));
    client.start();
    expect(client.onCommand(command(WELCOME)).map(hex)).toEqual([INITIATE]);
    expect(client.status).toBe("handshaking");
    const ready = "0419" + "05" + ascii("READY") + "0b" + ascii("Socket-Type") + "00000006" + ascii("ROUTER");
    expect(client.onCommand(command(ready))).toEqual([]);
    expect(client.status).toBe("ready");
    expect(Buffer.from(client.peerProperties!.get("Socket-Type")!).toString()).toBe("ROUTER");
  });

  test("refuses a WELCOME longer than 8 bytes as ERR_ZMTP_MALFORMED_COMMAND_WELCOME", () => {
    const client = new PlainClient(DEALER, text.encode("a"), text.encode("b"));
    client.start();
    client.onCommand(command("0409" + "07" + ascii("WELCOME") + "00"));
    expect(client.failure).toMatchObject({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_WELCOME" });
  });

  test("an ERROR with a ZAP status, in libzmq's or the RFC's spelling, is an auth failure with that status", () => {
    for (const frame of [hex(encodeLibzmqPlainError("400")), "040a" + "05" + ascii("ERROR") + "03" + ascii("500")]) {
      const client = new PlainClient(DEALER, text.encode("a"), text.encode("b"));
      client.start();
      expect(client.onCommand(command(frame))).toEqual([]);
      expect(client.status).toBe("failed");
      expect(client.failure).toMatchObject({ kind: "auth", status: frame.startsWith("0409") ? 400 : 500 });
    }
  });

  test("READY before WELCOME is an unexpected command", () => {
    const client = new PlainClient(DEALER, text.encode("a"), text.encode("b"));
    client.start();
    client.onCommand(command("0406" + "05" + ascii("READY")));
    expect(client.failure).toMatchObject({ kind: "protocol", code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
  });
});

describe("RFC 24 PLAIN server", () => {
  test("sends nothing until HELLO, then asks for a verdict on libzmq's HELLO credentials", () => {
    const server = new PlainServer(PUSH);
    expect(server.asServer).toBe(true);
    expect(server.start()).toEqual([]);
    expect(server.onCommand(command(HELLO))).toEqual([]);
    const pending = server.pendingCredentials!;
    if (pending.mechanism !== "PLAIN") throw new Error(`expected PLAIN credentials, got ${pending.mechanism}`);
    expect(Buffer.from(pending.username).toString()).toBe("admin");
    expect(Buffer.from(pending.password).toString()).toBe("secret");
    expect(server.status).toBe("handshaking");
  });

  test("200 sends WELCOME; libzmq's INITIATE is answered with READY and the handshake is done", () => {
    const server = new PlainServer(PUSH);
    server.onCommand(command(HELLO));
    expect(server.onVerdict({ status: 200 }).map(hex)).toEqual([WELCOME]);
    expect(server.pendingCredentials).toBeNull();
    const ready = "041a" + "05" + ascii("READY") + "0b" + ascii("Socket-Type") + "00000004" + ascii("PUSH");
    expect(server.onCommand(command(INITIATE)).map(hex)).toEqual([ready]);
    expect(server.status).toBe("ready");
    expect(Buffer.from(server.peerProperties!.get("Socket-Type")!).toString()).toBe("DEALER");
  });

  test("400 and 500 send ERROR with the status in libzmq's spelling; 300 closes without ERROR", () => {
    for (const status of [300, 400, 500] as const) {
      const server = new PlainServer(PUSH);
      server.onCommand(command(HELLO));
      const frames = server.onVerdict({ status }).map(hex);
      expect(frames).toEqual(status === 300 ? [] : ["0409" + "5e" + ascii("RROR") + "03" + ascii(String(status))]);
      expect(server.failure).toMatchObject({ kind: "auth", status });
    }
  });

  test("a HELLO that is not exactly ulen, username, pwlen, password is ERR_ZMTP_MALFORMED_COMMAND_HELLO", () => {
    for (const bad of [HELLO + "00", "0407" + "05" + ascii("HELLO") + "05"]) {
      const server = new PlainServer(PUSH);
      server.onCommand(command(bad.slice(0, 2) + (bad.length / 2 - 2).toString(16).padStart(2, "0") + bad.slice(4)));
      expect(server.failure).toMatchObject({ kind: "protocol", code: "ERR_ZMTP_MALFORMED_COMMAND_HELLO" });
    }
  });

  test("a command while the verdict is pending is unexpected, as is INITIATE before HELLO", () => {
    const waiting = new PlainServer(PUSH);
    waiting.onCommand(command(HELLO));
    waiting.onCommand(command(INITIATE));
    expect(waiting.failure).toMatchObject({ code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
    const fresh = new PlainServer(PUSH);
    fresh.onCommand(command(INITIATE));
    expect(fresh.failure).toMatchObject({ code: "ERR_ZMTP_UNEXPECTED_COMMAND" });
  });

  test("an authenticator failure ends the handshake as it stands", () => {
    const server = new PlainServer(PUSH);
    server.onCommand(command(HELLO));
    expect(server.onVerdict({ failure: { kind: "other", code: "EFAULT", message: "no handler" } })).toEqual([]);
    expect(server.failure).toMatchObject({ kind: "other", code: "EFAULT" });
  });
});

describe("HELLO data", () => {
  test("round-trips empty and 255-byte credentials and refuses longer ones", () => {
    const long = new Uint8Array(255).fill(0x61);
    for (const [user, password] of [
      [new Uint8Array(0), new Uint8Array(0)],
      [long, long],
    ] as const) {
      const frame = encodeHello(user, password);
      const data = frame.subarray(frame.length - (2 + user.length + password.length));
      const parsed = parseHello(data)!;
      expect([parsed.username.length, parsed.password.length]).toEqual([user.length, password.length]);
    }
    expect(() => encodeHello(new Uint8Array(256), new Uint8Array(0))).toThrow();
  });
});

// Issue 15: the command-line tool's usage and failures. `--help` (of the tool and of each command)
// prints usage and exits 0 without doing anything, even with arguments that would otherwise bind a
// socket; mistakes in the command line exit 2 with a pointer to --help; a refused operation prints
// the ZmqError's message, code and detail, never a stack; keygen's pair is a working CURVE pair.
// The tool uses the public API only, so its behaviour does not depend on I/O threads: these run
// in the default CI run only.

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { z85Decode } from "../../src/extras.ts";
import { runCli } from "../helpers/cli.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
const COMMANDS = ["send", "receive", "subscribe", "monitor", "keygen", "bench"];
const cleanup = useCleanup();
// Several `bun` processes per test (about 0.1-0.3 s each, more on a loaded machine).
setDefaultTimeout(30_000);

describe.skipIf(THREADED_RUN)("bunzmq's usage", () => {
  test("--help prints the tool's usage, naming every command, and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(["--help"]);
    expect(stderr).toBe("");
    expect(stdout).toStartWith("usage: bunzmq <command>");
    for (const command of COMMANDS) expect(stdout).toContain(`\n  ${command} `);
    expect(code).toBe(0);
  });

  test("each command's --help prints its usage and does nothing else, with exit status 0", async () => {
    // An endpoint and --bind that would bind a socket, and a count that would wait for messages.
    const results = await Promise.all(COMMANDS.map((command) => runCli([command, "--help", "--bind", TCP_ANY])));
    results.forEach(({ code, stdout, stderr }, index) => {
      expect(stderr).toBe("");
      expect(stdout).toStartWith(`usage: bunzmq ${COMMANDS[index]}`);
      expect(stdout).toContain("-h, --help");
      expect(code).toBe(0);
    });
  });

  test("no command prints the usage with status 2; an unknown command or option says so and points to --help", async () => {
    const [none, unknownCommand, unknownOption, missingEndpoint, badNumber] = await Promise.all([
      runCli([]),
      runCli(["fetch"]),
      runCli(["receive", "--colour", TCP_ANY]),
      runCli(["send"]),
      runCli(["receive", "--count", "many", TCP_ANY]),
    ]);
    expect(none.stdout).toStartWith("usage: bunzmq <command>");
    expect(none.code).toBe(2);
    expect(unknownCommand.stderr).toContain('unknown command "fetch"');
    expect(unknownOption.stderr).toContain("Unknown option '--colour'");
    expect(missingEndpoint.stderr).toContain("bunzmq send: no endpoint given");
    expect(badNumber.stderr).toContain('--count takes a whole number of 1 or more, not "many"');
    for (const result of [unknownCommand, unknownOption, missingEndpoint, badNumber]) {
      expect(result.stderr).toContain("--help");
      expect(result.stderr).not.toContain("    at ");
      expect(result.code).toBe(2);
    }
  });

  test("a refused operation prints the ZmqError's message, code and detail without a stack, status 1", async () => {
    const { code, stdout, stderr } = await runCli(["send", "tcp://127.0.0.1", "hello"]);
    expect(stdout).toBe("");
    const [first, detail] = stderr.split("\n");
    expect(first).toBe("bunzmq send: Invalid argument [EINVAL] (tcp://127.0.0.1)");
    expect(detail).toStartWith("  ");
    expect(stderr).not.toContain("    at ");
    expect(code).toBe(1);
  });
});

describe.skipIf(THREADED_RUN)("bunzmq keygen", () => {
  test("prints a CURVE pair in Z85 that a server and a client can use", async () => {
    const [text, json] = await Promise.all([runCli(["keygen"]), runCli(["keygen", "--format", "json"])]);
    expect(text.code).toBe(0);
    const match = /^public: (\S{40})\nsecret: (\S{40})\n$/.exec(text.stdout);
    expect(match).not.toBeNull();
    const [, publicKey, secretKey] = match!;
    expect(z85Decode(publicKey!)?.length).toBe(32);
    expect(z85Decode(secretKey!)?.length).toBe(32);
    const fromJson = JSON.parse(json.stdout) as { publicKey: string; secretKey: string };
    expect(z85Decode(fromJson.publicKey)?.length).toBe(32);
    expect(fromJson.publicKey).not.toBe(publicKey);

    // The pair works: a server holding the secret key accepts a client that trusts the public one.
    const pull = cleanup.track(new Pull({ curveServer: true, curveSecretKey: secretKey!, linger: 0 }));
    await pull.bind(TCP_ANY);
    const client = JSON.parse((await runCli(["keygen", "--format", "json"])).stdout) as { publicKey: string; secretKey: string };
    const push = cleanup.track(
      new Push({ curveServerKey: publicKey!, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey, linger: 0 }),
    );
    push.connect(pull.lastEndpoint!);
    await push.send("sealed");
    const [message] = await withTimeout(pull.receive(), 5000, "a message over CURVE with keygen's keys");
    expect(message!.toString()).toBe("sealed");
  });
});

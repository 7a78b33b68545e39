// Issue 15: `bunzmq monitor` prints a socket's monitor events (a handshake, a refused peer, a type
// mismatch with its error and detail) and counts only the events before Ctrl-C; `bunzmq bench`
// moves what it reports, in each role: both ends in the tool, a PUSH into a PULL of this test, and
// a PULL fed by a PUSH of this test. The tool uses the public API only, so these run in the
// default CI run only.

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { CliChild, runCli } from "../helpers/cli.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
const cleanup = useCleanup();
// Each test starts one or two `bun` processes (about 0.1-0.3 s each, more on a loaded machine).
setDefaultTimeout(30_000);

/** A tcp endpoint nobody listens on: a port the OS gave us a moment ago, closed again. */
function refusedEndpoint(): string {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const endpoint = `tcp://127.0.0.1:${listener.port}`;
  listener.stop(true);
  return endpoint;
}

/** The event name of each monitor line: `<time> <event> <endpoint> …`. */
const eventsOf = (lines: string[]) => lines.map((line) => line.split(" ")[1]);

describe.skipIf(THREADED_RUN)("bunzmq monitor", () => {
  test("prints the connection and handshake of a peer, with its type, and stops at --count", async () => {
    const pull = cleanup.track(new Pull({ linger: 0 }));
    await pull.bind(TCP_ANY);
    const { code, stdout, stderr } = await runCli(["monitor", "--type", "push", "--count", "3", pull.lastEndpoint!]);
    const lines = stdout.trimEnd().split("\n");
    expect(eventsOf(lines)).toEqual(["connect:delay", "connect", "handshake"]);
    expect(lines[2]).toContain(`${pull.lastEndpoint} peer=`);
    expect(lines[2]).toEndWith("peer-type=PULL");
    expect(stderr).toBe(`bunzmq monitor: 3 events on ${pull.lastEndpoint}\n`);
    expect(code).toBe(0);
  });

  test("shows why a handshake fails, with the error's code and detail, as json too", async () => {
    const pull = cleanup.track(new Pull({ linger: 0 }));
    await pull.bind(TCP_ANY);
    const { code, stdout } = await runCli(["monitor", "--type", "pub", "--count", "4", "--format", "json", pull.lastEndpoint!]);
    const records = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const failure = records.find((record) => record.type === "handshake:error:protocol");
    expect(failure?.error).toMatchObject({ code: "ERR_ZMTP_SOCKET_TYPE_MISMATCH", message: "ZMTP protocol error" });
    expect(failure?.error.detail).toContain("PULL");
    expect(code).toBe(0);
  });

  test("Ctrl-C ends it with status 130, its count the lines it printed before", async () => {
    const monitor = new CliChild(cleanup, ["monitor", refusedEndpoint()]);
    // A refused dial: connect:delay, close, connect:retry, again every ~100-200 ms.
    await monitor.stdoutLines(4);
    monitor.interrupt();
    const result = await monitor.finish();
    const lines = result.stdout.trimEnd().split("\n");
    expect(eventsOf(lines).slice(0, 3)).toEqual(["connect:delay", "close", "connect:retry"]);
    expect(result.stderr).toMatch(new RegExp(`^bunzmq monitor: ${lines.length} events on tcp://\\S+ \\(interrupted\\)$`));
    expect(result.code).toBe(130);
  });
});

describe.skipIf(THREADED_RUN)("bunzmq bench", () => {
  test("both ends in the tool: reports every message moved, with a rate", async () => {
    const { code, stdout, stderr } = await runCli(["bench", "--count", "5000", "--size", "100", "--format", "json"]);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ role: "both", messages: 5000, of: 5000, size: 100, ioThreads: 0, interrupted: false });
    expect(report.messagesPerSecond).toBeGreaterThan(0);
    expect(report.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(code).toBe(0);
  });

  test("--role push sends --count messages of --size bytes into a PULL that exists", async () => {
    const pull = cleanup.track(new Pull({ linger: 0 }));
    await pull.bind(TCP_ANY);
    const bench = runCli(["bench", "--role", "push", "--count", "500", "--size", "10", pull.lastEndpoint!]);
    let bytes = 0;
    for (let i = 0; i < 500; i++) bytes += (await withTimeout(pull.receive(), 10_000, `bench message ${i + 1} of 500`))[0]!.length;
    expect(bytes).toBe(5000);
    const { code, stdout } = await bench;
    expect(stdout).toStartWith("bench: sent 500 messages of 10 B in ");
    expect(code).toBe(0);
  });

  test("--role pull counts --count messages from a PUSH that exists", async () => {
    const bench = new CliChild(cleanup, ["bench", "--role", "pull", "--bind", "--count", "300", TCP_ANY]);
    const push = cleanup.track(new Push({ linger: 0 }));
    push.connect(await bench.boundEndpoint());
    for (let i = 0; i < 300; i++) await push.send("x");
    const { code, stdout } = await bench.finish();
    expect(stdout).toStartWith("bench: received 300 messages of 64 B in ");
    expect(code).toBe(0);
  });
});

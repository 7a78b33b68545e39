// Issue 15: `bunzmq send`, `receive` and `subscribe` against bunzmq sockets in this test, over
// tcp and ipc, with CURVE, REQ/REP, multipart lines from stdin and binary frames; --timeout and
// Ctrl-C end a command with a summary of exactly what happened before. The tool uses the public API
// only, so these run in the default CI run only.

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { Pull, Push, Request, XPublisher, curveKeyPair } from "../../src/index.ts";
import { CliChild, runCli } from "../helpers/cli.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const THREADED_RUN = Number(process.env.BUNZMQ_IO_THREADS ?? 0) > 0;
const cleanup = useCleanup();
// Each test starts one or two `bun` processes (about 0.1-0.3 s each, more on a loaded machine); every wait inside is bounded.
setDefaultTimeout(30_000);

async function boundPull(options: ConstructorParameters<typeof Pull>[0] = {}, endpoint = TCP_ANY): Promise<Pull> {
  const pull = cleanup.track(new Pull({ linger: 0, ...options }));
  await pull.bind(endpoint);
  return pull;
}

async function receiveText(pull: Pull, count: number): Promise<string[][]> {
  const messages: string[][] = [];
  for (let i = 0; i < count; i++) {
    const frames = await withTimeout(pull.receive(), 10_000, `message ${i + 1} of ${count} from bunzmq`);
    messages.push(frames.map((frame) => frame.toString()));
  }
  return messages;
}

describe.skipIf(THREADED_RUN)("bunzmq send", () => {
  test("sends each argument as a message once a peer is there, and says how many", async () => {
    const pull = await boundPull();
    const [result, messages] = await Promise.all([runCli(["send", pull.lastEndpoint!, "one", "twö"]), receiveText(pull, 2)]);
    expect(messages).toEqual([["one"], ["twö"]]);
    expect(result.stderr).toBe(`bunzmq send: sent 2 messages to ${pull.lastEndpoint}\n`);
    expect(result.code).toBe(0);
  });

  test("sends stdin's lines over ipc, their tab-separated fields as frames with --multipart", async () => {
    const pull = await boundPull({}, "ipc://*");
    const [result, messages] = await Promise.all([runCli(["send", "-m", pull.lastEndpoint!], "a\tb\nc\t\td\n"), receiveText(pull, 2)]);
    expect(messages).toEqual([
      ["a", "b"],
      ["c", "", "d"],
    ]);
    expect(result.code).toBe(0);
  });

  test("as a CURVE client of a CURVE server, with a key pair it makes itself", async () => {
    const server = curveKeyPair();
    const pull = await boundPull({ curveServer: true, curveSecretKey: server.secretKey });
    const args = ["send", "--curve-server-key", server.publicKey, pull.lastEndpoint!, "sealed"];
    const [result, messages] = await Promise.all([runCli(args), receiveText(pull, 1)]);
    expect(messages).toEqual([["sealed"]]);
    expect(result.code).toBe(0);
  });

  test("with --timeout and no peer: EAGAIN naming the endpoint, status 1, nothing sent", async () => {
    const { code, stderr } = await runCli(["send", "--timeout", "200", "ipc://@bunzmq-cli-nobody-binds-this", "lost"]);
    expect(stderr).toContain("bunzmq send: Operation was not possible or timed out [EAGAIN] (ipc://@bunzmq-cli-nobody-binds-this)");
    expect(stderr).toContain("no peer completed a handshake within 200 ms");
    expect(code).toBe(1);
  });

  test("Ctrl-C while it waits for a peer ends it at once: nothing sent, status 130", async () => {
    const sender = new CliChild(cleanup, ["send", "--bind", TCP_ANY, "never"]);
    const endpoint = await sender.boundEndpoint();
    sender.interrupt();
    const result = await sender.finish();
    expect(result.stderr).toEndWith(`bunzmq send: sent 0 messages to ${endpoint} (interrupted)`);
    expect(result.code).toBe(130);
  });
});

describe.skipIf(THREADED_RUN)("bunzmq receive and subscribe", () => {
  test("receive prints each message as a line (binary frames as hex, json on request) and stops at --count", async () => {
    const [toText, toJson] = [cleanup.track(new Push({ linger: 0 })), cleanup.track(new Push({ linger: 0 }))];
    await Promise.all([toText.bind(TCP_ANY), toJson.bind(TCP_ANY)]);
    const text = runCli(["receive", "--count", "2", toText.lastEndpoint!]);
    const json = runCli(["receive", "-n", "1", "--format", "json", toJson.lastEndpoint!]);
    // Each send waits for its receiver to connect: a bound PUSH with no peer holds the message.
    await toText.send(["plain", "two\tfields"]);
    await toText.send(new Uint8Array([0, 255]));
    await toJson.send(["x", new Uint8Array([0xff])]);
    const [textResult, jsonResult] = await Promise.all([text, json]);
    expect(textResult.stdout).toBe("plain\t0x74776f096669656c6473\n0x00ff\n");
    expect(textResult.stderr).toBe(`bunzmq receive: received 2 messages from ${toText.lastEndpoint}\n`);
    expect(textResult.code).toBe(0);
    expect(jsonResult.stdout).toBe('["x",{"hex":"ff"}]\n');
    expect(jsonResult.code).toBe(0);
  });

  test("a rep answers each request with --reply while printing it", async () => {
    const rep = new CliChild(cleanup, ["receive", "--type", "rep", "--reply", "pong", "--count", "1", "--bind", TCP_ANY]);
    const request = cleanup.track(new Request({ linger: 0 }));
    request.connect(await rep.boundEndpoint());
    await request.send("ping");
    const [reply] = await withTimeout(request.receive(), 10_000, "the rep's reply");
    expect(reply!.toString()).toBe("pong");
    const result = await rep.finish();
    expect(result.stdout).toBe("ping\n");
    expect(result.code).toBe(0);
  });

  test("subscribe gets only its topics", async () => {
    const publisher = cleanup.track(new XPublisher({ linger: 0 }));
    await publisher.bind(TCP_ANY);
    const subscriber = runCli(["subscribe", "--count", "2", publisher.lastEndpoint!, "weather."]);
    // XPUB hands us the subscription: from then on nothing the subscriber wants is dropped.
    const [subscription] = await withTimeout(publisher.receive(), 10_000, "the subscription of bunzmq subscribe");
    expect(subscription!.toString()).toBe("\u0001weather.");
    for (const topic of ["news.today", "weather.rain", "sport.score", "weather.sun"]) await publisher.send(topic);
    const result = await subscriber;
    expect(result.stdout).toBe("weather.rain\nweather.sun\n");
    expect(result.code).toBe(0);
  });

  test("--timeout before --count messages ends it with status 1 and says so", async () => {
    const push = cleanup.track(new Push({ linger: 0 }));
    await push.bind(TCP_ANY);
    const result = await runCli(["receive", "--count", "1", "--timeout", "300", push.lastEndpoint!]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`bunzmq receive: received 0 messages from ${push.lastEndpoint} (none for 300 ms)\n`);
    expect(result.code).toBe(1);
  });

  test("Ctrl-C ends it with status 130 and counts only what arrived before", async () => {
    const receiver = new CliChild(cleanup, ["receive", "--bind", TCP_ANY]);
    const push = cleanup.track(new Push({ linger: 0 }));
    push.connect(await receiver.boundEndpoint());
    for (const word of ["one", "two", "three"]) await push.send(word);
    expect(await receiver.stdoutLines(3)).toEqual(["one", "two", "three"]);
    receiver.interrupt();
    const result = await receiver.finish();
    expect(result.stdout).toBe("one\ntwo\nthree\n");
    expect(result.stderr).toEndWith("received 3 messages from " + (await receiver.boundEndpoint()) + " (interrupted)");
    expect(result.code).toBe(130);
  });
});

// Request-reply, the smallest ZeroMQ program: a Reply server answers "World" to every "Hello" a
// Request client sends (RFC 28, REQ and REP). Both run in this process, over a real connection, so
// the run ends by itself; split them into two programs and nothing else changes but the endpoint.
//
//   bun examples/hello-world/main.ts [--requests 5] [--endpoint tcp://127.0.0.1:*]

import { Reply, Request } from "../../src/index.ts"; // in your project: from "bunzmq"
import { type Print, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";

export const USAGE = `usage: bun examples/hello-world/main.ts [options]

A Request client sends "Hello" and a Reply server answers "World", in turn.

  --requests N      how many requests the client sends (default 5)
  --endpoint URL    where the server binds (default tcp://127.0.0.1:*, any free port;
                    also ipc://* or inproc://hello)
  -h, --help        print this and exit`;

export interface HelloWorldOptions {
  requests: number;
  endpoint: string;
}

/**
 * The server's loop: REP hands it one request at a time and routes the reply back to whoever sent
 * it, so the loop needs no addresses. It ends when the socket is closed.
 */
async function serve(server: Reply, print: Print): Promise<number> {
  let answered = 0;
  for await (const [request] of server) {
    print(`server: received "${request}"`);
    await server.send("World");
    answered++;
  }
  return answered;
}

/** Runs the exchange; resolves to the replies the client got, in order. */
export async function helloWorld({ requests, endpoint }: HelloWorldOptions, print: Print): Promise<string[]> {
  const server = new Reply();
  // A reply that never comes rejects receive() with EAGAIN after 5 s instead of waiting for ever.
  const client = new Request({ receiveTimeout: 5000 });
  const replies: string[] = [];
  let serving: Promise<number> = Promise.resolve(0);
  try {
    await server.bind(endpoint);
    print(`server: bound ${server.lastEndpoint}`);
    // The client may connect before or after the bind: ZeroMQ queues the request until the peer is there.
    client.connect(server.lastEndpoint!);
    serving = serve(server, print);
    for (let i = 1; i <= requests; i++) {
      // REQ is strict: send, then receive, then send again (a second send first would reject with EFSM).
      await client.send(`Hello ${i}`);
      const [reply] = await client.receive();
      replies.push(reply!.toString());
      print(`client: request ${i} answered "${reply}"`);
    }
  } finally {
    client.close();
    server.close();
  }
  print(`server: answered ${await serving} requests`);
  return replies;
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(
    argv,
    USAGE,
    { requests: { type: "string", default: "5" }, endpoint: { type: "string", default: "tcp://127.0.0.1:*" } },
    print,
  );
  if (flags === null) return 0;
  const replies = await helloWorld({ requests: wholeNumber("requests", flags.requests), endpoint: String(flags.endpoint) }, print);
  return replies.length === wholeNumber("requests", flags.requests) && replies.every((reply) => reply === "World") ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);

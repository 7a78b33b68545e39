// Service-oriented request-reply with the Majordomo Protocol (RFC 18/MDP 0.2): clients ask a broker
// for a service by name, workers register the service they offer, and the broker matches them. The
// run shows what MDP adds to plain request-reply:
//   - routing by service name, each request to the worker of that service that has waited longest
//     (two "echo" workers share the echo requests);
//   - several replies to one request ("count" sends PARTIAL 1, 2, 3, then FINAL);
//   - a request for a service no worker offers yet waits in the broker, and is served when one
//     registers ("upper"); one nobody ever offers is dropped, and the client gives up ("weather");
//   - workers that say DISCONNECT when they stop, so the broker forgets them at once.
//
//   bun examples/majordomo/main.ts [--echoes 4] [--count 3] [--heartbeat-ms 100]

import { type Print, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";
import { MajordomoBroker } from "./broker.ts";
import { MajordomoClient, type Reply } from "./client.ts";
import { type Handler, MajordomoWorker } from "./worker.ts";

export const USAGE = `usage: bun examples/majordomo/main.ts [options]

A Majordomo broker with "echo", "count" and (late) "upper" workers, and a client asking each.

  --echoes N         echo requests the client sends (default 4)
  --count N          PARTIAL replies the count service sends before its FINAL (default 3)
  --heartbeat-ms N   heartbeat interval of broker and workers (default 100); a peer silent
                     for 5 of them is taken for gone, a request without a worker is dropped
                     after 5, and the client waits 10 for a reply
  -h, --help         print this and exit`;

export interface MajordomoOptions {
  echoes: number;
  count: number;
  heartbeatMs: number;
}

export interface MajordomoSummary {
  echoes: Array<Reply | null>;
  count: Reply | null;
  upper: Reply | null;
  /** The request for a service that never appears: null, since the client gives up. */
  weather: Reply | null;
  /** FINAL replies sent by each worker, by name. */
  answered: Record<string, number>;
}

const echo: Handler = async (request) => request.map(String);
const upper: Handler = async (request) => request.map((frame) => frame.toString().toUpperCase());
const counter =
  (count: number): Handler =>
  async (_request, partial) => {
    for (let i = 1; i <= count; i++) await partial([String(i)]);
    return ["done"];
  };

export async function majordomo(options: MajordomoOptions, print: Print): Promise<MajordomoSummary> {
  const timing = { heartbeatMs: options.heartbeatMs, liveness: 5 };
  const broker = new MajordomoBroker(timing, 5 * options.heartbeatMs, print);
  const endpoint = await broker.start("tcp://127.0.0.1:*");
  const worker = (name: string, service: string, handler: Handler) => new MajordomoWorker(name, service, endpoint, timing, handler, print);
  const workers = [worker("echo-1", "echo", echo), worker("echo-2", "echo", echo), worker("count-1", "count", counter(options.count))];
  const late = worker("upper-1", "upper", upper);
  const running = workers.map((w) => w.run());
  // All three registered before the first request, so the echo workers take turns from the start.
  await broker.until(() => broker.workerCount >= 3, 20 * options.heartbeatMs);
  const client = new MajordomoClient(endpoint, 10 * options.heartbeatMs, print);
  try {
    const echoes: Array<Reply | null> = [];
    for (let i = 1; i <= options.echoes; i++) {
      echoes.push(await client.request("echo", [`hello ${i}`], 3));
      print(`client: echo replied ${JSON.stringify(echoes.at(-1)?.final)}`);
    }
    const count = await client.request("count", ["please"], 3);
    print(`client: count replied ${JSON.stringify(count?.partials)} then ${JSON.stringify(count?.final)}`);
    // Asked before any "upper" worker exists: the broker keeps the request until one registers.
    const asking = client.request("upper", ["shout"], 3);
    running.push(late.run());
    const upperReply = await asking;
    print(`client: upper replied ${JSON.stringify(upperReply?.final)}`);
    const weather = await client.request("weather", ["today?"], 1);
    for (const w of [...workers, late]) w.stop();
    // Each stopping worker says DISCONNECT; give the broker a moment to hear them all.
    await broker.until(() => broker.workerCount === 0, 20 * options.heartbeatMs);
    const answered = Object.fromEntries([...workers, late].map((w) => [w.name, w.answered]));
    return { echoes, count, upper: upperReply, weather, answered };
  } finally {
    client.close();
    for (const w of [...workers, late]) w.stop();
    await Promise.all(running);
    await broker.close();
  }
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(
    argv,
    USAGE,
    {
      echoes: { type: "string", default: "4" },
      count: { type: "string", default: "3" },
      "heartbeat-ms": { type: "string", default: "100" },
    },
    print,
  );
  if (flags === null) return 0;
  const summary = await majordomo(
    {
      echoes: wholeNumber("echoes", flags.echoes),
      count: wholeNumber("count", flags.count, 0),
      heartbeatMs: wholeNumber("heartbeat-ms", flags["heartbeat-ms"], 10),
    },
    print,
  );
  for (const [name, count] of Object.entries(summary.answered)) print(`${name}: answered ${count}`);
  const served = summary.echoes.every((reply) => reply !== null) && summary.count !== null && summary.upper !== null;
  return served && summary.weather === null ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);

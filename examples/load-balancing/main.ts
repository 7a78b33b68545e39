// The load-balancing broker at work: clients send requests to the broker's front end, workers take
// them from its back end, and each request goes to a free worker (broker.ts). Workers here take a
// random time per request, so the fast ones come back sooner and take more: that is the point of
// routing by readiness instead of round robin, which would give each worker the same share.
//
//   bun examples/load-balancing/main.ts [--clients 4] [--workers 3] [--requests 5]

import { Request, Router } from "../../src/index.ts"; // in your project: from "bunzmq"
import { type Print, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";
import { LoadBalancer, READY } from "./broker.ts";

export const USAGE = `usage: bun examples/load-balancing/main.ts [options]

Clients send requests through a broker that hands each to a free worker.

  --clients N    how many clients (default 4)
  --workers N    how many workers (default 3)
  --requests N   requests per client (default 5)
  -h, --help     print this and exit`;

export interface LoadBalancingOptions {
  clients: number;
  workers: number;
  requests: number;
}

export interface LoadBalancingSummary {
  /** The replies each client got, in order, by client name. */
  replies: Record<string, string[]>;
  /** Requests the broker routed to each worker, by worker name. */
  routed: Record<string, number>;
}

/**
 * A worker: a Request socket that announces itself with READY and then answers whatever request
 * comes back. The broker's envelope [client, ""] comes with each request and goes back with the reply.
 */
async function work(name: string, socket: Request, slowness: number): Promise<void> {
  try {
    await socket.send(READY);
    for (;;) {
      const [client, , request] = await socket.receive();
      await new Promise((resolve) => setTimeout(resolve, slowness * Math.random()));
      await socket.send([client!, "", `${request} done by ${name}`]);
    }
  } catch (error) {
    if (!socket.closed) throw error; // closed while waiting: the run is over
  }
}

/** A client: a Request socket, one request and its reply at a time. */
async function ask(name: string, socket: Request, requests: number, print: Print): Promise<string[]> {
  const replies: string[] = [];
  for (let i = 1; i <= requests; i++) {
    await socket.send(`${name} request ${i}`);
    const [reply] = await socket.receive();
    replies.push(reply!.toString());
    print(`${name}: ${reply}`);
  }
  return replies;
}

export async function loadBalancing(options: LoadBalancingOptions, print: Print): Promise<LoadBalancingSummary> {
  const frontEnd = new Router();
  const backEnd = new Router();
  const balancer = new LoadBalancer(frontEnd, backEnd, print);
  // Named routing ids make the broker's log readable; without them the Routers make up their own.
  const workers = Array.from({ length: options.workers }, (_, i) => new Request({ routingId: `worker-${i + 1}` }));
  const clients = Array.from({ length: options.clients }, (_, i) => new Request({ routingId: `client-${i + 1}`, receiveTimeout: 10_000 }));
  try {
    await frontEnd.bind("tcp://127.0.0.1:*");
    await backEnd.bind("tcp://127.0.0.1:*");
    const running = balancer.run();
    // Workers differ in speed: worker-1 is the fastest.
    const working = workers.map((socket, i) => {
      socket.connect(backEnd.lastEndpoint!);
      return work(`worker-${i + 1}`, socket, 5 * (i + 1));
    });
    const asking = clients.map((socket, i) => {
      socket.connect(frontEnd.lastEndpoint!);
      return ask(`client-${i + 1}`, socket, options.requests, print);
    });
    const replies = Object.fromEntries((await Promise.all(asking)).map((list, i) => [`client-${i + 1}`, list]));
    balancer.close();
    for (const socket of workers) socket.close();
    await Promise.all([running, ...working]);
    const routed = Object.fromEntries([...balancer.routed].sort());
    for (const [worker, count] of Object.entries(routed)) print(`broker: routed ${count} requests to ${worker}`);
    return { replies, routed };
  } finally {
    balancer.close();
    for (const socket of [...workers, ...clients]) socket.close();
  }
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(
    argv,
    USAGE,
    { clients: { type: "string", default: "4" }, workers: { type: "string", default: "3" }, requests: { type: "string", default: "5" } },
    print,
  );
  if (flags === null) return 0;
  const options = {
    clients: wholeNumber("clients", flags.clients),
    workers: wholeNumber("workers", flags.workers),
    requests: wholeNumber("requests", flags.requests),
  };
  const summary = await loadBalancing(options, print);
  const answered = Object.values(summary.replies).flat().length;
  return answered === options.clients * options.requests ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);

// The proxy process of bench/proxy.ts: a PULL front end bound where told and a PUSH back end
// connected to the receiver, joined by bunzmq's Proxy or by libzmq's zmq_proxy.
//
//   bun bench/proxy-fixture.ts bunzmq|libzmq <front bind endpoint> <back connect endpoint>
//
// Prints `ENDPOINT <front endpoint>` once forwarding has started, then forwards until stdin closes
// (or the parent dies), and exits. Both sides keep libzmq's defaults: HWM 1000 each way.
// bunzmq: `new Proxy(pull, push).run()` in this event loop. libzmq: zmq_proxy blocks its thread
// for good, so it runs in a Worker (bench/libzmq-proxy-worker.ts) and this thread stays free to see
// stdin close; process.exit() then ends the Worker inside zmq_proxy.

import { Proxy, Pull, Push } from "../src/index.ts";
import { onStdinLines } from "./child.ts";

const parentPid = process.ppid;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function runBunzmq(front: string, back: string): Promise<void> {
  const pull = new Pull({ linger: 0 });
  const push = new Push({ linger: 0 });
  await pull.bind(front);
  push.connect(back);
  const done = new Proxy(pull, push).run();
  say(`ENDPOINT ${pull.lastEndpoint}`);
  await done;
}

async function runLibzmq(front: string, back: string): Promise<void> {
  const worker = new Worker(new URL("./libzmq-proxy-worker.ts", import.meta.url).href, { workerData: { front, back } } as WorkerOptions);
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.addEventListener("message", (event) => resolve(String((event as MessageEvent).data)), { once: true });
    worker.addEventListener("error", (event) => reject(new Error((event as ErrorEvent).message)), { once: true });
  });
  say(`ENDPOINT ${endpoint}`);
}

const [impl, front, back] = process.argv.slice(2);
if ((impl !== "bunzmq" && impl !== "libzmq") || front === undefined || back === undefined) {
  process.stderr.write("usage: bun bench/proxy-fixture.ts bunzmq|libzmq <front bind endpoint> <back connect endpoint>\n");
  process.exit(1);
}
onStdinLines(() => {}, () => process.exit(0));
setInterval(() => process.ppid !== parentPid && process.exit(0), 1000).unref();
await (impl === "bunzmq" ? runBunzmq(front, back) : runLibzmq(front, back));

// The configurations of bench/scenarios/pub-fanout.ts: one publisher and its subscriber children per
// row × number of subscribers, each implementation talking only to itself. The rows:
// - bunzmq (fast path): a Publisher in the bench process (trySend, `await send()` when it returns
//   false), subscribers on receiveBatch().
// - bunzmq (zeromq.js API): an XPublisher({ noDrop }) sending with `await send()` for every message,
//   subscribers looping on `await receive()`, the way a zeromq.js user writes both.
// - raw Bun SUB (floor): the zeromq.js-API publisher, subscribers with no ZeroMQ logic
//   (bench/fixtures/raw-sub-stream.ts): what Bun can do here per received message.
// - raw Bun SUB, await (the API's floor): the same, each message handed out through `await receive()`
//   on a bare queue (bench/fixtures/await-queue.ts): what the zeromq.js API itself costs in Bun.
// - libzmq: a PUB in the bench process, blocking zmq_send from one reused buffer (one bun:ffi call per
//   message, a small part of the ~1 µs of CPU it spends per message); subscribers in C (bench/fixtures/libzmq-sub.c, built
//   on first use), or through bun:ffi (sub-fixture.ts) with the reason printed where no C compiler is.
// - zeromq.js: cannot load under Bun, so its Publisher is a Node child too
//   (bench/fixtures/zeromqjs/pub-fixture.mjs, `await pub.send()`), driven by one request line per batch.
// Subscribers are bench/fixtures/sub-fixture.ts (Bun) or bench/fixtures/zeromqjs/sub-fixture.mjs (Node) children.

import { Publisher, XPublisher } from "../../src/index.ts";
import { cBuffer, LibzmqContext, ZMQ } from "../../peers/libzmq/index.ts";
import { buildCFixture, type CFixture } from "../harness/c-fixture.ts";
import { Child } from "../harness/child.ts";
import type { Zeromqjs } from "../harness/zeromqjs-setup.ts";

export type Impl = "bunzmq" | "bunzmq-api" | "raw" | "raw-await" | "libzmq" | "zeromq.js";

export interface Config {
  label: string;
  impl: Impl;
  subs: Child[];
  /** Publishes `count` messages of `size` bytes (resolves when the send loop is done). */
  publish(count: number, size: number): Promise<void>;
  close(): void;
  error: string | null;
}

/** How every publisher and subscriber is set up: plain PUB or no-drop, and the HWM both ways. */
export interface FanoutSettings {
  drop: boolean;
  hwm: number;
}

const LABELS: Record<Impl, (subs: number) => string> = {
  bunzmq: (n) => `bunzmq PUB → ${n} bunzmq SUB  trySend / receiveBatch`,
  "bunzmq-api": (n) => `bunzmq XPUB → ${n} bunzmq SUB  await send / await receive()`,
  raw: (n) => `bunzmq XPUB → ${n} raw Bun SUB (floor)`,
  "raw-await": (n) => `bunzmq XPUB → ${n} raw Bun SUB, await (API floor)`,
  libzmq: (n) => `libzmq PUB → ${n} libzmq SUB`,
  "zeromq.js": (n) => `zeromq.js PUB → ${n} zeromq.js SUB (Node)`,
};

export const configLabel = (impl: Impl, subCount: number) => LABELS[impl](subCount);

function body(size: number): Uint8Array {
  const b = cBuffer(size).subarray(0, size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

type Publishing = Pick<Config, "publish" | "close"> & { endpoint: string };

async function bunzmqPublisher({ drop, hwm }: FanoutSettings): Promise<Publishing> {
  const pub = new Publisher({ linger: 0, noDrop: !drop, sendHighWaterMark: hwm });
  await pub.bind("tcp://127.0.0.1:*");
  const publish = async (count: number, size: number) => {
    const msg = body(size);
    if (drop) {
      for (let i = 0; i < count; i++) {
        pub.trySend(msg);
        if ((i & 1023) === 1023) await new Promise((resolve) => setImmediate(resolve));
      }
    } else {
      for (let i = 0; i < count; i++) if (!pub.trySend(msg)) await pub.send(msg);
    }
  };
  return { endpoint: pub.lastEndpoint!, publish, close: () => pub.close() };
}

/** The zeromq.js way: an XPublisher, `await send()` for every message. */
async function bunzmqApiPublisher({ drop, hwm }: FanoutSettings): Promise<Publishing> {
  const pub = new XPublisher({ linger: 0, noDrop: !drop, sendHighWaterMark: hwm });
  await pub.bind("tcp://127.0.0.1:*");
  const publish = async (count: number, size: number) => {
    const msg = body(size);
    for (let i = 0; i < count; i++) await pub.send(msg);
  };
  return { endpoint: pub.lastEndpoint!, publish, close: () => pub.close() };
}

function libzmqPublisher({ drop, hwm }: FanoutSettings): Publishing {
  const pub = new LibzmqContext().socket(ZMQ.PUB);
  pub.setInt(ZMQ.SNDHWM, hwm);
  if (!drop) pub.setInt(ZMQ.XPUB_NODROP, 1);
  pub.setInt(ZMQ.SNDTIMEO, 5000);
  pub.bind("tcp://127.0.0.1:*");
  return {
    endpoint: pub.lastEndpoint,
    publish: async (count, size) => void pub.sendMany(body(size), size, count),
    close: () => pub.context.term(),
  };
}

/** The zeromq.js publisher child; it is added to `children`, which the bench stops. */
async function zeromqjsPublisher({ drop, hwm }: FanoutSettings, node: string, children: Child[]): Promise<Publishing> {
  const pub = await Child.spawn(
    "zeromq.js PUB",
    new URL("../fixtures/zeromqjs/pub-fixture.mjs", import.meta.url),
    [drop ? "drop" : "nodrop", String(hwm)],
    node,
  );
  children.push(pub);
  const publish = async (count: number, size: number) => {
    const answer = await pub.ask(`${count} ${size}`);
    if (answer !== `SENT ${count}`) throw new Error(`zeromq.js publisher answered "${answer}" for ${count} messages of ${size} B`);
  };
  return { endpoint: pub.endpoint, publish, close: () => {} };
}

/**
 * One configuration: its publisher, `subCount` subscriber children (added to `children`), and the
 * slow-joiner wait done. `zeromqjs` is required for impl "zeromq.js".
 */
export async function makeConfig(
  impl: Impl,
  subCount: number,
  settings: FanoutSettings,
  children: Child[],
  zeromqjs: Zeromqjs | null,
): Promise<Config> {
  const publishing =
    impl === "bunzmq"
      ? await bunzmqPublisher(settings)
      : impl === "bunzmq-api" || impl === "raw" || impl === "raw-await"
        ? await bunzmqApiPublisher(settings)
        : impl === "libzmq"
          ? libzmqPublisher(settings)
          : await zeromqjsPublisher(settings, zeromqjs!.node, children);
  const subscriber = impl === "bunzmq-api" ? "bunzmq-receive" : impl;
  const cSubscriber = impl === "libzmq" ? libzmqSubscriberInC() : null;
  const [fixture, args, runtime]: [URL, string[], string | null] =
    impl === "zeromq.js"
      ? [new URL("../fixtures/zeromqjs/sub-fixture.mjs", import.meta.url), [publishing.endpoint], zeromqjs!.node]
      : cSubscriber !== null
        ? [cSubscriber, [publishing.endpoint], null]
        : [new URL("../fixtures/sub-fixture.ts", import.meta.url), [subscriber, publishing.endpoint], process.execPath];
  const subs: Child[] = [];
  const config: Config = {
    label: configLabel(impl, subCount),
    impl,
    subs,
    publish: publishing.publish,
    close: publishing.close,
    error: null,
  };
  for (let i = 0; i < subCount; i++) {
    const child = await Child.spawn(`${impl} SUB ${i + 1}`, fixture, args, runtime);
    children.push(child);
    subs.push(child);
    if (child.hello !== "READY") throw new Error(`${child.name} said "${child.hello}"`);
  }
  await join(config);
  return config;
}

let cBuild: CFixture | null = null;

/** The C libzmq subscriber, built once per bench run; null (the reason printed once) without a C compiler. */
function libzmqSubscriberInC(): URL | null {
  if (cBuild === null) {
    cBuild = buildCFixture(new URL("../fixtures/libzmq-sub.c", import.meta.url));
    if (cBuild.error !== null) console.log(`libzmq subscribers run through bun:ffi: ${cBuild.error}`);
  }
  return cBuild.path === null ? null : Bun.pathToFileURL(cBuild.path);
}

/** The slow-joiner wait: publish 1 B messages until every subscriber has received one. */
async function join(config: Config): Promise<void> {
  const joined = Promise.all(config.subs.map((s) => s.askWithin("JOIN", 12_000)));
  let done = false;
  joined.finally(() => (done = true)).catch(() => {});
  while (!done) {
    await config.publish(1, 1);
    await Bun.sleep(5);
  }
  const answers = await joined;
  if (answers.some((a) => a !== "JOINED")) throw new Error(`${config.label}: join answers ${answers.join(", ")}`);
  await Bun.sleep(50); // let the last 1 B strays arrive before the first batch
}

// The zeromq.js sides of bench/req-rep-latency.ts under Node, with bench/req-rep-fixture.ts's
// protocol, so the bench drives them like the bunzmq and libzmq rows.
//
//   node bench/zeromqjs/req-rep-fixture.mjs rep <bind endpoint>
//     Binds a Reply, prints `ENDPOINT <endpoint>`, echoes every request until stdin closes.
//   node bench/zeromqjs/req-rep-fixture.mjs req <endpoint>|inproc
//     Connects a Request (with `inproc`, to a Reply it binds in this process, same event loop, as
//     bunzmq's inproc row), prints `READY`, then serves:
//       WARM <count> <size>  -> `DONE <count>`            round trips, not recorded
//       RUN <count> <size>   -> `DONE <count> <p50 ns>`   round trips, each one timed and recorded
//       STATS                -> `STATS <n> <min> <p50> <p90> <p99> <max> <mean>` (ns) over every RUN
//                               sample since the last STATS, then forgets them
//     Any failure answers `FAIL <reason>`.
//
// The zeromq.js way, as a user writes it: `await req.send(msg); const [reply] = await
// req.receive()`, and `for await (const [msg] of rep) await rep.send(msg)`. Each round trip is
// timed on its own with process.hrtime.bigint() (~50 ns, against round trips of tens of µs) in
// this process, and the percentiles are nearest rank over every sample, as the Bun fixture does.

import { Reply, Request } from "zeromq";
import { body, die, lineQueue, percentile, say } from "./lines.mjs";

const FIXTURE = "req-rep-fixture.mjs";
/** A reply missing for this long fails the row (the Bun fixtures' 2 s). */
const TIMEOUT_MS = 2000;

async function serve(rep) {
  for await (const [msg] of rep) await rep.send(msg);
}

async function runRep(endpoint) {
  const rep = new Reply({ linger: 0 });
  await rep.bind(endpoint);
  lineQueue(() => {
    rep.close();
    process.exit(0);
  });
  say(`ENDPOINT ${rep.lastEndpoint}`);
  await serve(rep);
}

/** The STATS line over `samples` (ns), sorted in place. */
function statsLine(samples) {
  samples.sort((a, b) => a - b);
  let sum = 0;
  for (const v of samples) sum += v;
  const pick = (p) => Math.round(percentile(samples, p));
  return `STATS ${samples.length} ${samples[0] ?? NaN} ${pick(50)} ${pick(90)} ${pick(99)} ${samples[samples.length - 1] ?? NaN} ${Math.round(sum / samples.length)}`;
}

/** `count` round trips of `size` bytes; their times (ns) go to `record` unless it is null. */
async function roundTrips(req, count, message, record) {
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await req.send(message);
    const [reply] = await req.receive();
    const t1 = process.hrtime.bigint();
    if (reply.length !== message.length) bad++;
    record?.push(Number(t1 - t0));
  }
  return bad;
}

async function runReq(target) {
  let rep = null;
  if (target === "inproc") {
    rep = new Reply({ linger: 0 });
    await rep.bind("inproc://bench-zeromqjs-rep");
    serve(rep).catch(() => {}); // ends when the socket closes, with the process
  }
  const req = new Request({ linger: 0, receiveTimeout: TIMEOUT_MS, sendTimeout: TIMEOUT_MS });
  req.connect(rep ? rep.lastEndpoint : target);
  const lines = lineQueue(() => {
    req.close();
    rep?.close();
    process.exit(0);
  });
  const buffer = body(65536);
  let samples = [];
  say("READY");
  for (;;) {
    const words = (await lines.next()).trim().split(/\s+/);
    if (words[0] === "STATS") {
      say(statsLine(samples));
      samples = [];
      continue;
    }
    const count = Number(words[1]);
    const size = Number(words[2]);
    if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(size) || size < 0 || size > 65536) die(FIXTURE, `bad line "${words.join(" ")}"`);
    const record = words[0] === "RUN" ? [] : null;
    let bad;
    try {
      bad = await roundTrips(req, count, buffer.subarray(0, size), record);
    } catch (error) {
      say(`FAIL ${error.code ?? ""} ${error.message}`);
      process.exit(1);
    }
    if (bad > 0) {
      say(`FAIL ${bad} replies of the wrong size`);
      continue;
    }
    if (!record) {
      say(`DONE ${count}`);
      continue;
    }
    for (const ns of record) samples.push(ns);
    say(`DONE ${count} ${Math.round(percentile(record.sort((a, b) => a - b), 50))}`);
  }
}

const [role, endpoint] = process.argv.slice(2);
if (role === "rep" && endpoint) await runRep(endpoint);
else if (role === "req" && endpoint) await runReq(endpoint);
else die(FIXTURE, `usage: node req-rep-fixture.mjs rep <bind endpoint> | req <endpoint>|inproc (got ${process.argv.slice(2).join(" ")})`);

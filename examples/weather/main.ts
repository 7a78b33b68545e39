// Publish-subscribe: a weather station publishes readings for many zip codes, and a client that cares
// about one zip code subscribes to it and averages what arrives (RFC 29, PUB and SUB). Filtering is
// by prefix of the first frame and happens on the publisher's side, so the client never sees the
// other zip codes. Two things every PUB/SUB program meets show here:
//   - a subscriber that joins late misses what was published before (the "slow joiner"): the station
//     just keeps publishing, and the client counts only what it receives;
//   - a subscription is a prefix, and matches more than it seems ("1001" matches 10010 to 10019),
//     so the topic ends with the space that follows the zip code.
//
//   bun examples/weather/main.ts [--zip 10001] [--updates 20]

import { Publisher, Subscriber } from "../../src/index.ts"; // in your project: from "bunzmq"
import { type Print, UsageError, parseFlags, runAsCommand, wholeNumber } from "../cli.ts";

export const USAGE = `usage: bun examples/weather/main.ts [options]

A weather station publishes "zip temperature humidity" for zip codes 10000-10099; a client
subscribes to one zip code and averages the temperatures it receives.

  --zip CODE     the zip code the client subscribes to, 10000-10099 (default 10001)
  --updates N    how many readings the client averages (default 20)
  -h, --help     print this and exit`;

export interface WeatherOptions {
  zip: number;
  updates: number;
}

export interface WeatherSummary {
  /** Readings the client received: all for its zip code. */
  received: string[];
  averageTemperature: number;
  /** Readings the station published meanwhile, for every zip code. */
  published: number;
}

/** One reading: "zip temperature humidity", as text so any language can parse it. */
function reading(): string {
  const zip = 10_000 + Math.floor(Math.random() * 100);
  const temperature = Math.floor(Math.random() * 215) - 80;
  const humidity = 10 + Math.floor(Math.random() * 50);
  return `${zip} ${temperature} ${humidity}`;
}

/**
 * The station publishes until told to stop. A Publisher never waits for subscribers: with none, or
 * one at its high-water mark, a reading is dropped for it. The yield every 100 readings lets the
 * subscriber, in this same process, take its share of the event loop.
 */
async function publish(station: Publisher, running: () => boolean): Promise<number> {
  let published = 0;
  while (running()) {
    await station.send(reading());
    if (++published % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return published;
}

export async function weather({ zip, updates }: WeatherOptions, print: Print): Promise<WeatherSummary> {
  const station = new Publisher();
  const client = new Subscriber({ receiveTimeout: 5000 });
  let done = false;
  let publishing: Promise<number> = Promise.resolve(0);
  const received: string[] = [];
  try {
    await station.bind("tcp://127.0.0.1:*");
    client.connect(station.lastEndpoint!);
    // With the space, the subscription is exactly one zip code, whatever the length of the others.
    client.subscribe(`${zip} `);
    print(`client: subscribed to "${zip} " at ${station.lastEndpoint}`);
    publishing = publish(station, () => !done);
    while (received.length < updates) {
      const [message] = await client.receive();
      received.push(message!.toString());
      print(`client: ${message}`);
    }
  } finally {
    done = true;
    client.close();
    station.close();
  }
  const temperatures = received.map((line) => Number(line.split(" ")[1]));
  const averageTemperature = temperatures.reduce((sum, t) => sum + t, 0) / temperatures.length;
  const published = await publishing;
  print(`client: average temperature for ${zip} was ${averageTemperature.toFixed(1)} F over ${updates} readings`);
  print(`station: published ${published} readings for 100 zip codes meanwhile`);
  return { received, averageTemperature, published };
}

export async function main(argv: string[], print: Print): Promise<number> {
  const flags = parseFlags(argv, USAGE, { zip: { type: "string", default: "10001" }, updates: { type: "string", default: "20" } }, print);
  if (flags === null) return 0;
  const zip = wholeNumber("zip", flags.zip, 10_000);
  if (zip > 10_099) throw new UsageError(`--zip must be 10000-10099, got ${zip}`);
  const summary = await weather({ zip, updates: wholeNumber("updates", flags.updates) }, print);
  return summary.received.every((line) => line.startsWith(`${zip} `)) ? 0 : 1;
}

if (import.meta.main) await runAsCommand(main, USAGE);

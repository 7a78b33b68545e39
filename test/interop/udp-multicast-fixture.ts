// Runs inside a network namespace of its own (udp-multicast.test.ts starts it under `unshare -n`
// after bringing lo up with multicast on): two bunzmq Dishes and one libzmq DISH bound to one
// multicast group and port on lo, and a bunzmq Radio and a libzmq RADIO sending to the group. Prints
// one JSON line: what each receiver got from each sender, or the error.
// Usage: bun udp-multicast-fixture.ts <path of the DRAFT libzmq>

import { LibzmqContext, LibzmqDraftSocket, ZMQ } from "../../peers/libzmq/index.ts";
import { Dish, Radio } from "../../src/draft.ts";
import { freeUdpPort } from "../helpers/udp.ts";
import { waitFor } from "../helpers/wait.ts";

const [libraryPath] = process.argv.slice(2);
const port = await freeUdpPort();
const endpoint = `udp://127.0.0.1;239.192.77.${1 + (port % 250)}:${port}`;
const context = new LibzmqContext({ library: libraryPath! });
const ours = [new Dish({ linger: 0 }), new Dish({ linger: 0 })];
const theirDish = new LibzmqDraftSocket(context.socket(ZMQ.DISH));
const ourRadio = new Radio({ linger: 0 });
const theirRadio = new LibzmqDraftSocket(context.socket(ZMQ.RADIO));
/** Receiver -> senders heard ("bunzmq", "libzmq"), from each message's body. */
const heard: Record<string, Set<string>> = { "bunzmq dish 1": new Set(), "bunzmq dish 2": new Set(), "libzmq dish": new Set() };
let result: object;
try {
  for (const dish of ours) {
    dish.join("g");
    await dish.bind(endpoint);
  }
  theirDish.socket.bind(endpoint);
  theirDish.join("g");
  ourRadio.connect(endpoint);
  theirRadio.socket.connect(endpoint);
  const done = () => Object.values(heard).every((senders) => senders.size === 2);
  await waitFor(
    () => {
      ourRadio.trySend("bunzmq", { group: "g" });
      theirRadio.trySend("libzmq", { group: "g" });
      ourRadio.trySend("other", { group: "other" });
      ours.forEach((dish, index) => {
        for (let message = dish.tryReceive(); message !== null; message = dish.tryReceive()) {
          heard[`bunzmq dish ${index + 1}`]!.add(String(message[0]));
        }
      });
      for (let message = theirDish.tryReceive(); message !== null; message = theirDish.tryReceive())
        heard["libzmq dish"]!.add(String(message.body));
      return done() ? true : null;
    },
    { what: "every receiver to hear both senders", timeoutMs: 8000 },
  ).catch(() => {});
  result = { endpoint, heard: Object.fromEntries(Object.entries(heard).map(([name, senders]) => [name, [...senders].sort()])) };
} catch (error) {
  result = { endpoint, error: String(error) };
}
for (const socket of [...ours, ourRadio]) socket.close();
theirDish.socket.close({ linger: 0 });
theirRadio.socket.close({ linger: 0 });
context.term();
console.log(JSON.stringify(result));
process.exit(0);

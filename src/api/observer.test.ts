// The Observer's queue for receive(): an observer nobody reads cannot be grown without bound by a peer
// that connects and disconnects in a loop (#14).

import { expect, test } from "bun:test";
import { Observer } from "./observer.ts";

test("an observer nobody reads keeps at most 10,000 events, the oldest, and drops the rest", async () => {
  const observer = new Observer();
  for (let i = 0; i < 12_000; i++) observer.emit({ type: "connect:delay", address: `inproc://event-${i}` });
  const addresses: string[] = [];
  for (let i = 0; i < 10_000; i++) addresses.push(((await observer.receive()) as { address: string }).address);
  expect(addresses[0]).toBe("inproc://event-0");
  expect(addresses[9_999]).toBe("inproc://event-9999");
  observer.close();
  await expect(observer.receive()).rejects.toMatchObject({ code: "EBADF" });
});

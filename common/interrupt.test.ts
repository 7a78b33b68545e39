// The Ctrl-C flag the long-running commands check (test/commands/ctrl-c.test.ts sends real SIGINTs
// to the demo and a bench): triggered here directly.

import { expect, test } from "bun:test";
import { Interrupt, Interrupted, INTERRUPTED_MESSAGE } from "./interrupt.ts";

test("before Ctrl-C nothing is requested; after it check() throws, sleeps end early and listeners run once", async () => {
  const interrupt = new Interrupt();
  expect(interrupt.requested).toBe(false);
  expect(() => interrupt.check()).not.toThrow();
  expect(await interrupt.sleep(1)).toBe(false);
  let heard = 0;
  interrupt.onInterrupt(() => heard++);
  const forgotten = interrupt.onInterrupt(() => heard++);
  forgotten();
  const sleeping = interrupt.sleep(60_000);
  const racing = interrupt.race(new Promise(() => {}));
  interrupt.trigger();
  interrupt.trigger();
  expect(await sleeping).toBe(true);
  await expect(racing).rejects.toBeInstanceOf(Interrupted);
  expect(heard).toBe(1);
  expect(interrupt.at).not.toBeNull();
  expect(() => interrupt.check()).toThrow(INTERRUPTED_MESSAGE);
  expect(await interrupt.sleep(60_000)).toBe(true);
});

test("race() settles like its promise when no Ctrl-C comes", async () => {
  const interrupt = new Interrupt();
  expect(await interrupt.race(Promise.resolve(42))).toBe(42);
  await expect(interrupt.race(Promise.reject(new Error("boom")))).rejects.toThrow("boom");
});

// zeromq.js's proxy-construction-test.ts in our words: which arguments `new Proxy()` accepts and the
// TypeErrors (and their texts) it throws otherwise; the two ends are the sockets given, read-only.

import { describe, expect, test } from "bun:test";
import { Dealer, Proxy, Pull, Push, Router, type ZmqError } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { thrown } from "./proxy-support.ts";

const cleanup = useCleanup();
const AnyProxy = Proxy as unknown as new (...args: unknown[]) => Proxy;

describe("proxy construction", () => {
  test("calling the class without new throws a TypeError", () => {
    // V8 and JavaScriptCore word this message differently; zeromq.js's suite checks V8's text.
    expect(thrown(() => (Proxy as unknown as () => void)())).toBeInstanceOf(TypeError);
  });

  test("no arguments: TypeError 'Front-end must be a socket object'", () => {
    const error = thrown(() => new AnyProxy());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Front-end must be a socket object");
  });

  test("a front end only: TypeError 'Back-end must be a socket object'", () => {
    const front = cleanup.track(new Dealer());
    const error = thrown(() => new AnyProxy(front));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Back-end must be a socket object");
  });

  test("a third socket: TypeError 'Expected 2 arguments but received 3', as in zeromq.js", () => {
    const [a, b, c] = [new Dealer(), new Dealer(), new Dealer()].map((s) => cleanup.track(s));
    const error = thrown(() => new AnyProxy(a, b, c));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("Expected 2 arguments but received 3");
  });

  test("objects that are not sockets: 'Invalid argument' (EINVAL)", () => {
    const error = thrown(() => new AnyProxy({}, {}));
    expect(error.message).toBe("Invalid argument");
    expect((error as ZmqError).code).toBe("EINVAL");
  });

  test("frontEnd and backEnd are the sockets given, and cannot be replaced", () => {
    const front = cleanup.track(new Router());
    const back = cleanup.track(new Dealer());
    const proxy = new Proxy(front, back);
    expect(proxy.frontEnd).toBe(front);
    expect(proxy.backEnd).toBe(back);
    expect(() => ((proxy as unknown as { frontEnd: unknown }).frontEnd = back)).toThrow(TypeError);
    expect(proxy.frontEnd).toBe(front);
  });

  test("any two socket types make a proxy (the direction is only conceptual)", () => {
    const proxy = new Proxy(cleanup.track(new Pull()), cleanup.track(new Push()));
    expect(proxy.frontEnd).toBeInstanceOf(Pull);
    expect(proxy.backEnd).toBeInstanceOf(Push);
  });
});

// new Context(options?) as zeromq.js checks it: the options argument, the argument count, options
// applied in the constructor with the same errors as assigning them later.

import { describe, expect, test } from "bun:test";
import { Context } from "../../src/index.ts";

const AnyContext = Context as unknown as new (...args: unknown[]) => Context;

describe("context construction", () => {
  test("options that are not an object are zeromq.js's TypeError", () => {
    expect(() => new AnyContext(1)).toThrow(new TypeError("Options must be an object"));
    expect(() => new AnyContext(null)).toThrow(new TypeError("Options must be an object"));
  });

  test("more than one argument is zeromq.js's TypeError", () => {
    expect(() => new AnyContext({}, 2)).toThrow(new TypeError("Expected 1 argument but received 2"));
  });

  test("no options, undefined and an empty object all give the defaults", () => {
    for (const context of [new Context(), new AnyContext(undefined), new Context({})]) {
      expect([context.ioThreads, context.blocky]).toEqual([0, true]);
    }
  });

  test("options given are set", () => {
    const context = new Context({ ioThreads: 5, maxSockets: 12, blocky: false, ioSignaler: "eventfd" });
    expect([context.ioThreads, context.maxSockets, context.blocky, context.ioSignaler]).toEqual([5, 12, false, "eventfd"]);
  });

  test("a value of the wrong type, a read-only or an unknown option are TypeErrors, as when assigned", () => {
    expect(() => new AnyContext({ ioThreads: "hello" })).toThrow(new TypeError("Option value must be a number"));
    expect(() => new AnyContext({ maxSocketsLimit: 1 })).toThrow(
      new TypeError("Cannot set property maxSocketsLimit of #<Context> which has only a getter"),
    );
    expect(() => new AnyContext({ doesNotExist: 1 })).toThrow(new TypeError("Cannot add property doesNotExist, object is not extensible"));
  });

  test("a value zmq_ctx_set refuses is EINVAL", () => {
    let code: string | undefined;
    try {
      new Context({ ioThreads: -1 });
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    expect(code).toBe("EINVAL");
  });
});

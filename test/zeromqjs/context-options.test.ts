// zeromq.js's Context options: defaults (libzmq's, except ioThreads), what each accepts, read-only
// and write-only ones, the numbered accessors, and what the options do to sockets made afterwards.

import { describe, expect, test } from "bun:test";
import { Context, Dealer } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";

const cleanup = useCleanup();
const loose = (context: Context) => context as unknown as Record<string, unknown>;

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("context options", () => {
  test("start at libzmq's defaults, except ioThreads, which is 0 because bunzmq needs no I/O thread", () => {
    const context = new Context();
    expect([context.blocky, context.ioThreads, context.maxSockets, context.maxMessageSize, context.ipv6, context.maxSocketsLimit]).toEqual([
      true,
      0,
      1023,
      2_147_483_647,
      false,
      65_535,
    ]);
    expect(context.ioSignaler).toBe("atomics");
  });

  test("bool and int options read back what was set", () => {
    const context = new Context();
    context.ipv6 = true;
    context.blocky = false;
    context.ioThreads = 75;
    context.maxSockets = 10;
    context.maxMessageSize = 1024;
    expect([context.ipv6, context.blocky, context.ioThreads, context.maxSockets, context.maxMessageSize]).toEqual([
      true,
      false,
      75,
      10,
      1024,
    ]);
  });

  test("what zmq_ctx_set refuses is EINVAL, and the wrong kind of value a TypeError", () => {
    const context = new Context();
    expect(codeOf(() => (context.ioThreads = -1))).toBe("EINVAL");
    expect(codeOf(() => (context.maxSockets = 0))).toBe("EINVAL");
    expect(codeOf(() => (context.maxMessageSize = -1))).toBe("EINVAL");
    expect(codeOf(() => (context.threadPriority = -1))).toBe("EINVAL");
    expect(codeOf(() => (loose(context).ioSignaler = "poll"))).toBe("EINVAL");
    expect(() => (loose(context).ioThreads = "2")).toThrow(new TypeError("Option value must be a number"));
    expect(() => (loose(context).ipv6 = 1)).toThrow(new TypeError("Option value must be a boolean"));
    expect([context.ioThreads, context.maxSockets, context.ipv6]).toEqual([0, 1023, false]);
  });

  test("threadPriority and threadSchedulingPolicy are write-only", () => {
    const context = new Context({ threadPriority: 10, threadSchedulingPolicy: 1 });
    expect([loose(context).threadPriority, loose(context).threadSchedulingPolicy]).toEqual([undefined, undefined]);
  });

  test("maxSocketsLimit is read-only and assigning it is zeromq.js's TypeError", () => {
    const context = new Context();
    expect(() => (loose(context).maxSocketsLimit = 1)).toThrow(
      new TypeError("Cannot set property maxSocketsLimit of #<Context> which has only a getter"),
    );
  });

  test("an unknown option cannot be added: the context is sealed", () => {
    const context = new Context();
    expect(() => (loose(context).doesNotExist = 1)).toThrow(new TypeError("Cannot add property doesNotExist, object is not extensible"));
    expect(Object.isSealed(context)).toBe(true);
  });

  test("the numbered accessors use zmq_ctx_get/set numbers: 3 reads the socket limit but sets the thread priority", () => {
    const context = new Context() as unknown as {
      getInt32Option(id: number): number;
      setInt32Option(id: number, value: number): void;
      getBoolOption(id: number): boolean;
      setBoolOption(id: number, value: boolean): void;
    };
    expect(context.getInt32Option(1)).toBe(0);
    context.setInt32Option(1, 3);
    expect((context as unknown as Context).ioThreads).toBe(3);
    expect(context.getInt32Option(3)).toBe(65_535);
    context.setInt32Option(3, 5);
    expect(context.getInt32Option(4)).toBe(-1);
    expect(context.getBoolOption(70)).toBe(true);
    context.setBoolOption(42, true);
    expect(context.getInt32Option(42)).toBe(1);
    expect(codeOf(() => context.getInt32Option(99))).toBe("EINVAL");
    expect(() => context.getInt32Option("1" as unknown as number)).toThrow(new TypeError("Identifier must be a number"));
  });
});

describe("what the context options do", () => {
  test("maxSockets bounds the open sockets of the context with EMFILE; a closed one frees its place", () => {
    const context = new Context({ maxSockets: 2 });
    const first = cleanup.track(new Dealer({ context }));
    cleanup.track(new Dealer({ context }));
    let error: { code?: string; errno?: number } | undefined;
    try {
      cleanup.track(new Dealer({ context }));
    } catch (caught) {
      error = caught as typeof error;
    }
    expect([error?.code, error?.errno]).toEqual(["EMFILE", 24]);
    first.close();
    cleanup.track(new Dealer({ context }));
  });

  test("blocky and ipv6 set the linger and ipv6 of sockets created afterwards", () => {
    const context = new Context();
    const before = cleanup.track(new Dealer({ context }));
    context.blocky = false;
    context.ipv6 = true;
    const after = cleanup.track(new Dealer({ context }));
    expect([before.linger, before.ipv6, after.linger, after.ipv6]).toEqual([-1, false, 0, true]);
  });
});

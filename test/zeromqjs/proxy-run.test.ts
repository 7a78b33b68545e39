// zeromq.js's proxy-run-test.ts in our words, over tcp, ipc and inproc: run() refuses at once
// (EINVAL, zeromq.js's texts) unless both ends are open and bound or connected; then it forwards.

import { describe, expect, test } from "bun:test";
import { Dealer, Request } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";
import { TRANSPORTS, anyEndpoint, bindBoth, routerDealerProxy, thrown, thrownZmq } from "./proxy-support.ts";

const cleanup = useCleanup();

for (const transport of TRANSPORTS) {
  describe(`proxy run over ${transport}`, () => {
    test("a front end neither bound nor connected: EINVAL 'Front-end socket must be bound or connected'", async () => {
      const proxy = routerDealerProxy(cleanup);
      await proxy.backEnd.bind(anyEndpoint(transport));
      const error = thrownZmq(() => proxy.run(), "EINVAL");
      expect(error.message).toBe("Front-end socket must be bound or connected");
    });

    test("a closed front end: the same EINVAL", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      proxy.frontEnd.close();
      expect(thrownZmq(() => proxy.run(), "EINVAL").message).toBe("Front-end socket must be bound or connected");
    });

    test("a back end neither bound nor connected: EINVAL 'Back-end socket must be bound or connected' with an errno", async () => {
      const proxy = routerDealerProxy(cleanup);
      await proxy.frontEnd.bind(anyEndpoint(transport));
      const error = thrownZmq(() => proxy.run(), "EINVAL");
      expect(error.message).toBe("Back-end socket must be bound or connected");
      expect(error.errno).toBe(22);
    });

    test("a closed back end: the same EINVAL", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      proxy.backEnd.close();
      const error = thrownZmq(() => proxy.run(), "EINVAL");
      expect(error.message).toBe("Back-end socket must be bound or connected");
      expect(typeof error.errno).toBe("number");
    });

    test("an end that was bound and then unbound counts as not bound", async () => {
      const proxy = routerDealerProxy(cleanup);
      const { back } = await bindBoth(proxy, transport);
      await proxy.backEnd.unbind(back);
      expect(thrownZmq(() => proxy.run(), "EINVAL").message).toBe("Back-end socket must be bound or connected");
    });

    test("run() takes no arguments (TypeError, as zeromq.js)", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const error = thrown(() => (proxy.run as (x: unknown) => unknown)(1));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe("Expected 0 arguments but received 1");
    });

    test("connected ends are enough: a request crosses a proxy whose ends both connect", async () => {
      const client = cleanup.track(new Request({ linger: 0 }));
      const worker = cleanup.track(new Dealer({ linger: 0 }));
      await client.bind(anyEndpoint(transport));
      await worker.bind(anyEndpoint(transport));
      const proxy = routerDealerProxy(cleanup);
      proxy.frontEnd.connect(client.lastEndpoint!);
      proxy.backEnd.connect(worker.lastEndpoint!);
      const done = proxy.run();
      await client.send("ping");
      const request = await withTimeout(worker.receive(), 5000, "the request at the worker");
      expect(request.map(String).slice(-2)).toEqual(["", "ping"]);
      await worker.send([...request.slice(0, -1), Buffer.from("pong")]);
      expect((await withTimeout(client.receive(), 5000, "the reply")).map(String)).toEqual(["pong"]);
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve after terminate()");
    });

    test("a second run() while running throws EBUSY", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const done = proxy.run();
      thrownZmq(() => proxy.run(), "EBUSY");
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve");
    });
  });
}

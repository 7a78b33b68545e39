// zeromq.js's proxy-terminate-test.ts in our words, over tcp, ipc and inproc: terminate() ends run()
// and closes both ends; outside a run, terminate() (and pause/resume) throw EBADF, as zeromq.js's
// closed control socket does.

import { describe, expect, test } from "bun:test";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";
import { TRANSPORTS, bindBoth, routerDealerProxy, thrownZmq } from "./proxy-support.ts";

const cleanup = useCleanup();

for (const transport of TRANSPORTS) {
  describe(`proxy terminate over ${transport}`, () => {
    test("terminate() before run() throws EBADF with an errno", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const error = thrownZmq(() => proxy.terminate(), "EBADF");
      expect(error.message).toBe("Socket is closed");
      expect(error.errno).toBe(9);
    });

    test("pause() and resume() before run() throw EBADF too", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      thrownZmq(() => proxy.pause(), "EBADF");
      thrownZmq(() => proxy.resume(), "EBADF");
    });

    test("terminate() resolves run() and closes both ends", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const done = proxy.run();
      expect(proxy.frontEnd.closed).toBe(false);
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve after terminate()");
      expect(proxy.frontEnd.closed).toBe(true);
      expect(proxy.backEnd.closed).toBe(true);
    });

    test("terminate() while paused still ends run()", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const done = proxy.run();
      proxy.pause();
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve after terminate()");
    });

    test("terminate() after run() has ended throws EBADF", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const done = proxy.run();
      setTimeout(() => proxy.terminate(), 0);
      await withTimeout(done, 5000, "run() to resolve after terminate()");
      expect(thrownZmq(() => proxy.terminate(), "EBADF").message).toBe("Socket is closed");
      thrownZmq(() => proxy.pause(), "EBADF");
    });

    test("run() again after the end fails as for closed sockets (EINVAL)", async () => {
      const proxy = routerDealerProxy(cleanup);
      await bindBoth(proxy, transport);
      const done = proxy.run();
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve after terminate()");
      expect(thrownZmq(() => proxy.run(), "EINVAL").message).toBe("Front-end socket must be bound or connected");
    });
  });
}

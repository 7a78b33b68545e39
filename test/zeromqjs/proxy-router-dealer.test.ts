// zeromq.js's proxy-router-dealer-test.ts in our words, over tcp, ipc and inproc: REQ -> ROUTER |
// proxy | DEALER -> REP and back, four round trips with a pause() and resume() between them.

import { describe, expect, test } from "bun:test";
import { Reply, Request } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";
import { TRANSPORTS, bindBoth, routerDealerProxy } from "./proxy-support.ts";

const cleanup = useCleanup();

for (const transport of TRANSPORTS) {
  describe(`proxy with ${transport} router/dealer`, () => {
    test("requests reach the REP and replies the REQ, before and after pause() and resume()", async () => {
      const proxy = routerDealerProxy(cleanup);
      const { front, back } = await bindBoth(proxy, transport);
      const done = proxy.run();
      const req = cleanup.track(new Request({ linger: 0 }));
      const rep = cleanup.track(new Reply({ linger: 0 }));
      req.connect(front);
      rep.connect(back);
      const echo = (async () => {
        for await (const message of rep) await rep.send(message);
      })();
      const received: string[] = [];
      for (const text of ["foo", "bar", "baz", "qux"]) {
        if (received.length === 2) {
          proxy.pause();
          proxy.resume();
        }
        await req.send(Buffer.from(text));
        const [reply] = await withTimeout(req.receive(), 5000, `the reply to ${text}`);
        received.push(reply!.toString());
      }
      expect(received).toEqual(["foo", "bar", "baz", "qux"]);
      rep.close();
      await withTimeout(echo, 5000, "the echo loop to end with its socket");
      proxy.terminate();
      await withTimeout(done, 5000, "run() to resolve after terminate()");
    });
  });
}

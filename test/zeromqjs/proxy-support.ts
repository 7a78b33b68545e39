// Shared by the test/zeromqjs/proxy-*.test.ts suites (zeromq.js's proxy-*-test.ts behaviours):
// Router/Dealer proxies whose sockets close after each test.

import { Dealer, Proxy, Router } from "../../src/index.ts";
import { ZmqError } from "../../src/extras.ts";
import type { Cleanup } from "../helpers/cleanup.ts";
import { anyEndpoint, type Transport } from "../helpers/endpoint.ts";

export { TRANSPORTS, anyEndpoint } from "../helpers/endpoint.ts";

/** zeromq.js's fixture: a Router front end and a Dealer back end, both closed after the test. */
export function routerDealerProxy(cleanup: Cleanup): Proxy<Router, Dealer> {
  const proxy = new Proxy(new Router({ linger: 0 }), new Dealer({ linger: 0 }));
  cleanup.track(proxy.frontEnd);
  cleanup.track(proxy.backEnd);
  return proxy;
}

/** Binds both ends of `proxy` over `transport`; returns their resolved endpoints. */
export async function bindBoth(proxy: Proxy, transport: Transport): Promise<{ front: string; back: string }> {
  await proxy.frontEnd.bind(anyEndpoint(transport));
  await proxy.backEnd.bind(anyEndpoint(transport));
  return { front: proxy.frontEnd.lastEndpoint!, back: proxy.backEnd.lastEndpoint! };
}

/** The error `call` throws synchronously (it must throw). */
export function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a synchronous throw");
}

/** The ZmqError `call` throws synchronously, after checking its code. */
export function thrownZmq(call: () => unknown, code: ZmqError["code"]): ZmqError {
  const error = thrown(call);
  if (!(error instanceof ZmqError)) throw error;
  if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
  return error;
}

// tcpAcceptFilter (ZMQ_TCP_ACCEPT_FILTER): a bound socket admits only TCP peers whose address matches
// one of its masks; others are closed at once, before any event or handshake, as libzmq does.

import { describe, expect, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";

const cleanup = useCleanup();
const EINVAL = expect.objectContaining({ code: "EINVAL" });

describe("tcpAcceptFilter", () => {
  test("each assignment adds masks as libzmq's setsockopt does, null clears, and malformed masks are EINVAL", () => {
    const pull = cleanup.track(new Pull());
    expect(pull.tcpAcceptFilter).toBe(null);
    pull.tcpAcceptFilter = "10.0.0.0/8";
    pull.tcpAcceptFilter = "192.168.1.7, 127.0.0.1/32";
    expect(pull.tcpAcceptFilter).toBe("10.0.0.0/8,192.168.1.7,127.0.0.1/32");
    for (const bad of ["300.1.1.1", "127.0.0.0/33", "127.0.0.0/", "localhost", "::1"]) {
      expect(() => (pull.tcpAcceptFilter = bad)).toThrow(EINVAL);
    }
    pull.ipv6 = true;
    pull.tcpAcceptFilter = "::1/128";
    pull.tcpAcceptFilter = null;
    expect(pull.tcpAcceptFilter).toBe(null);
  });

  test("a peer no mask matches is closed before the accept event; adding a matching mask lets it in", async () => {
    const pull = cleanup.track(new Pull({ linger: 0, tcpAcceptFilter: "10.0.0.0/8" }));
    const pullLog = new EventLog(pull);
    await pull.bind(TCP_ANY);
    const push = cleanup.track(new Push({ linger: 0, reconnectInterval: 20 }));
    const pushLog = new EventLog(push);
    push.connect(pull.lastEndpoint!);
    // The TCP connect succeeds, then the listener closes it: the dialler's handshake fails and it redials.
    await pushLog.waitFor("handshake:error:other", { count: 2 });
    expect(pullLog.count("accept")).toBe(0);
    pull.tcpAcceptFilter = "127.0.0.0/8";
    await pushLog.waitFor("handshake");
    await pullLog.waitFor("handshake");
    await push.send("admitted");
    expect((await pull.receive())[0]!.toString()).toBe("admitted");
  });
});

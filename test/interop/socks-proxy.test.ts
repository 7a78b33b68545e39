// socksProxy, socksUsername, socksPassword (ZMQ_SOCKS_PROXY, _USERNAME, _PASSWORD): tcp:// connects
// through a real SOCKS5 proxy (microsocks, test/helpers/socks-proxy.ts) to bunzmq and libzmq 4.3.4
// servers, with and without RFC 1929 authentication; libzmq's own SOCKS client through the same
// proxy is the reference. That a connection really went through the proxy is read from the kernel:
// our only connection is to the proxy's port.

import { describe, expect, test } from "bun:test";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY, parseTcpEndpoint } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { SocksProxy, socksTestsRun } from "../helpers/socks-proxy.ts";
import { linux, socketsOfPort } from "../helpers/sockopt.ts";

const cleanup = useCleanup();
const CREDENTIALS = { username: "zmq-user", password: "s3cret" };

async function proxy(credentials?: { username: string; password: string }): Promise<SocksProxy> {
  return cleanup.track(await SocksProxy.start(credentials));
}

async function boundPull(): Promise<{ pull: Pull; port: number }> {
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  return { pull, port: parseTcpEndpoint(pull.lastEndpoint!).port };
}

describe.skipIf(!socksTestsRun)("SOCKS5 proxy (microsocks; skipped without it, except under CI)", () => {
  test("a PUSH reaches a bunzmq PULL through the proxy: its one TCP connection is to the proxy", async () => {
    const socks = await proxy();
    const { pull, port } = await boundPull();
    const push = cleanup.track(new Push({ linger: 0, socksProxy: socks.address }));
    const log = new EventLog(push);
    push.connect(pull.lastEndpoint!);
    const handshake = await log.waitFor("handshake");
    await push.send("via socks");
    expect((await pull.receive())[0]!.toString()).toBe("via socks");
    // Through the proxy the peer is the endpoint the proxy connected to.
    expect((handshake as { peer?: { remoteAddress: string } }).peer?.remoteAddress).toBe(pull.lastEndpoint!);
    if (linux) {
      expect(socketsOfPort(socks.port).dialled.length).toBe(1);
      expect(socketsOfPort(port).dialled.length).toBe(0);
    }
  });

  test("a host name is sent to the proxy unresolved (ATYP 3), and the proxy resolves it", async () => {
    const socks = await proxy();
    const { pull, port } = await boundPull();
    const push = cleanup.track(new Push({ linger: 0, socksProxy: socks.address }));
    push.connect(`tcp://localhost:${port}`);
    await push.send("by name");
    expect((await pull.receive())[0]!.toString()).toBe("by name");
  });

  test("with a username and password the PUSH authenticates (RFC 1929) and reaches a libzmq PULL", async () => {
    const socks = await proxy(CREDENTIALS);
    const pull = cleanup.libzmq().socket(ZMQ.PULL);
    pull.bind(TCP_ANY);
    const push = cleanup.track(
      new Push({ linger: 0, socksProxy: socks.address, socksUsername: CREDENTIALS.username, socksPassword: CREDENTIALS.password }),
    );
    push.connect(pull.lastEndpoint);
    await push.send("authenticated");
    expect((await pull.receive())[0]!.toString()).toBe("authenticated");
  });

  test("refused credentials, or none where the proxy wants them, fail the dial, which is retried; fixed, it connects", async () => {
    const socks = await proxy(CREDENTIALS);
    const { pull } = await boundPull();
    const push = cleanup.track(new Push({ linger: 0, reconnectInterval: 20, socksProxy: socks.address }));
    const log = new EventLog(push);
    push.connect(pull.lastEndpoint!);
    // As a refused connect: the attempt is closed and retried; nothing reaches the handshake.
    await log.waitFor("connect:retry", { count: 2 });
    push.socksUsername = CREDENTIALS.username;
    push.socksPassword = "wrong";
    const retries = log.count("connect:retry");
    await log.waitFor("connect:retry", { count: retries + 2 });
    expect([log.count("connect"), log.count("handshake")]).toEqual([0, 0]);
    push.socksPassword = CREDENTIALS.password;
    await log.waitFor("handshake");
    await push.send("third time");
    expect((await pull.receive())[0]!.toString()).toBe("third time");
  });

  test("libzmq's own SOCKS client through the same proxy reaches a bunzmq PULL and carries its metadata", async () => {
    const socks = await proxy(CREDENTIALS);
    const { pull } = await boundPull();
    const log = new EventLog(pull);
    const push = cleanup.libzmq().socket(ZMQ.PUSH);
    push.setBytes(ZMQ.SOCKS_PROXY, socks.address);
    push.setBytes(ZMQ.SOCKS_USERNAME, CREDENTIALS.username);
    push.setBytes(ZMQ.SOCKS_PASSWORD, CREDENTIALS.password);
    push.setBytes(ZMQ.METADATA, "X-Route:socks5");
    push.connect(pull.lastEndpoint!);
    await push.send(["from libzmq"]);
    expect((await pull.receive())[0]!.toString()).toBe("from libzmq");
    const handshake = (await log.waitFor("handshake")) as { peer?: { metadata?: Record<string, string> } };
    expect(handshake.peer?.metadata).toEqual({ "Socket-Type": "PUSH", "X-Route": "socks5" });
  });
});

describe("SOCKS5 proxy without a proxy process", () => {
  test("connect() refuses a socksProxy that is not host:port, for tcp:// only", () => {
    const push = cleanup.track(new Push({ linger: 0, socksProxy: "no-port-here" }));
    expect(push.socksProxy).toBe("no-port-here");
    // lint-tests-allow literal-port: connect() throws before anything is dialled
    expect(() => push.connect("tcp://127.0.0.1:5")).toThrow(expect.objectContaining({ code: "EINVAL" }));
    push.connect("ipc:///tmp/bunzmq-socks-unused.sock");
  });

  test("connectTimeout bounds the SOCKS5 handshake with a proxy that never answers", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    cleanup.add(() => silent.stop(true));
    const push = cleanup.track(new Push({ linger: 0, connectTimeout: 50, reconnectInterval: 20, socksProxy: `127.0.0.1:${silent.port}` }));
    const log = new EventLog(push);
    push.connect(`tcp://127.0.0.1:${silent.port}`);
    await log.waitFor("connect:retry", { count: 2 });
    expect(log.count("connect")).toBe(0);
  });
});

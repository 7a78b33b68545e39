// typeOfService (IP_TOS), tcpMaxRetransmitTimeout (TCP_USER_TIMEOUT) and interface (SO_BINDTODEVICE):
// validated as libzmq's setsockopt does and applied where libzmq applies them, read back from the
// kernel with getsockopt(2) on the live descriptors (test/helpers/sockopt.ts). Also the two options
// that are stored only: loopbackFastPath and inBatchSize.

import { describe, expect, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY, parseTcpEndpoint } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { IPPROTO_IP, IPPROTO_TCP, IP_TOS, TCP_USER_TIMEOUT, boundDevice, intOption, linux, socketsOfPort } from "../helpers/sockopt.ts";

const cleanup = useCleanup();
const EINVAL = expect.objectContaining({ code: "EINVAL" });

/** A PULL bound with `bindOptions` and a PUSH connected with `connectOptions`, both handshaken; returns the port. */
async function connectedPair(bindOptions: object, connectOptions: object): Promise<number> {
  const pull = cleanup.track(new Pull({ linger: 0, ...bindOptions }));
  const push = cleanup.track(new Push({ linger: 0, ...connectOptions }));
  const pushLog = new EventLog(push);
  const pullLog = new EventLog(pull);
  await pull.bind(TCP_ANY);
  push.connect(pull.lastEndpoint!);
  await pushLog.waitFor("handshake");
  await pullLog.waitFor("handshake");
  return parseTcpEndpoint(pull.lastEndpoint!).port;
}

describe("options that reach the kernel", () => {
  test("defaults leave the OS alone, and values are checked as libzmq checks them", () => {
    const push = cleanup.track(new Push());
    expect([push.typeOfService, push.tcpMaxRetransmitTimeout, push.interface]).toEqual([0, 0, null]);
    expect([push.loopbackFastPath, push.inBatchSize]).toEqual([false, 8192]);
    expect(() => (push.typeOfService = -1)).toThrow(EINVAL);
    expect(() => (push.tcpMaxRetransmitTimeout = -1)).toThrow(EINVAL);
    expect(() => (push.inBatchSize = 0)).toThrow(EINVAL);
    expect(() => (push.interface = "a-name-longer-than-15")).toThrow(EINVAL);
    expect(() => ((push as unknown as { loopbackFastPath: unknown }).loopbackFastPath = 1)).toThrow(TypeError);
    push.interface = Buffer.from("lo") as unknown as string;
    push.loopbackFastPath = true;
    push.inBatchSize = 65536;
    expect([push.interface, push.loopbackFastPath, push.inBatchSize]).toEqual(["lo", true, 65536]);
    push.interface = null;
    expect(push.interface).toBe(null);
  });

  test.skipIf(!linux)("typeOfService marks the listener, each accepted connection and each dialled one", async () => {
    const port = await connectedPair({ typeOfService: 0x28 }, { typeOfService: 0x48 });
    const { listener, accepted, dialled } = socketsOfPort(port);
    expect([listener.length, accepted.length, dialled.length]).toEqual([1, 1, 1]);
    expect(intOption(listener[0]!, IPPROTO_IP, IP_TOS)).toBe(0x28);
    expect(intOption(accepted[0]!, IPPROTO_IP, IP_TOS)).toBe(0x28);
    expect(intOption(dialled[0]!, IPPROTO_IP, IP_TOS)).toBe(0x48);
  });

  test.skipIf(!linux)("tcpMaxRetransmitTimeout sets TCP_USER_TIMEOUT on both ends; 0 leaves the kernel's 0", async () => {
    const port = await connectedPair({ tcpMaxRetransmitTimeout: 4321 }, {});
    const { accepted, dialled } = socketsOfPort(port);
    expect(intOption(accepted[0]!, IPPROTO_TCP, TCP_USER_TIMEOUT)).toBe(4321);
    expect(intOption(dialled[0]!, IPPROTO_TCP, TCP_USER_TIMEOUT)).toBe(0);
    expect(intOption(dialled[0]!, IPPROTO_IP, IP_TOS)).toBe(0);
  });

  test.skipIf(!linux)("interface binds the listener (its connections inherit the device) and each dialled connection", async () => {
    const port = await connectedPair({ interface: "lo" }, { interface: "lo" });
    const { listener, accepted, dialled } = socketsOfPort(port);
    expect(boundDevice(listener[0]!)).toBe("lo");
    expect(boundDevice(accepted[0]!)).toBe("lo");
    expect(boundDevice(dialled[0]!)).toBe("lo");
    const plain = await connectedPair({}, {});
    expect(boundDevice(socketsOfPort(plain).dialled[0]!)).toBe("");
  });

  test.skipIf(!linux)("a device that does not exist fails bind with ENODEV, and a connect retries as libzmq's does", async () => {
    const pull = cleanup.track(new Pull({ linger: 0, interface: "nosuchdev0" }));
    await expect(pull.bind(TCP_ANY)).rejects.toThrow(expect.objectContaining({ code: "ENODEV" }));
    const server = cleanup.track(new Pull({ linger: 0 }));
    await server.bind(TCP_ANY);
    const push = cleanup.track(new Push({ linger: 0, interface: "nosuchdev0" }));
    const log = new EventLog(push);
    push.connect(server.lastEndpoint!);
    await log.waitFor("connect:retry", { count: 2 });
    expect(log.count("handshake")).toBe(0);
    expect(log.count("connect")).toBe(0);
  });
});

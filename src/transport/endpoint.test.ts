// Endpoint parsing with libzmq's TCP rules (zmtp-notes §7.2). Pure: nothing here binds or connects,
// so the literal ports below are parser vectors, each marked for the test linter.

import { describe, expect, test } from "bun:test";
import { ZmqError, type ZmqErrorCode } from "../core/errors.ts";
import { type TcpAddress, formatTcpEndpoint, parseEndpoint as parseAny } from "./endpoint.ts";
import { formatIpcEndpoint } from "./ipc-address.ts";

/** The TCP vectors below only ever parse to TCP addresses. */
function parseEndpoint(endpoint: string, purpose: "bind" | "connect", ipv6: boolean): TcpAddress {
  return parseAny(endpoint, purpose, ipv6) as TcpAddress;
}

/** Calls `parse`, expects a ZmqError, and returns it. */
function failure(parse: () => unknown): ZmqError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ZmqError);
    return error as ZmqError;
  }
  throw new Error("expected parseEndpoint to throw");
}

/** Expects `code`, and an error message and `address` that name the endpoint. */
function expectRejected(endpoint: string, purpose: "bind" | "connect", code: ZmqErrorCode, ipv6 = false): void {
  const error = failure(() => parseEndpoint(endpoint, purpose, ipv6));
  expect(error.code).toBe(code);
  expect(error.detail).toContain(endpoint);
  expect(error.address).toBe(endpoint);
}

describe("bind endpoints", () => {
  test("tcp://*:* binds every IPv4 interface on an ephemeral port", () => {
    expect(parseEndpoint("tcp://*:*", "bind", false)).toEqual({ scheme: "tcp", host: "0.0.0.0", port: 0, family: 4 });
  });

  test("tcp://*:* with ipv6 enabled binds the dual-stack wildcard", () => {
    expect(parseEndpoint("tcp://*:*", "bind", true)).toEqual({ scheme: "tcp", host: "::", port: 0, family: 6 });
  });

  test("tcp://127.0.0.1:* binds loopback on an ephemeral port", () => {
    expect(parseEndpoint("tcp://127.0.0.1:*", "bind", false)).toEqual({ scheme: "tcp", host: "127.0.0.1", port: 0, family: 4 });
  });

  test("port 0 means an ephemeral port, like *", () => {
    expect(parseEndpoint("tcp://127.0.0.1:0", "bind", false).port).toBe(0);
  });

  test("a numeric port is kept", () => {
    // lint-tests-allow literal-port: parser vector, nothing binds
    expect(parseEndpoint("tcp://*:5555", "bind", false)).toEqual({ scheme: "tcp", host: "0.0.0.0", port: 5555, family: 4 });
  });

  test("the interface name lo binds 127.0.0.1", () => {
    expect(parseEndpoint("tcp://lo:*", "bind", false)).toEqual({ scheme: "tcp", host: "127.0.0.1", port: 0, family: 4 });
  });

  test("a bracketed IPv6 literal is unbracketed and marked IPv6 when ipv6 is enabled", () => {
    // lint-tests-allow literal-port: parser vector, nothing binds
    expect(parseEndpoint("tcp://[::1]:5555", "bind", true)).toEqual({ scheme: "tcp", host: "::1", port: 5555, family: 6 });
  });

  test("an IPv6 bind fails with ENODEV while the ipv6 option is off, as in libzmq", () => {
    // lint-tests-allow literal-port: parser vector, nothing binds
    expectRejected("tcp://[::1]:5555", "bind", "ENODEV", false);
  });

  test("a host name cannot be bound: tcp://localhost:* is ENODEV", () => {
    expectRejected("tcp://localhost:*", "bind", "ENODEV");
  });

  test("a port above 65535 is EINVAL", () => {
    // lint-tests-allow literal-port: parser vector, nothing binds
    expectRejected("tcp://127.0.0.1:70000", "bind", "EINVAL");
  });

  test("a port that is not a number is EINVAL", () => {
    expectRejected("tcp://127.0.0.1:http", "bind", "EINVAL");
    expectRejected("tcp://127.0.0.1:-1", "bind", "EINVAL");
  });

  test("an endpoint without a port is EINVAL", () => {
    expectRejected("tcp://127.0.0.1", "bind", "EINVAL");
    expectRejected("tcp://127.0.0.1:", "bind", "EINVAL");
  });
});

describe("connect endpoints", () => {
  test("a host name may be connected: localhost with a numeric port is accepted", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    expect(parseEndpoint("tcp://localhost:5", "connect", false)).toEqual({ scheme: "tcp", host: "localhost", port: 5, family: 4 });
  });

  test("a numeric IPv4 address and port are kept", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    expect(parseEndpoint("tcp://127.0.0.1:65535", "connect", false)).toEqual({ scheme: "tcp", host: "127.0.0.1", port: 65535, family: 4 });
  });

  test("a bracketed IPv6 literal is unbracketed", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    expect(parseEndpoint("tcp://[::1]:5555", "connect", true)).toEqual({ scheme: "tcp", host: "::1", port: 5555, family: 6 });
  });

  test("an IPv6 literal may carry a %zone suffix", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    const parsed = parseEndpoint("tcp://[fe80::1%lo]:5555", "connect", true);
    expect(parsed.host).toBe("fe80::1%lo");
    expect(parsed.family).toBe(6);
  });

  test("port * cannot be connected: EINVAL", () => {
    expectRejected("tcp://127.0.0.1:*", "connect", "EINVAL");
    expectRejected("tcp://localhost:*", "connect", "EINVAL");
  });

  test("port 0 cannot be connected: EINVAL", () => {
    expectRejected("tcp://127.0.0.1:0", "connect", "EINVAL");
  });

  test("an endpoint without a port is EINVAL", () => {
    expectRejected("tcp://host", "connect", "EINVAL");
  });

  test("a port above 65535 is EINVAL", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    expectRejected("tcp://127.0.0.1:70000", "connect", "EINVAL");
  });

  test("a malformed IPv6 literal is EINVAL", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    expectRejected("tcp://[not-ipv6]:5555", "connect", "EINVAL", true);
  });

  test("a host with characters no host name may contain is EINVAL", () => {
    // lint-tests-allow literal-port: parser vector, nothing connects
    expectRejected("tcp://bad_host!:5555", "connect", "EINVAL");
  });
});

describe("transports", () => {
  test("an unknown scheme is EPROTONOSUPPORT", () => {
    expectRejected("foo://x", "bind", "EPROTONOSUPPORT");
    expectRejected("foo://x", "connect", "EPROTONOSUPPORT");
  });

  test("pgm:// and tipc:// are EPROTONOSUPPORT, and inproc:// needs a name", () => {
    expectRejected("pgm://x", "bind", "EPROTONOSUPPORT");
    expectRejected("tipc://x", "connect", "EPROTONOSUPPORT");
    expectRejected("inproc://", "bind", "EINVAL");
  });

  test("other ZeroMQ transports are EPROTONOSUPPORT and say they are not supported yet", () => {
    for (const endpoint of ["tipc://name", "vmci://1:*", "pgm://eth0;239.192.1.1:*"]) {
      const error = failure(() => parseEndpoint(endpoint, "bind", false));
      expect(error.code).toBe("EPROTONOSUPPORT");
      expect(error.detail).toContain(endpoint);
    }
  });

  test("epgm:// takes libzmq's <interface>;<group>:<port>, the interface optional", () => {
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("epgm://127.0.0.1;239.192.1.1:5555", "connect", false) as object).toEqual({
      scheme: "epgm",
      interfaceAddress: "127.0.0.1",
      group: "239.192.1.1",
      port: 5555, // lint-tests-allow literal-port: parser vector; nothing binds
    });
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("epgm://lo;239.1.2.3:7000", "bind", false)).toMatchObject({ interfaceAddress: "127.0.0.1", port: 7000 });
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("epgm://239.1.2.3:7000", "bind", false)).toMatchObject({ interfaceAddress: "0.0.0.0" });
  });

  test("epgm:// refuses a unicast group, a missing or wildcard port, and an address this host lacks", () => {
    expectRejected("epgm://127.0.0.1;10.0.0.1:5555", "connect", "EINVAL"); // lint-tests-allow literal-port: parser vector
    expectRejected("epgm://127.0.0.1;239.1.1.1:*", "bind", "EINVAL");
    expectRejected("epgm://127.0.0.1;239.1.1.1", "bind", "EINVAL");
    expectRejected("epgm://192.0.2.77;239.1.1.1:5555", "bind", "ENODEV"); // lint-tests-allow literal-port: parser vector
    expectRejected("epgm://no-such-if0;239.1.1.1:5555", "bind", "ENODEV"); // lint-tests-allow literal-port: parser vector
  });

  test("udp:// reads as libzmq's udp_address: a unicast bind listens there, a group is joined, a connect sends there", () => {
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("udp://127.0.0.1:7000", "bind", false) as object).toEqual({
      scheme: "udp",
      target: "127.0.0.1",
      port: 7000, // lint-tests-allow literal-port: parser vector; nothing binds
      group: null,
      bindAddress: "127.0.0.1",
      interfaceAddress: "0.0.0.0",
    });
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("udp://*:7000", "bind", false)).toMatchObject({ bindAddress: "0.0.0.0", group: null });
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("udp://lo;239.1.2.3:7000", "bind", false)).toMatchObject({
      group: "239.1.2.3",
      bindAddress: "0.0.0.0",
      interfaceAddress: "127.0.0.1",
    });
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("udp://239.1.2.3:7000", "bind", false)).toMatchObject({ group: "239.1.2.3", interfaceAddress: "0.0.0.0" });
    // lint-tests-allow literal-port: parser vectors; nothing binds
    expect(parseEndpoint("udp://localhost:7000", "connect", false)).toMatchObject({ target: "localhost", group: null });
  });

  test("udp:// refuses a wildcard port, an interface without a group, a multicast interface and an address this host lacks", () => {
    expectRejected("udp://127.0.0.1:*", "bind", "EINVAL");
    expectRejected("udp://127.0.0.1:0", "bind", "EINVAL");
    expectRejected("udp://127.0.0.1;127.0.0.1:5555", "bind", "EINVAL"); // lint-tests-allow literal-port: parser vector
    expectRejected("udp://239.1.1.2;239.1.1.1:5555", "bind", "EINVAL"); // lint-tests-allow literal-port: parser vector
    expectRejected("udp://192.0.2.77:5555", "bind", "ENODEV"); // lint-tests-allow literal-port: parser vector
    expectRejected("udp://no-such-if0;239.1.1.1:5555", "bind", "ENODEV"); // lint-tests-allow literal-port: parser vector
    expectRejected("udp://[::1]:5555", "connect", "EPROTONOSUPPORT"); // lint-tests-allow literal-port: parser vector
  });

  test("text without scheme:// is EINVAL and names the endpoint", () => {
    expectRejected("127.0.0.1:*", "bind", "EINVAL");
    expectRejected("", "connect", "EINVAL");
  });

  test("a non-string endpoint is EINVAL", () => {
    const error = failure(() => parseEndpoint(42 as unknown as string, "bind", false));
    expect(error.code).toBe("EINVAL");
  });
});

describe("formatTcpEndpoint (ZMQ_LAST_ENDPOINT)", () => {
  test("IPv4 endpoints are written host:port", () => {
    // lint-tests-allow literal-port: expected text, nothing binds
    expect(formatTcpEndpoint("127.0.0.1", 40679)).toBe("tcp://127.0.0.1:40679");
  });

  test("IPv6 endpoints are written in brackets", () => {
    // lint-tests-allow literal-port: expected text, nothing binds
    expect(formatTcpEndpoint("::1", 34191)).toBe("tcp://[::1]:34191");
    // lint-tests-allow literal-port: expected text, nothing binds
    expect(formatTcpEndpoint("::", 46193)).toBe("tcp://[::]:46193");
  });
});

describe("ipc endpoints (zmtp-notes §7.3)", () => {
  test("a file path is used as it is, and reported back the same way", () => {
    expect(parseAny("ipc:///tmp/feed.sock", "bind", false)).toEqual({ scheme: "ipc", path: "/tmp/feed.sock", wildcard: false });
    expect(formatIpcEndpoint("/tmp/feed.sock")).toBe("ipc:///tmp/feed.sock");
  });

  test("ipc://@name is the abstract name \\0name, reported back as ipc://@name", () => {
    expect(parseAny("ipc://@feed", "connect", false)).toEqual({ scheme: "ipc", path: "\0feed", wildcard: false });
    expect(formatIpcEndpoint("\0feed")).toBe("ipc://@feed");
  });

  test("ipc://* is a bind wildcard, and EINVAL on connect", () => {
    expect(parseAny("ipc://*", "bind", false)).toEqual({ scheme: "ipc", path: "", wildcard: true });
    expectRejected("ipc://*", "connect", "EINVAL");
  });

  test("an empty path, a bare @ and a path over 107 bytes are refused", () => {
    expectRejected("ipc://", "bind", "EINVAL");
    expectRejected("ipc://@", "bind", "EINVAL");
    expectRejected(`ipc:///tmp/${"x".repeat(120)}`, "bind", "ENAMETOOLONG");
  });
});

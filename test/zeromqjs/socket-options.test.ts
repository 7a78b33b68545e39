// zeromq.js's socket options: values of each C type through the properties and the numbered
// accessors, what is refused and how (TypeError for the wrong kind of value, EINVAL for libzmq's
// ranges), which class has which option, and the process warnings zeromq.js emits.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { dlopen, FFIType, ptr } from "bun:ffi";
import { readdirSync } from "node:fs";
import {
  Context,
  Dealer,
  Pair,
  Publisher,
  Pull,
  Push,
  Reply,
  Request,
  Router,
  Stream,
  Subscriber,
  XPublisher,
  XSubscriber,
} from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";

const cleanup = useCleanup();

/** zeromq.js's numbered accessors, protected in its typings. */
interface Numbered {
  getBoolOption(id: number): boolean;
  setBoolOption(id: number, value: boolean): void;
  getInt32Option(id: number): number;
  setInt32Option(id: number, value: number): void;
  getInt64Option(id: number): number;
  setInt64Option(id: number, value: number): void;
  getUint64Option(id: number): number;
  setUint64Option(id: number, value: number): void;
  getStringOption(id: number): string | null;
  setStringOption(id: number, value: string | Uint8Array | null): void;
}

const numbered = (socket: object) => socket as unknown as Numbered;
const loose = (socket: object) => socket as unknown as Record<string, unknown>;

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("option values of each type", () => {
  test("bool, int32, int64 and string options read their defaults and what was set", () => {
    const dealer = cleanup.track(new Dealer());
    expect([dealer.immediate, dealer.backlog, dealer.maxMessageSize, dealer.routingId]).toEqual([false, 100, -1, null]);
    dealer.immediate = true;
    dealer.backlog = 75;
    dealer.maxMessageSize = 0xffff_ffff;
    dealer.routingId = "identité";
    expect([dealer.immediate, dealer.backlog, dealer.maxMessageSize, dealer.routingId]).toEqual([true, 75, 0xffff_ffff, "identité"]);
  });

  test("a string option takes bytes too and reads back as text", () => {
    const dealer = cleanup.track(new Dealer());
    loose(dealer).routingId = Buffer.from("bytes-id");
    expect(dealer.routingId).toBe("bytes-id");
  });

  test("the wrong kind of value is zeromq.js's TypeError, and the old value stays", () => {
    const dealer = cleanup.track(new Dealer({ linger: 5 }));
    expect(() => (loose(dealer).linger = "5")).toThrow(new TypeError("Option value must be a number"));
    expect(() => (loose(dealer).immediate = 1)).toThrow(new TypeError("Option value must be a boolean"));
    expect(() => (loose(dealer).routingId = 7)).toThrow(new TypeError("Option value must be a string or buffer"));
    expect(() => (loose(dealer).affinity = 1n)).toThrow(new TypeError("Option value must be a number"));
    expect([dealer.linger, dealer.immediate, dealer.routingId]).toEqual([5, false, null]);
  });

  test("numbers are converted as zeromq.js converts them: int32 keeps the integer part and the low 32 bits", () => {
    const dealer = cleanup.track(new Dealer());
    dealer.backlog = 12.9;
    expect(dealer.backlog).toBe(12);
    dealer.backlog = 2 ** 32 + 5;
    expect(dealer.backlog).toBe(5);
    dealer.maxMessageSize = 2 ** 40 + 0.5;
    expect(dealer.maxMessageSize).toBe(2 ** 40);
    dealer.affinity = -3;
    expect(dealer.affinity).toBe(0);
  });

  test("what libzmq refuses is EINVAL and the old value stays", () => {
    const dealer = cleanup.track(new Dealer());
    expect(codeOf(() => (dealer.sendHighWaterMark = -1))).toBe("EINVAL");
    expect(codeOf(() => (dealer.linger = -2))).toBe("EINVAL");
    expect(codeOf(() => (dealer.tcpKeepalive = 2))).toBe("EINVAL");
    expect(codeOf(() => (dealer.routingId = ""))).toBe("EINVAL");
    expect(codeOf(() => (dealer.routingId = "x".repeat(256)))).toBe("EINVAL");
    expect(codeOf(() => (dealer.routingId = null))).toBe("EINVAL");
    expect([dealer.sendHighWaterMark, dealer.linger, dealer.tcpKeepalive, dealer.routingId]).toEqual([1000, -1, -1, null]);
  });

  test("a negative maxMessageSize is accepted and means no limit, as any int64 in libzmq", () => {
    const dealer = cleanup.track(new Dealer({ maxMessageSize: -5 }));
    expect(dealer.maxMessageSize).toBe(-5);
  });

  test("securityMechanism reads null, then plain or curve as the options select", () => {
    const dealer = cleanup.track(new Dealer());
    expect(dealer.securityMechanism).toBeNull();
    dealer.plainServer = true;
    expect(dealer.securityMechanism).toBe("plain");
    dealer.curveServer = true;
    expect(dealer.securityMechanism).toBe("curve");
  });

  test("type, lastEndpoint and threadSafe are read-only and assigning them is zeromq.js's TypeError", async () => {
    const pull = cleanup.track(new Pull());
    expect([pull.type, pull.lastEndpoint, pull.threadSafe]).toEqual([7, null, false]);
    await pull.bind(TCP_ANY);
    expect(pull.lastEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    for (const name of ["type", "lastEndpoint", "threadSafe", "securityMechanism"]) {
      expect(() => (loose(pull)[name] = 1)).toThrow(new TypeError(`Cannot set property ${name} of #<Socket> which has only a getter`));
    }
  });

  test("an unknown property cannot be added: zeromq.js's TypeError", () => {
    const dealer = cleanup.track(new Dealer());
    expect(() => (loose(dealer).doesNotExist = 1)).toThrow(new TypeError("Cannot add property doesNotExist, object is not extensible"));
    expect(Object.isSealed(dealer)).toBe(true);
    expect("doesNotExist" in dealer).toBe(false);
  });
});

describe("numbered accessors (libzmq option numbers)", () => {
  test("each C type reads and writes through its accessor", () => {
    const dealer = numbered(cleanup.track(new Dealer()));
    expect(dealer.getBoolOption(39)).toBe(false);
    dealer.setBoolOption(39, true);
    expect(dealer.getBoolOption(39)).toBe(true);
    expect(dealer.getInt32Option(19)).toBe(100);
    dealer.setInt32Option(19, 75);
    expect(dealer.getInt32Option(19)).toBe(75);
    expect(dealer.getInt64Option(22)).toBe(-1);
    dealer.setInt64Option(22, 0xffff_ffff_ffff);
    expect(dealer.getInt64Option(22)).toBe(0xffff_ffff_ffff);
    expect(dealer.getStringOption(5)).toBeNull();
    dealer.setStringOption(5, Buffer.from("åbç"));
    expect(dealer.getStringOption(5)).toBe("åbç");
  });

  test("they reach the same options as the properties", () => {
    const dealer = cleanup.track(new Dealer({ linger: 0 }));
    expect(numbered(dealer).getInt32Option(17)).toBe(0);
    numbered(dealer).setInt32Option(17, 250);
    expect(dealer.linger).toBe(250);
  });

  test("a bool option is an int to libzmq: the Int32 accessors read 0/1 and take only 0 or 1", () => {
    const dealer = numbered(cleanup.track(new Dealer({ immediate: true })));
    expect(dealer.getInt32Option(39)).toBe(1);
    dealer.setInt32Option(39, 0);
    expect(dealer.getBoolOption(39)).toBe(false);
    expect(codeOf(() => dealer.setInt32Option(39, 2))).toBe("EINVAL");
  });

  test("uint64 keeps values up to 2^64, and values above MAX_SAFE_INTEGER warn", async () => {
    const warnings = captureWarnings();
    const dealer = numbered(cleanup.track(new Dealer()));
    expect(dealer.getUint64Option(4)).toBe(0);
    dealer.setUint64Option(4, 2 ** 64);
    expect(dealer.getUint64Option(4)).toBe(2 ** 64);
    dealer.setUint64Option(4, 0xffff_fff7_fab7_fb);
    expect(dealer.getUint64Option(4)).toBe(0xffff_fff7_fab7_fb);
    await new Promise(process.nextTick);
    expect(warnings.messages()).toEqual([
      "Value is larger than Number.MAX_SAFE_INTEGER and may have been rounded inaccurately.",
      "Value is larger than Number.MAX_SAFE_INTEGER and may have been rounded inaccurately.",
    ]);
  });

  test("an unknown number, the wrong width, or an option of another socket type is EINVAL", () => {
    const dealer = numbered(cleanup.track(new Dealer()));
    expect(codeOf(() => dealer.getInt32Option(9999))).toBe("EINVAL");
    expect(codeOf(() => dealer.getInt32Option(22))).toBe("EINVAL");
    expect(codeOf(() => dealer.setInt64Option(17, 0))).toBe("EINVAL");
    expect(codeOf(() => dealer.setBoolOption(33, true))).toBe("EINVAL");
    const router = numbered(cleanup.track(new Router()));
    router.setBoolOption(33, true);
    expect((router as unknown as Router).mandatory).toBe(true);
  });

  test("GSSAPI's numbers are EINVAL, as in a libzmq built without GSSAPI", () => {
    const dealer = numbered(cleanup.track(new Dealer()));
    for (const id of [62, 63, 64, 65, 90, 91]) expect(codeOf(() => dealer.getInt32Option(id))).toBe("EINVAL");
    expect(codeOf(() => dealer.setBoolOption(62, true))).toBe("EINVAL");
  });

  test("their arguments are checked as zeromq.js checks them", () => {
    const dealer = numbered(cleanup.track(new Dealer()));
    expect(() => dealer.getInt32Option("17" as unknown as number)).toThrow(new TypeError("Identifier must be a number"));
    expect(() => dealer.setInt32Option(17, "0" as unknown as number)).toThrow(new TypeError("Option value must be a number"));
    const extra = dealer as unknown as { getInt32Option(...args: unknown[]): number };
    expect(() => extra.getInt32Option(17, 1)).toThrow(new TypeError("Expected 1 argument but received 2"));
  });
});

describe("which class has which option", () => {
  const COMMON = [
    "affinity",
    "rate",
    "recoveryInterval",
    "type",
    "linger",
    "reconnectInterval",
    "backlog",
    "reconnectMaxInterval",
    "maxMessageSize",
    "lastEndpoint",
    "tcpKeepalive",
    "tcpKeepaliveCount",
    "tcpKeepaliveIdle",
    "tcpKeepaliveInterval",
    "immediate",
    "ipv6",
    "securityMechanism",
    "plainServer",
    "plainUsername",
    "plainPassword",
    "curveServer",
    "curvePublicKey",
    "curveSecretKey",
    "curveServerKey",
    "zapDomain",
    "handshakeInterval",
    "heartbeatInterval",
    "heartbeatTimeToLive",
    "heartbeatTimeout",
    "connectTimeout",
    "threadSafe",
    "multicastMaxTransportDataUnit",
    "vmciBufferSize",
    "vmciBufferMinSize",
    "vmciBufferMaxSize",
    "vmciConnectTimeout",
  ];
  const SEND = ["sendBufferSize", "sendHighWaterMark", "sendTimeout", "multicastHops"];
  const RECEIVE = ["receiveBufferSize", "receiveHighWaterMark", "receiveTimeout"];
  const CLASSES: Array<[new () => { close(): void }, string[]]> = [
    [Pair, [...SEND, ...RECEIVE]],
    [Publisher, [...SEND, "noDrop", "conflate", "invertMatching"]],
    [Subscriber, [...RECEIVE, "conflate", "invertMatching"]],
    [Request, [...SEND, ...RECEIVE, "routingId", "probeRouter", "correlate", "relaxed"]],
    [Reply, [...SEND, ...RECEIVE, "routingId"]],
    [Dealer, [...SEND, ...RECEIVE, "routingId", "probeRouter", "conflate"]],
    [Router, [...SEND, ...RECEIVE, "routingId", "mandatory", "probeRouter", "handover"]],
    [Pull, [...RECEIVE, "conflate"]],
    [Push, [...SEND, "conflate"]],
    [XPublisher, [...SEND, ...RECEIVE, "noDrop", "manual", "welcomeMessage", "invertMatching", "verbosity"]],
    [XSubscriber, [...SEND, ...RECEIVE]],
    [Stream, [...SEND, ...RECEIVE, "notify"]],
  ];
  const TYPE_SPECIFIC = new Set(CLASSES.flatMap(([, names]) => names));

  test("every socket has zeromq.js's common options; each class has exactly its own type-specific ones", () => {
    for (const [type, names] of CLASSES) {
      const socket = cleanup.track(new type());
      for (const name of [...COMMON, ...names]) expect(`${type.name}.${name}: ${name in socket}`).toBe(`${type.name}.${name}: true`);
      for (const name of TYPE_SPECIFIC) {
        if (!names.includes(name)) expect(`${type.name}.${name}: ${name in socket}`).toBe(`${type.name}.${name}: false`);
      }
    }
  });

  test("another class's option cannot be set, in the constructor or later", () => {
    const pull = cleanup.track(new Pull());
    expect(() => (loose(pull).sendHighWaterMark = 5)).toThrow(
      new TypeError("Cannot add property sendHighWaterMark, object is not extensible"),
    );
    const options = { mandatory: true } as unknown as ConstructorParameters<typeof Dealer>[0];
    expect(() => new Dealer(options)).toThrow(new TypeError("Cannot add property mandatory, object is not extensible"));
  });

  test("write-only options are set but read as undefined, as in zeromq.js", () => {
    const request = cleanup.track(new Request({ probeRouter: true, correlate: true, relaxed: true }));
    const xpub = cleanup.track(new XPublisher({ noDrop: true, manual: true, welcomeMessage: "hi", verbosity: "allSubs" }));
    const stream = cleanup.track(new Stream({ notify: false }));
    const router = cleanup.track(new Router({ handover: true }));
    const push = cleanup.track(new Push({ conflate: true }));
    const read = [
      request.probeRouter,
      request.correlate,
      request.relaxed,
      xpub.noDrop,
      xpub.manual,
      xpub.welcomeMessage,
      xpub.verbosity,
      stream.notify,
      router.handover,
      push.conflate,
    ] as unknown[];
    expect(read).toEqual(Array(10).fill(undefined));
    expect(numbered(push).getBoolOption(54)).toBe(true);
  });

  test("GSSAPI options do not exist, since capability.gssapi is false", () => {
    const dealer = cleanup.track(new Dealer());
    for (const name of ["gssapiServer", "gssapiPrincipal", "gssapiServicePrincipal", "gssapiPlainText", "gssapiPrincipalNameType"]) {
      expect(name in dealer).toBe(false);
    }
  });
});

describe("options with nothing to act on", () => {
  test("multicast options keep libzmq's defaults and ranges", () => {
    const push = cleanup.track(new Push({ rate: 500, recoveryInterval: 0 }));
    expect([push.rate, push.recoveryInterval, push.multicastHops, push.multicastMaxTransportDataUnit]).toEqual([500, 0, 1, 1500]);
    expect(codeOf(() => (push.rate = 0))).toBe("EINVAL");
    expect(codeOf(() => (push.multicastHops = 0))).toBe("EINVAL");
    expect(codeOf(() => (push.multicastMaxTransportDataUnit = 0))).toBe("EINVAL");
    expect(codeOf(() => (push.recoveryInterval = -1))).toBe("EINVAL");
  });

  test("VMCI options throw EINVAL when read or set, as libzmq without VMCI", () => {
    const dealer = cleanup.track(new Dealer());
    for (const name of ["vmciBufferSize", "vmciBufferMinSize", "vmciBufferMaxSize", "vmciConnectTimeout"]) {
      expect(codeOf(() => loose(dealer)[name])).toBe("EINVAL");
      expect(codeOf(() => (loose(dealer)[name] = 1))).toBe("EINVAL");
    }
  });
});

/** SO_SNDBUF and SO_RCVBUF of every TCP socket this process holds (Linux reports twice what was set). */
function bufferSizesOfOpenSockets(): Array<{ send: number; receive: number }> {
  const libc = dlopen("libc.so.6", {
    getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  });
  const value = new Int32Array(1);
  const length = new Uint32Array(1);
  const read = (fd: number, level: number, name: number): number | null => {
    length[0] = 4;
    return libc.symbols.getsockopt(fd, level, name, ptr(value), ptr(length)) === 0 ? value[0]! : null;
  };
  const found: Array<{ send: number; receive: number }> = [];
  for (const entry of readdirSync("/proc/self/fd")) {
    const fd = Number(entry);
    // IPPROTO_TCP, TCP_KEEPIDLE answers for TCP sockets only.
    if (read(fd, 6, 4) === null) continue;
    found.push({ send: read(fd, 1, 7)!, receive: read(fd, 1, 8)! });
  }
  libc.close();
  return found;
}

describe("sendBufferSize and receiveBufferSize", () => {
  test("default to -1 and refuse less", () => {
    const pair = cleanup.track(new Pair());
    expect([pair.sendBufferSize, pair.receiveBufferSize]).toEqual([-1, -1]);
    expect(codeOf(() => (pair.sendBufferSize = -2))).toBe("EINVAL");
  });

  test.skipIf(process.platform !== "linux")(
    "are set on the listener and both ends of a TCP connection as SO_SNDBUF and SO_RCVBUF",
    async () => {
      const options = { linger: 0, sendBufferSize: 123_000, receiveBufferSize: 97_000 };
      const a = cleanup.track(new Pair(options));
      const b = cleanup.track(new Pair(options));
      const logs = [new EventLog(a), new EventLog(b)];
      await a.bind(TCP_ANY);
      b.connect(a.lastEndpoint!);
      for (const log of logs) await log.waitFor("handshake");
      // The listener, which its accepted connection inherits them from, and the dialled connection.
      const tuned = bufferSizesOfOpenSockets().filter((sizes) => sizes.send === 246_000);
      expect(tuned).toEqual(Array(3).fill({ send: 246_000, receive: 194_000 }));
    },
  );
});

describe("sockets take their context's settings", () => {
  test("linger is -1 in a blocky context and 0 in one that is not; ipv6 follows the context", () => {
    const blocky = new Context();
    const quick = new Context({ blocky: false, ipv6: true });
    const a = cleanup.track(new Dealer({ context: blocky }));
    const b = cleanup.track(new Dealer({ context: quick }));
    expect([a.linger, a.ipv6]).toEqual([-1, false]);
    expect([b.linger, b.ipv6]).toEqual([0, true]);
  });
});

/** Collects process warnings until the test ends; the warnings' default printing is off meanwhile. */
function captureWarnings(): { messages(): string[] } {
  const seen: string[] = [];
  const previous = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (warning) => seen.push(warning.message));
  cleanup.add(() => {
    process.removeAllListeners("warning");
    for (const listener of previous) process.on("warning", listener);
  });
  return { messages: () => seen };
}

describe("the warning for options that apply only to later connections", () => {
  const WARNING = "Socket option will not take effect until next connect/bind.";
  let warnings: { messages(): string[] };
  beforeEach(() => {
    warnings = captureWarnings();
  });
  afterEach(async () => {
    await new Promise(process.nextTick);
  });

  test("is emitted for an option set after connect", async () => {
    const dealer = cleanup.track(new Dealer());
    dealer.connect("inproc://socket-options-after-connect");
    dealer.routingId = "late";
    await new Promise(process.nextTick);
    expect(warnings.messages()).toEqual([WARNING]);
  });

  test("is emitted for an option set after bind, even with the bind's promise still pending", async () => {
    const dealer = cleanup.track(new Dealer());
    const bound = dealer.bind("inproc://socket-options-after-bind");
    dealer.heartbeatInterval = 100;
    await bound;
    await new Promise(process.nextTick);
    expect(warnings.messages()).toEqual([WARNING]);
  });

  test("is not emitted before bind or connect, nor for options that apply at once", async () => {
    const router = cleanup.track(new Router());
    router.routingId = "early";
    await router.bind("inproc://socket-options-immediate");
    router.linger = 0;
    router.sendHighWaterMark = 10;
    router.receiveTimeout = 10;
    router.mandatory = true;
    router.handover = true;
    router.probeRouter = true;
    await new Promise(process.nextTick);
    expect(warnings.messages()).toEqual([]);
  });
});

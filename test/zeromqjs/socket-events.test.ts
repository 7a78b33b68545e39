// socket.events as zeromq.js delivers them (its socket-events unit file): events deep-equal
// `{ type, address }` (bunzmq's `peer` and a disconnect's `error` are there but not enumerable),
// inproc reports none, the emitter and receive() modes exclude each other, and a closed observer
// ends with "end" and then EBADF.

import { expect, test } from "bun:test";
import { Dealer, Pull, Push, type Event } from "../../src/index.ts";
import {
  ALL_TRANSPORTS,
  eventsUntil,
  expectRejection,
  forEachTransport,
  freshEndpoint,
  nextEvent,
  receiveTexts,
  useSockets,
  vacantEndpoint,
  waitFor,
} from "./support.ts";

const sockets = useSockets();
const EMITTER_MODE =
  "Observer is in event emitter mode. After a call to events.on() it is not possible to read events with events.receive().";

test("a socket closed without endpoints reports exactly one event, { type: 'end' }", async () => {
  const socket = sockets.open(Dealer);
  const events = eventsUntil(socket, "end");
  socket.close();
  expect(await events).toEqual([{ type: "end" }]);
});

test("events is the same object on every access", () => {
  const socket = sockets.open(Dealer);
  expect(socket.events).toBe(socket.events);
});

test("after events.on(), events.receive() throws zeromq.js's emitter-mode error", () => {
  const socket = sockets.open(Dealer);
  socket.events.on("bind", () => {});
  let thrown: unknown;
  try {
    void socket.events.receive();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Error);
  expect((thrown as Error).message).toBe(EMITTER_MODE);
});

test("after close, events.receive() yields 'end' and then rejects with EBADF 'Socket is closed'", async () => {
  const socket = sockets.open(Dealer);
  const events = socket.events;
  socket.close();
  expect((await events.receive()).type).toBe("end");
  await expectRejection(events.receive(), { code: "EBADF", message: "Socket is closed" });
});

test("the observer is closed once 'end' has been read", async () => {
  const socket = sockets.open(Dealer);
  const events = socket.events;
  socket.close();
  await events.receive();
  expect(events.closed).toBe(true);
});

forEachTransport(ALL_TRANSPORTS, (transport) => {
  if (transport === "inproc") {
    test("inproc reports no events while peers bind, connect and exchange; close reports only 'end'", async () => {
      const [a, b] = [sockets.open(Dealer), sockets.open(Dealer)];
      const seen: Event[] = [];
      for (const type of ["bind", "accept", "connect", "handshake", "close", "disconnect", "end"] as const) {
        a.events.on(type, (event) => void seen.push(event));
        b.events.on(type, (event) => void seen.push(event));
      }
      await a.bind(freshEndpoint(transport));
      b.connect(a.lastEndpoint!);
      await b.send("over inproc");
      expect(await receiveTexts(a, 1)).toEqual([["over inproc"]]);
      a.close();
      await waitFor(() => seen.length > 0, { what: "the 'end' event" });
      expect(seen).toEqual([{ type: "end" }]);
    });
    return;
  }

  test("bind reports { type: 'bind', address } with the address bound", async () => {
    const address = vacantEndpoint(transport);
    const [a, b] = [sockets.open(Dealer), sockets.open(Dealer)];
    const bound = nextEvent(a, "bind");
    await a.bind(address);
    b.connect(address);
    expect(await bound).toEqual({ type: "bind", address });
  });

  test("connect reports { type: 'connect', address } on the connecting socket", async () => {
    const address = vacantEndpoint(transport);
    const [a, b] = [sockets.open(Dealer), sockets.open(Dealer)];
    const connected = nextEvent(b, "connect");
    await a.bind(address);
    b.connect(address);
    expect(await connected).toEqual({ type: "connect", address });
  });

  test("accept deep-equals { type, address } while its peer stays readable", async () => {
    const [a, b] = [sockets.open(Dealer), sockets.open(Dealer)];
    const accepted = nextEvent(a, "accept");
    await a.bind(freshEndpoint(transport));
    b.connect(a.lastEndpoint!);
    const event = await accepted;
    expect(event).toEqual({ type: "accept", address: a.lastEndpoint! });
    expect(Object.keys(event)).toEqual(["type", "address"]);
    expect(typeof event.peer?.remoteAddress).toBe("string");
  });

  test("a disconnect caused by an oversized message deep-equals { type, address } and keeps its error", async () => {
    const pull = sockets.open(Pull, { maxMessageSize: 100 });
    const push = sockets.open(Push);
    const dropped = nextEvent(pull, "disconnect");
    await pull.bind(freshEndpoint(transport));
    push.connect(pull.lastEndpoint!);
    await push.send(Buffer.alloc(1000));
    const event = await dropped;
    expect(event).toEqual({ type: "disconnect", address: pull.lastEndpoint! });
    expect(event.error?.code).toBe("EMSGSIZE");
  });

  test("with listeners on bind, accept, close and end, a bound socket reports each with its address", async () => {
    const [a, b] = [sockets.open(Dealer), sockets.open(Dealer)];
    const seen: Event[] = [];
    for (const type of ["bind", "accept", "close", "end"] as const) a.events.on(type, (event) => void seen.push(event));
    const accepted = nextEvent(a, "accept");
    const ended = nextEvent(a, "end");
    const address = vacantEndpoint(transport);
    await a.bind(address);
    b.connect(address);
    await accepted;
    a.close();
    b.close();
    await ended;
    for (const type of ["bind", "accept", "close"] as const) expect(seen).toContainEqual({ type, address });
    expect(seen).toContainEqual({ type: "end" });
  });

  if (transport === "tcp") {
    test("a bind to an address in use reports bind:error with the address after tcp:// and EADDRINUSE", async () => {
      const [a, b] = [sockets.open(Dealer), sockets.open(Dealer)];
      await a.bind(freshEndpoint(transport));
      const address = a.lastEndpoint!;
      const failed = nextEvent(b, "bind:error");
      await expectRejection(b.bind(address), { code: "EADDRINUSE", message: "Address already in use", address });
      const event = await failed;
      expect(`tcp://${event.address}`).toBe(address);
      expect(event.error).toBeInstanceOf(Error);
      expect(event.error!.message).toBe("Address already in use");
      expect(event.error!.code).toBe("EADDRINUSE");
      expect(typeof event.error!.errno).toBe("number");
    });
  }
});

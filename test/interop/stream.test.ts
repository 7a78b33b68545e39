// STREAM against raw TCP (Bun.connect / Bun.listen) and against a libzmq STREAM: routing ids,
// connect/disconnect notifications, raw bytes both ways, close by empty frame (libzmq zmq_socket(3)).

import { describe, expect, test } from "bun:test";
import type { Socket as BunSocket, TCPSocketListener } from "bun";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Stream } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { Condition } from "../helpers/condition.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf, pattern } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;

function receive(stream: Stream, what = "a message on the bunzmq STREAM"): Promise<Buffer[]> {
  return withTimeout(stream.receive(), 5000, what);
}

async function boundStream(options: { notify?: boolean } = {}): Promise<Stream> {
  const stream = cleanup.track(new Stream({ linger: 0, ...options }));
  await stream.bind(TCP_ANY);
  return stream;
}

/** Receives until `total` data bytes arrived from `id` (TCP may split or merge chunks). */
async function receiveBytes(stream: Stream, id: Buffer, total: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < total) {
    const [from, data] = await receive(stream, `${total - length} more bytes`);
    expect(from!.equals(id)).toBe(true);
    parts.push(data!);
    length += data!.length;
  }
  return Buffer.concat(parts);
}

/** A one-connection Bun.listen server that records what it receives. */
async function rawServer(): Promise<{
  endpoint: string;
  received: () => Buffer;
  write: (s: string) => void;
  closed: () => boolean;
  changed: Condition;
}> {
  const chunks: Buffer[] = [];
  let peer: BunSocket<undefined> | null = null;
  let closed = false;
  const changed = new Condition();
  const listener: TCPSocketListener<undefined> = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        peer = socket;
        changed.notify();
      },
      data(_socket, chunk) {
        chunks.push(Buffer.from(chunk));
        changed.notify();
      },
      close() {
        closed = true;
        changed.notify();
      },
    },
  });
  cleanup.add(() => {
    peer?.terminate();
    listener.stop(true);
  });
  return {
    endpoint: `tcp://127.0.0.1:${listener.port}`,
    received: () => Buffer.concat(chunks),
    write: (text) => {
      expect(peer).not.toBeNull();
      expect(peer!.write(text)).toBe(text.length);
    },
    closed: () => closed,
    changed,
  };
}

describe("bunzmq STREAM with a raw TCP client", () => {
  test(
    "a connecting client is announced as [routingId, ''] with a 5-byte 0x00-prefixed id",
    async () => {
      const stream = await boundStream();
      cleanup.track(await RawPeer.connect(endpointOf(stream)));
      const [id, data] = await receive(stream, "the connect notification");
      expect(id!.length).toBe(5);
      expect(id![0]).toBe(0);
      expect(data!.length).toBe(0);
    },
    TEST_TIMEOUT,
  );

  test(
    "bytes flow both ways raw, with no ZMTP greeting or framing",
    async () => {
      const stream = await boundStream();
      const client = cleanup.track(await RawPeer.connect(endpointOf(stream)));
      const [id] = await receive(stream, "the connect notification");
      client.write("GET / HTTP/1.0\r\n\r\n");
      expect((await receiveBytes(stream, id!, 18)).toString()).toBe("GET / HTTP/1.0\r\n\r\n");
      await stream.send([id!, "HTTP/1.0 200 OK\r\n\r\nhello"]);
      expect(Buffer.from(await client.waitForBytes(24)).toString()).toBe("HTTP/1.0 200 OK\r\n\r\nhello");
    },
    TEST_TIMEOUT,
  );

  test(
    "an empty data frame closes that peer's connection after the data queued before it",
    async () => {
      const stream = await boundStream();
      const client = cleanup.track(await RawPeer.connect(endpointOf(stream)));
      const [id] = await receive(stream, "the connect notification");
      await stream.send([id!, "bye"]);
      await stream.send([id!, ""]);
      await client.waitForClose();
      expect(Buffer.from(client.bytes()).toString()).toBe("bye");
      // The id stops routing at once (libzmq terminates the pipe).
      await expect(stream.send([id!, "more"])).rejects.toMatchObject({ code: "EHOSTUNREACH" });
    },
    TEST_TIMEOUT,
  );

  test(
    "a client that closes is announced as [routingId, ''] after its last bytes",
    async () => {
      const stream = await boundStream();
      const client = await RawPeer.connect(endpointOf(stream));
      const [id] = await receive(stream, "the connect notification");
      client.write("last words");
      client.end();
      const data = await receiveBytes(stream, id!, 10);
      expect(data.toString()).toBe("last words");
      const [goneId, empty] = await receive(stream, "the disconnect notification");
      expect(goneId!.equals(id!)).toBe(true);
      expect(empty!.length).toBe(0);
      client.close();
      await expect(stream.send([id!, "late"])).rejects.toMatchObject({ code: "EHOSTUNREACH" });
    },
    TEST_TIMEOUT,
  );

  test(
    "two clients get distinct routing ids and each reply reaches only its peer",
    async () => {
      const stream = await boundStream();
      const a = cleanup.track(await RawPeer.connect(endpointOf(stream)));
      const [idA] = await receive(stream, "A's connect notification");
      const b = cleanup.track(await RawPeer.connect(endpointOf(stream)));
      const [idB] = await receive(stream, "B's connect notification");
      expect(idA!.equals(idB!)).toBe(false);
      await stream.send([idB!, "to B"]);
      await stream.send([idA!, "to A"]);
      expect(Buffer.from(await a.waitForBytes(4)).toString()).toBe("to A");
      expect(Buffer.from(await b.waitForBytes(4)).toString()).toBe("to B");
    },
    TEST_TIMEOUT,
  );

  test(
    "with notify off there are no notifications, only data",
    async () => {
      const stream = await boundStream({ notify: false });
      const client = cleanup.track(await RawPeer.connect(endpointOf(stream)));
      client.write("x");
      const [id, data] = await receive(stream, "the first data");
      expect(id!.length).toBe(5);
      expect(data!.toString()).toBe("x");
    },
    TEST_TIMEOUT,
  );

  test(
    "sending to an unknown routing id rejects with EHOSTUNREACH; a wrong shape with EINVAL",
    async () => {
      const stream = await boundStream();
      await expect(stream.send([Buffer.from([0, 1, 2, 3, 4]), "x"])).rejects.toMatchObject({ code: "EHOSTUNREACH" });
      expect(() => stream.trySend([Buffer.from([0, 1, 2, 3, 4]), "x"])).toThrow(expect.objectContaining({ code: "EHOSTUNREACH" }));
      const wrongShape = [Buffer.from([0])] as unknown as [string, string];
      await expect(stream.send(wrongShape)).rejects.toMatchObject({ code: "EINVAL" });
    },
    TEST_TIMEOUT,
  );

  test(
    "1 MiB crosses in both directions",
    async () => {
      const stream = await boundStream();
      const client = cleanup.track(await RawPeer.connect(endpointOf(stream)));
      const [id] = await receive(stream, "the connect notification");
      const outbound = pattern(1024 * 1024, 5);
      await stream.send([id!, outbound]);
      expect(Buffer.from(await client.waitForBytes(outbound.length)).equals(outbound)).toBe(true);
      const inbound = pattern(1024 * 1024, 9);
      client.write(inbound);
      expect((await receiveBytes(stream, id!, inbound.length)).equals(inbound)).toBe(true);
    },
    TEST_TIMEOUT,
  );
});

describe("bunzmq STREAM connecting to a raw TCP server", () => {
  test(
    "connect(address, { routingId }) names the connection; bytes flow both ways; '' closes it",
    async () => {
      const server = await rawServer();
      const stream = cleanup.track(new Stream({ linger: 0 }));
      const log = new EventLog(stream);
      stream.connect(server.endpoint, { routingId: "web" });
      const [id, empty] = await receive(stream, "the connect notification");
      expect(id!.toString()).toBe("web");
      expect(empty!.length).toBe(0);
      await stream.send(["web", "ping"]);
      await server.changed.wait(() => server.received().length >= 4, { timeoutMs: 5000, what: "ping at the server" });
      expect(server.received().toString()).toBe("ping");
      server.write("pong");
      expect((await receiveBytes(stream, id!, 4)).toString()).toBe("pong");
      await stream.send(["web", ""]);
      await server.changed.wait(server.closed, { timeoutMs: 5000, what: "the server to see the close" });
      // libzmq ends a raw socket's session when the application closes the connection: no redial.
      await waitFor(() => log.count("disconnect") > 0, { what: () => `our disconnect event (${log.describe()})` });
      expect(log.count("connect:retry")).toBe(0);
    },
    TEST_TIMEOUT,
  );

  test(
    "without a routingId the connection gets an automatic 5-byte id",
    async () => {
      const server = await rawServer();
      const stream = cleanup.track(new Stream({ linger: 0 }));
      stream.connect(server.endpoint);
      const [id] = await receive(stream, "the connect notification");
      expect(id!.length).toBe(5);
      expect(id![0]).toBe(0);
      await waitFor(() => stream.trySend([id!, "hi"]), { what: "the send to be queued" });
      await server.changed.wait(() => server.received().length >= 2, { timeoutMs: 5000, what: "hi at the server" });
      expect(server.received().toString()).toBe("hi");
    },
    TEST_TIMEOUT,
  );
});

describe("bunzmq STREAM with a libzmq STREAM", () => {
  for (const order of ["bunzmq binds", "libzmq binds"] as const) {
    test(
      `raw bytes flow both ways and notifications match libzmq's when ${order}`,
      async () => {
        const ours = cleanup.track(new Stream({ linger: 0 }));
        const theirs = cleanup.libzmq().socket(ZMQ.STREAM);
        if (order === "bunzmq binds") {
          await ours.bind(TCP_ANY);
          theirs.connect(endpointOf(ours));
        } else {
          theirs.bind(TCP_ANY);
          ours.connect(theirs.lastEndpoint);
        }
        const [ourId, ourNotice] = await receive(ours, "our connect notification");
        expect(ourNotice!.length).toBe(0);
        const [theirId, theirNotice] = await theirs.receive();
        expect(theirNotice!.length).toBe(0);
        await ours.send([ourId!, "from bunzmq"]);
        const [fromId, atLibzmq] = await theirs.receive();
        expect(fromId!.equals(theirId!)).toBe(true);
        expect(atLibzmq!.toString()).toBe("from bunzmq");
        await theirs.send([theirId!, "from libzmq"]);
        expect((await receiveBytes(ours, ourId!, 11)).toString()).toBe("from libzmq");
        // libzmq closes its side on an empty frame; we see the disconnect notification. libzmq finishes
        // the pipe termination only when its application thread enters the socket, hence the polling.
        await theirs.send([theirId!, ""]);
        const [goneId, gone] = await waitFor(
          () => {
            theirs.tryReceive();
            return ours.tryReceive();
          },
          { what: "our disconnect notification after libzmq's empty frame" },
        );
        expect(goneId!.equals(ourId!)).toBe(true);
        expect(gone!.length).toBe(0);
      },
      TEST_TIMEOUT,
    );

    test(
      `our empty frame closes the connection and libzmq reports the disconnect when ${order}`,
      async () => {
        const ours = cleanup.track(new Stream({ linger: 0 }));
        const theirs = cleanup.libzmq().socket(ZMQ.STREAM);
        if (order === "bunzmq binds") {
          await ours.bind(TCP_ANY);
          theirs.connect(endpointOf(ours));
        } else {
          theirs.bind(TCP_ANY);
          ours.connect(theirs.lastEndpoint);
        }
        const [ourId] = await receive(ours, "our connect notification");
        const [theirId] = await theirs.receive();
        await ours.send([ourId!, "last"]);
        await ours.send([ourId!, ""]);
        const [dataId, data] = await theirs.receive();
        expect(dataId!.equals(theirId!)).toBe(true);
        expect(data!.toString()).toBe("last");
        const [goneId, gone] = await theirs.receive();
        expect(goneId!.equals(theirId!)).toBe(true);
        expect(gone!.length).toBe(0);
      },
      TEST_TIMEOUT,
    );
  }
});

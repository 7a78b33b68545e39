// STREAM speaking HTTP/1 (zeromq.js's socket-stream unit file, tcp only): as a server it answers an
// HTTP client's GET, ignoring the empty connect notification; as a client, connected with a routing id
// it can use at once, it sends a GET to an HTTP server and reads the reply under that id.

import { expect, test } from "bun:test";
import { Stream } from "../../src/index.ts";
import { freshEndpoint, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();

test("as a server, a Stream answers an HTTP GET and the client reads the body until the close", async () => {
  const stream = sockets.open(Stream);
  await stream.bind(freshEndpoint("tcp"));
  const serve = async () => {
    for await (const [id, data] of stream) {
      if (data!.length === 0) continue;
      expect(data!.toString().split("\r\n")[0]).toBe("GET /foo HTTP/1.1");
      await stream.send([id!, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello world!"]);
      stream.close();
    }
  };
  const request = async () => {
    const response = await fetch(`${stream.lastEndpoint!.replace("tcp:", "http:")}/foo`);
    expect(response.status).toBe(200);
    return response.text();
  };
  const [body] = await withTimeout(Promise.all([request(), serve()]), 5000, "the HTTP exchange");
  expect(body).toBe("Hello world!");
});

test("as a client, a Stream connected with a routing id sends a GET at once and reads the reply under that id", async () => {
  using server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("Hello world!") });
  const address = `tcp://127.0.0.1:${server.port}`;
  const routingId = "abcdef1234567890";
  const stream = sockets.open(Stream);
  stream.connect(address, { routingId });
  await stream.send([routingId, `GET /foo HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`]);
  let reply = "";
  const read = async () => {
    for await (const [id, data] of stream) {
      expect(id!.toString()).toBe(routingId);
      reply += data!.toString();
      if (reply.endsWith("Hello world!")) break;
    }
  };
  await withTimeout(read(), 5000, `the HTTP reply (have ${JSON.stringify(reply)})`);
  expect(reply.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
  expect(reply.split("\r\n\r\n").pop()).toBe("Hello world!");
});

// DGRAM (zeromq.js's socket-draft-dgram unit file): a Datagram bound to a udp:// address echoes
// what plain UDP sockets send it, `[sender, body]` in and the same out, and its async iterator ends
// when it closes. As in zeromq.js, each message comes from a new node:dgram socket sending to
// "localhost".

import { expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { Datagram } from "../../src/draft.ts";
import { anyUdpEndpoint } from "../helpers/udp.ts";
import { useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();

test("a Datagram delivers messages: an echo answers each client at its own address", async () => {
  const messages = ["foo", "bar", "baz", "qux"];
  const { endpoint, port } = await anyUdpEndpoint();
  const dgram = sockets.open(Datagram);
  await dgram.bind(endpoint);

  const echo = async () => {
    for await (const [id, msg] of dgram) await dgram.send([id!, msg!]);
  };

  const received: string[] = [];
  const send = async () => {
    for (const msg of messages) {
      const client = createSocket("udp4");
      // The Datagram's UDP socket binds asynchronously: resend until the echo comes (bounded below).
      const resend = setInterval(() => client.send(msg, port, "localhost"), 20);
      await new Promise<void>((resolve) => {
        client.on("message", (res) => {
          received.push(res.toString());
          clearInterval(resend);
          client.close();
          resolve();
        });
        client.send(msg, port, "localhost");
      });
    }
    dgram.close();
  };

  await withTimeout(Promise.all([echo(), send()]), 5000, "four echoes");
  expect(received).toEqual(messages);
});

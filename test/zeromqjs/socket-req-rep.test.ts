// REQ to REP (zeromq.js's socket-req-rep unit file): each request gets its echo before the next is
// sent, and a Request that sends again before its reply arrives is refused with EFSM.

import { expect, test } from "bun:test";
import { Reply, Request } from "../../src/index.ts";
import { ALL_TRANSPORTS, expectRejection, forEachTransport, freshEndpoint, useSockets, withTimeout } from "./support.ts";

const sockets = useSockets();
const MESSAGES = ["foo", "bar", "baz", "qux"];

/** Echoes every request from a for await loop until `reply` closes. */
async function echo(reply: Reply): Promise<void> {
  for await (const message of reply) await reply.send(message);
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("each request is answered with its echo, in turn", async () => {
    const [request, reply] = [sockets.open(Request), sockets.open(Reply)];
    await reply.bind(freshEndpoint(transport));
    request.connect(reply.lastEndpoint!);
    const received: string[] = [];
    const converse = async () => {
      for (const text of MESSAGES) {
        await request.send(Buffer.from(text));
        const [frame] = await request.receive();
        received.push(frame!.toString());
      }
      reply.close();
    };
    await withTimeout(Promise.all([echo(reply), converse()]), 5000, "four round trips");
    expect(received).toEqual(MESSAGES);
  });

  test("a second send before the reply rejects with EFSM, and the reply still arrives", async () => {
    const [request, reply] = [sockets.open(Request, { sendTimeout: 2 }), sockets.open(Reply)];
    await reply.bind(freshEndpoint(transport));
    request.connect(reply.lastEndpoint!);
    const echoing = echo(reply);
    await request.send(Buffer.from("foo"));
    expect(request.writable).toBe(false);
    await expectRejection(request.send(Buffer.from("bar")), {
      code: "EFSM",
      message: "Operation cannot be accomplished in current state",
    });
    const [frame] = await withTimeout(request.receive(), 5000, "the reply");
    expect(frame).toEqual(Buffer.from("foo"));
    reply.close();
    await withTimeout(echoing, 5000, "the echo loop to end");
  });

  test("the refusal does not wait for sendTimeout: without one it is just as immediate", async () => {
    const [request, reply] = [sockets.open(Request), sockets.open(Reply)];
    await reply.bind(freshEndpoint(transport));
    request.connect(reply.lastEndpoint!);
    await request.send("foo");
    await expectRejection(request.send("bar"), { code: "EFSM", message: "Operation cannot be accomplished in current state" });
  });
});

// zeromq.js's observer after its socket closed: the socket's last event ("end") can still be
// read, and reading on is misuse, thrown as EBADF "Socket is closed".

import { expect, test } from "bun:test";
import { Dealer, type ZmqError } from "../../src/index.ts";

test("once the socket is closed, events yield its last event, then receive() throws EBADF", async () => {
  const socket = new Dealer({ linger: 0 });
  const events = socket.events;
  socket.close();
  expect(events.closed).toBe(true);
  expect((await events.receive()).type).toBe("end");
  let error: ZmqError | undefined;
  try {
    await events.receive();
  } catch (thrown) {
    error = thrown as ZmqError;
  }
  expect(error?.code).toBe("EBADF");
  expect(error?.message).toBe("Socket is closed");
  expect(typeof error?.errno).toBe("number");
});

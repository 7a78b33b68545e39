// A ZAP request for a connection that ended is withdrawn (#14): the private DEALER that carried it
// closes with the connection, so requests for connections long gone cannot pile up at a slow handler.
// Shown with a `mandatory` ROUTER as the handler: once the client is gone, a reply to the request's
// routing id has nobody to go to (EHOSTUNREACH); before the fix the DEALER waited for it for ever.

import { expect, test } from "bun:test";
import { Pull, Push, Router } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();

test("a ZAP request whose client left before the reply is withdrawn with the connection", async () => {
  const handler = cleanup.track(new Router({ linger: 0, mandatory: true }));
  await handler.bind("inproc://zeromq.zap.01");
  const server = cleanup.track(new Pull({ linger: 0, plainServer: true }));
  const log = new EventLog(server);
  await server.bind(TCP_ANY);
  const client = cleanup.track(new Push({ linger: 0, plainUsername: "user", plainPassword: "secret" }));
  client.connect(endpointOf(server));
  const [routingId, ...request] = await withTimeout(handler.receive(), 5000, "the ZAP request");
  expect(request.map(String).slice(0, 3)).toEqual(["", "1.0", "1"]);
  client.close();
  // The server's engine ended (the client closed during the handshake): the request was withdrawn.
  await log.waitFor("handshake:error:other");
  const reply = [routingId!, "", "1.0", "1", "200", "OK", "", ""];
  let code: string | undefined;
  try {
    handler.trySend(reply);
  } catch (error) {
    code = (error as { code?: string }).code;
  }
  expect(code).toBe("EHOSTUNREACH");
});

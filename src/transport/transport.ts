// The stream transports behind one pair of calls, chosen by the endpoint's scheme.
// Imports only its siblings and core; sessions use this instead of a particular transport.

import type { ByteStream } from "../core/byte-stream.ts";
import type { StreamAddress } from "./endpoint.ts";
import { connectIpc, listenIpc } from "./ipc.ts";
import { type Listener, connectTcp, listenTcp } from "./tcp.ts";

export type { Listener } from "./tcp.ts";

/** Binds synchronously; throws EADDRINUSE and friends naming `endpoint`. */
export function listen(address: StreamAddress, endpoint: string, onStream: (stream: ByteStream) => void): Listener {
  return address.scheme === "tcp" ? listenTcp(address, endpoint, onStream) : listenIpc(address, endpoint, onStream);
}

/** Dials; the promise rejects on refusal or after `timeoutMs` (> 0), and the session retries. */
export function connect(address: StreamAddress, timeoutMs: number): Promise<ByteStream> {
  return address.scheme === "tcp" ? connectTcp(address, timeoutMs) : connectIpc(address, timeoutMs);
}

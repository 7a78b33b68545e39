// Interop tests run each pairing in both bind orders; this joins a bunzmq socket and a libzmq socket
// in the order given, on a fresh loopback port.

import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { TCP_ANY } from "./endpoint.ts";
import { endpointOf } from "./payload.ts";

export type Order = "bunzmq binds" | "libzmq binds";
export const ORDERS: readonly Order[] = ["bunzmq binds", "libzmq binds"];

interface Endpoints {
  bind(address: string): Promise<void>;
  connect(address: string): void;
  lastEndpoint: string | null;
}

export async function join(order: Order, ours: Endpoints, theirs: LibzmqSocket): Promise<void> {
  if (order === "bunzmq binds") {
    await ours.bind(TCP_ANY);
    theirs.connect(endpointOf(ours));
  } else {
    theirs.bind(TCP_ANY);
    ours.connect(theirs.lastEndpoint);
  }
}

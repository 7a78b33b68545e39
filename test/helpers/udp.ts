// udp:// endpoints for tests. A udp:// bind needs its port (a sender addresses datagrams to it), so
// tests ask the kernel for a free one first: bound and closed at once, then bound by the socket
// under test. Imports node:dgram.

import dgram from "node:dgram";

/** A UDP port free on 127.0.0.1 just now (the kernel's choice of an ephemeral one). */
export async function freeUdpPort(): Promise<number> {
  const probe = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.bind(0, "127.0.0.1", () => resolve());
  });
  const { port } = probe.address();
  probe.close();
  return port;
}

/** `udp://127.0.0.1:<a free port>`, with the port, for a Dish or Datagram to bind. */
export async function anyUdpEndpoint(): Promise<{ endpoint: string; port: number }> {
  const port = await freeUdpPort();
  return { endpoint: `udp://127.0.0.1:${port}`, port };
}

/** A plain UDP socket on 127.0.0.1 (any port): sends raw datagrams and hears replies. */
export async function rawUdpPeer(): Promise<{ socket: dgram.Socket; port: number; received: Buffer[] }> {
  const socket = dgram.createSocket("udp4");
  const received: Buffer[] = [];
  socket.on("message", (message) => received.push(message));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return { socket, port: socket.address().port, received };
}

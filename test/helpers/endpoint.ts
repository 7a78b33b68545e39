// Endpoints for tests: always an ephemeral port, read back through lastEndpoint / ZMQ_LAST_ENDPOINT.

/** Bind to any free loopback port; never use a literal port number in tests. */
export const TCP_ANY = "tcp://127.0.0.1:*";

/** Splits "tcp://host:port" into Bun.connect arguments. */
export function parseTcpEndpoint(endpoint: string): { hostname: string; port: number } {
  const match = /^tcp:\/\/(\[[^\]]+\]|[^:]+):(\d+)$/.exec(endpoint);
  if (match === null) throw new Error(`not a resolved tcp endpoint: ${endpoint}`);
  const host = match[1]!;
  return { hostname: host.startsWith("[") ? host.slice(1, -1) : host, port: Number(match[2]) };
}

export type Transport = "tcp" | "ipc" | "inproc";
export const TRANSPORTS: readonly Transport[] = ["tcp", "ipc", "inproc"];

let inprocCount = 0;

/** Where to bind over `transport`: any loopback port, a fresh ipc path (removed on close), a fresh inproc name. */
export function anyEndpoint(transport: Transport): string {
  if (transport === "tcp") return TCP_ANY;
  if (transport === "ipc") return "ipc://*";
  return `inproc://test-${process.pid}-${++inprocCount}`;
}

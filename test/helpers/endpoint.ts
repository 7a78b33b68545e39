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

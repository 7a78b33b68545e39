// The gateway's options and their defaults (./gateway.ts; docs/gateway.md explains the modes).

export interface GatewayOptions {
  /** Bound PULL for results and server announcements (default tcp://127.0.0.1:*). */
  resultsEndpoint?: string;
  wsHostname?: string;
  /** WebSocket port for players (default 0: any free port; read `wsUrl`). */
  wsPort?: number;
  /** Keep every action until answered, re-dispatch after `redeliverAfterMs`, drop duplicate results. */
  atLeastOnce?: boolean;
  redeliverAfterMs?: number;
  /** Unanswered actions one player may have before it is disconnected as a flood (default 1000). */
  maxInFlightPerPlayer?: number;
  /** A server disconnected for this long is forgotten (default 2000 ms). */
  serverGoneAfterMs?: number;
  /** Where ZeroMQ players connect (a ROUTER, NULL, bare ZWS2.0 accepted); default any free port on wsHostname, path /zmq; null for none. */
  zmqPlayersEndpoint?: string | null;
  /** Where GET /metrics is served (Prometheus text format); default 127.0.0.1. */
  metricsHostname?: string;
  /** Its port (default 0: any free port; read `metricsUrl`). */
  metricsPort?: number;
  /**
   * Bytes of actions the PUSH may queue on disk when no server can take them (its `swap` option):
   * players' actions are taken while every server is down, and sent when servers return. 0: none
   * (actions then wait in memory); 1 GiB by default with `swapDirectory`.
   */
  swapBytes?: number;
  /**
   * Durable at-least-once (implies `atLeastOnce`): a directory, created if missing, for the PUSH's
   * journal and the gateway's journal of unanswered actions. A gateway started on it after a crash
   * plays every action the last one accepted and did not answer; a player that reconnects as the
   * same `/play?player=<id>` gets the answers. null (default): none.
   */
  swapDirectory?: string | null;
  /** Also fsync the journals (what survives a power loss, not only a crash); default false. */
  swapSync?: boolean;
}

/** `options` with every default filled in; `swapDirectory` implies `atLeastOnce` and 1 GiB of `swapBytes`. */
export function withDefaults(options: GatewayOptions): Required<GatewayOptions> {
  const durable = (options.swapDirectory ?? null) !== null;
  return {
    resultsEndpoint: "tcp://127.0.0.1:*",
    wsHostname: "127.0.0.1",
    wsPort: 0,
    atLeastOnce: false,
    redeliverAfterMs: 1000,
    maxInFlightPerPlayer: 1000,
    serverGoneAfterMs: 2000,
    metricsHostname: "127.0.0.1",
    metricsPort: 0,
    zmqPlayersEndpoint: `ws://${options.wsHostname ?? "127.0.0.1"}:*/zmq`,
    swapBytes: durable ? 2 ** 30 : 0,
    swapDirectory: null,
    swapSync: false,
    ...options,
    ...(durable ? { atLeastOnce: true } : {}),
  };
}

// A plain EngineSpec (src/io/protocol.ts) for tests that drive the I/O pool directly: a NULL PUSH
// with libzmq's defaults.

import { SocketType } from "../../src/core/socket-type.ts";
import type { EngineSpec } from "../../src/io/protocol.ts";

export function pushSpec(overrides: Partial<EngineSpec> = {}): EngineSpec {
  return {
    socketType: SocketType.Push,
    ownProperties: [["Socket-Type", new TextEncoder().encode("PUSH")]],
    routingId: new Uint8Array(0),
    mechanism: {
      mechanism: "NULL",
      asServer: false,
      plainUsername: null,
      plainPassword: null,
      curvePublicKey: null,
      curveSecretKey: null,
      curveServerKey: null,
      zapDomain: "",
    },
    maxMessageSize: -1,
    handshakeInterval: 30_000,
    outBatchSize: 8192,
    heartbeatInterval: 0,
    heartbeatTimeToLive: 0,
    heartbeatTimeout: -1,
    sendHighWaterMark: 1000,
    receiveHighWaterMark: 1000,
    conflate: false,
    connectTimeout: 0,
    transport: {
      tcpKeepalive: -1,
      tcpKeepaliveCount: -1,
      tcpKeepaliveIdle: -1,
      tcpKeepaliveInterval: -1,
      typeOfService: 0,
      tcpMaxRetransmitTimeout: 0,
      interface: "",
      sendBufferSize: -1,
      receiveBufferSize: -1,
      tcpAcceptFilter: [],
      socksProxy: "",
      socksUsername: "",
      socksPassword: "",
      ipv6: false,
      mechanism: "NULL",
      maxMessageSize: -1,
      wssCertPem: "",
      wssKeyPem: "",
      wssTrustPem: "",
      wssTrustSystem: true,
      wssHostname: "",
      wsBareProtocol: false,
    },
    affinity: 0,
    ...overrides,
  };
}

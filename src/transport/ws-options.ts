// What the ws:// and wss:// transports read from the socket's options as each connection opens:
// the mechanism (it picks the ZWS 2.0 subprotocol), the message size limit, and TLS under libzmq's
// ZMQ_WSS_* names. Imports nothing.

export interface WsOptions {
  readonly mechanism: "NULL" | "PLAIN" | "CURVE";
  /** ZMQ_MAXMSGSIZE: a server also caps the WebSocket messages it reads at this plus the flags byte. */
  readonly maxMessageSize: number;
  /** ZMQ_WSS_CERT_PEM / ZMQ_WSS_KEY_PEM: a wss:// bind's certificate chain and key, PEM. */
  readonly wssCertPem: string;
  readonly wssKeyPem: string;
  /** ZMQ_WSS_TRUST_PEM: certificates a wss:// connect trusts, PEM; "" for none beyond the system's. */
  readonly wssTrustPem: string;
  /** ZMQ_WSS_TRUST_SYSTEM: whether a wss:// connect also trusts the system's certificate authorities. */
  readonly wssTrustSystem: boolean;
  /** ZMQ_WSS_HOSTNAME: the name a wss:// connect expects in the certificate (and sends as SNI); "" for the endpoint's host. */
  readonly wssHostname: string;
  /** Connects offer only the bare "ZWS2.0" subprotocol (NULL, no handshake), as jszmq and browsers do. */
  readonly wsBareProtocol: boolean;
}

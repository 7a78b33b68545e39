// Which mechanism a new connection gets, from the options that choose it (as libzmq's setsockopt
// left them). Shared by the application thread and I/O Workers, which receive these options as
// plain data. Imports core and its own layer.

import type { SocketOptions } from "../core/options.ts";
import { CurveClient } from "./curve/client.ts";
import { CurveServer } from "./curve/server.ts";
import type { Mechanism, OwnProperties } from "./mechanism.ts";
import { NullMechanism } from "./null.ts";
import { PlainClient, PlainServer } from "./plain.ts";

/** The options a mechanism is made from: the socket's security options (structured-clonable). */
export type MechanismOptions = Pick<
  SocketOptions,
  "mechanism" | "asServer" | "plainUsername" | "plainPassword" | "curvePublicKey" | "curveSecretKey" | "curveServerKey" | "zapDomain"
>;

const utf8 = new TextEncoder();

/** A CURVE key never set: libzmq's all-zero default (the API warns about it at bind or connect). */
const UNSET_KEY = new Uint8Array(32);

/** A fresh mechanism for one connection. */
export function createMechanism(options: MechanismOptions, properties: OwnProperties): Mechanism {
  switch (options.mechanism) {
    case "NULL":
      return new NullMechanism(properties, judgesNullPeers(options));
    case "PLAIN":
      if (options.asServer) return new PlainServer(properties);
      return new PlainClient(properties, utf8.encode(options.plainUsername ?? ""), utf8.encode(options.plainPassword ?? ""));
    case "CURVE":
      // A key never set is libzmq's all-zero default; bind/connect warned about it (api/security-options.ts).
      if (options.asServer) return new CurveServer(properties, options.curveSecretKey ?? UNSET_KEY);
      return new CurveClient(properties, {
        publicKey: options.curvePublicKey ?? UNSET_KEY,
        secretKey: options.curveSecretKey ?? UNSET_KEY,
        serverKey: options.curveServerKey ?? UNSET_KEY,
      });
  }
}

/** libzmq's zap_required for NULL: a socket with a ZAP domain has every NULL peer judged. */
function judgesNullPeers(options: MechanismOptions): boolean {
  return options.zapDomain !== "";
}

/** Whether the connections these options make ask an authenticator: PLAIN and CURVE servers, and NULL with a ZAP domain. */
export function asksAuthenticator(options: MechanismOptions): boolean {
  return options.mechanism === "NULL" ? judgesNullPeers(options) : options.asServer;
}

/** Picks the mechanism options out of a larger object (a socket's options), for sending elsewhere. */
export function mechanismOptionsOf(options: MechanismOptions): MechanismOptions {
  const { mechanism, asServer, plainUsername, plainPassword, curvePublicKey, curveSecretKey, curveServerKey, zapDomain } = options;
  return { mechanism, asServer, plainUsername, plainPassword, curvePublicKey, curveSecretKey, curveServerKey, zapDomain };
}

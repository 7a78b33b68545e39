// The security options (PLAIN, CURVE, ZAP) as zeromq.js names them, with libzmq's rules for which
// mechanism and role each one selects (mechanism/create.ts makes each connection's mechanism).
// Imports mechanism, core and engine (its crypto backend, chosen when CURVE is configured), and the
// option shapes beside it.

import { ZmqError } from "../core/errors.ts";
import type { Authenticate, SocketOptions } from "../core/options.ts";
import { z85Decode, z85Encode } from "../core/z85.ts";
import { publicKeyOf } from "../mechanism/curve/box.ts";
import { loadCryptoBackend } from "../engine/crypto-backend.ts";
import { capability } from "./about.ts";
import type { OptionSpec } from "./option-spec.ts";
import type { OptionKind } from "./option-values.ts";

type SecurityOptionName =
  | "plainServer"
  | "plainUsername"
  | "plainPassword"
  | "curveServer"
  | "curvePublicKey"
  | "curveSecretKey"
  | "curveServerKey"
  | "zapDomain"
  | "zapEnforceDomain"
  | "authenticate";
export type CurveKeyName = "curvePublicKey" | "curveSecretKey" | "curveServerKey";
/** A CURVE key as the options take it: 40 Z85 characters or 32 bytes (reads give Z85). */
export type CurveKey = string | Uint8Array;

/**
 * The security options every socket has: PLAIN (RFC 24) and CURVE (RFC 25/26) as client or server,
 * and how a server judges its clients (ZAP, RFC 27, or `authenticate`). Setting one picks the
 * mechanism and role of the connections made afterwards; existing ones keep theirs.
 */
export interface SecurityProperties {
  /**
   * The mechanism new connections use, as the options below chose it: "plain", "curve", or null
   * for NULL (no security).
   * @defaultValue null
   * @libzmq ZMQ_MECHANISM (43)
   */
  readonly securityMechanism: "plain" | "curve" | "gssapi" | null;
  /**
   * true makes new connections PLAIN servers, which check each client's username and password
   * (through a ZAP handler or `authenticate`); false returns to NULL.
   * @defaultValue false
   * @libzmq ZMQ_PLAIN_SERVER (44)
   */
  plainServer: boolean;
  /**
   * The username a PLAIN client sends, 1 to 255 bytes of UTF-8; setting it makes new connections
   * PLAIN clients, null returns to NULL.
   * @defaultValue null
   * @libzmq ZMQ_PLAIN_USERNAME (45)
   */
  plainUsername: string | null;
  /**
   * The password a PLAIN client sends, as `plainUsername`.
   * @defaultValue null
   * @libzmq ZMQ_PLAIN_PASSWORD (46)
   */
  plainPassword: string | null;
  /**
   * true makes new connections CURVE servers, which need `curveSecretKey`; false returns to NULL.
   * @defaultValue false
   * @libzmq ZMQ_CURVE_SERVER (47)
   */
  curveServer: boolean;
  /**
   * This socket's permanent public key, as 40 Z85 characters or 32 bytes (see `curveKeyPair()`);
   * reads back as Z85. A CURVE client needs it, matching `curveSecretKey` (else connect() throws EINVAL).
   * @defaultValue null
   * @libzmq ZMQ_CURVE_PUBLICKEY (48)
   */
  get curvePublicKey(): string | null;
  set curvePublicKey(value: CurveKey | null);
  /**
   * This socket's permanent secret key, as `curvePublicKey`. Every CURVE socket needs it.
   * @defaultValue null
   * @libzmq ZMQ_CURVE_SECRETKEY (49)
   */
  get curveSecretKey(): string | null;
  set curveSecretKey(value: CurveKey | null);
  /**
   * The server's public key; setting it makes new connections CURVE clients of that server.
   * @defaultValue null
   * @libzmq ZMQ_CURVE_SERVERKEY (50)
   */
  get curveServerKey(): string | null;
  set curveServerKey(value: CurveKey | null);
  /**
   * The domain put in ZAP requests, at most 255 bytes; null clears it. Set, it also has every NULL
   * peer judged (a request with mechanism "NULL"), as in libzmq.
   * @defaultValue null
   * @libzmq ZMQ_ZAP_DOMAIN (55)
   */
  zapDomain: string | null;
  /**
   * RFC 27's rule that a ZAP request needs a domain: with it, no ZAP request goes out without a
   * `zapDomain` (a CURVE server then accepts any client with a valid key), and with a `zapDomain`
   * but no handler the handshake fails (EFAULT) instead of passing unauthenticated.
   * @defaultValue false
   * @libzmq ZMQ_ZAP_ENFORCE_DOMAIN (93)
   */
  zapEnforceDomain: boolean;
  /**
   * Judges each PLAIN or CURVE client (and NULL peers of a socket with a `zapDomain`) where no ZAP
   * handler is bound at inproc://zeromq.zap.01 in the socket's context: return (a promise of) true
   * to accept, false to refuse (ZAP status 400); a throw counts as 500. Asked at each handshake.
   * @defaultValue null
   * @libzmq none (bunzmq addition)
   */
  authenticate: Authenticate | null;
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/**
 * Validates and stores one security option, switching mechanism and role as libzmq does: a
 * `*Server` flag picks that mechanism's server (false returns to NULL); a PLAIN credential or
 * curveServerKey picks the client; CURVE's own keys pick CURVE without changing the role; null
 * credentials return PLAIN to NULL. Existing connections keep the mechanism they started with.
 */
function setSecurityOption(options: SocketOptions, name: SecurityOptionName, value: unknown): void {
  switch (name) {
    case "plainServer":
    case "curveServer": {
      const server = value === true;
      options.asServer = server;
      options.mechanism = server ? (name === "plainServer" ? "PLAIN" : "CURVE") : "NULL";
      if (options.mechanism === "CURVE") void loadCryptoBackend();
      return;
    }
    case "plainUsername":
    case "plainPassword": {
      const credential = validateCredential(name, value);
      options[name] = credential;
      options.mechanism = credential === null ? "NULL" : "PLAIN";
      if (credential !== null) options.asServer = false;
      return;
    }
    case "curvePublicKey":
    case "curveSecretKey":
    case "curveServerKey": {
      const key = validateCurveKey(name, value);
      options[name] = key;
      if (key === null) return;
      options.mechanism = "CURVE";
      // The crypto backend is chosen now: native at once, or the WebAssembly fallback compiling
      // while the socket binds or dials (crypto-backend.ts).
      void loadCryptoBackend();
      if (name === "curveServerKey") options.asServer = false;
      return;
    }
    case "zapDomain":
      if (value !== null && encoder.encode(value as string).length > 255) {
        throw new ZmqError("EINVAL", `Option zapDomain accepts at most 255 bytes (UTF-8) or null; got ${String(value)}`);
      }
      options.zapDomain = (value as string | null) ?? "";
      return;
    case "zapEnforceDomain":
      options.zapEnforceDomain = value === true;
      return;
    case "authenticate":
      if (value !== null && typeof value !== "function") throw new TypeError("Option value must be a function or null");
      options.authenticate = value as Authenticate | null;
      return;
  }
}

const MECHANISMS = ["NULL", "PLAIN", "CURVE"] as const;

/** A security option whose setter switches mechanism and role as setSecurityOption says. */
function securityOption(name: SecurityOptionName, id: number | null, kind: OptionKind | "custom", read: OptionSpec["read"]): OptionSpec {
  return {
    name,
    id,
    kind,
    access: "rw",
    on: "all",
    // The addition `authenticate` is asked at each handshake, so it never warns.
    ...(id === null ? { immediate: true } : {}),
    read,
    write: ({ options }, value: unknown) => {
      setSecurityOption(
        options,
        name,
        value instanceof Uint8Array && kind === "string" && !name.startsWith("curve") ? utf8.decode(value) : value,
      );
    },
  };
}

/** A `*Server` flag reads true only in that mechanism's server role, as in libzmq. */
function serverFlag(name: "plainServer" | "curveServer", id: number): OptionSpec {
  const mechanism = name === "plainServer" ? "PLAIN" : "CURVE";
  return securityOption(name, id, "bool", ({ options }) => options.asServer && options.mechanism === mechanism);
}

/** A key reads back as Z85 text, or null when unset. */
function curveKey(name: CurveKeyName, id: number): OptionSpec {
  return securityOption(name, id, "string", ({ options }) => {
    const key = options[name];
    return key === null ? null : z85Encode(key);
  });
}

/**
 * The security options. CURVE's exist because `capability.curve` is true, as zeromq.js defines them
 * only then; GSSAPI's (62-65, 90, 91) are absent, as in zeromq.js over a libzmq built without GSSAPI,
 * which also refuses their numbers with EINVAL.
 * @internal
 */
export const SECURITY_OPTIONS: readonly OptionSpec[] = [
  {
    name: "securityMechanism",
    id: 43,
    kind: "int32",
    access: "r",
    on: "all",
    names: [null, "plain", "curve", "gssapi"],
    read: ({ options }) => MECHANISMS.indexOf(options.mechanism),
  },
  serverFlag("plainServer", 44),
  securityOption("plainUsername", 45, "string", ({ options }) => options.plainUsername),
  securityOption("plainPassword", 46, "string", ({ options }) => options.plainPassword),
  ...(capability.curve
    ? [serverFlag("curveServer", 47), curveKey("curvePublicKey", 48), curveKey("curveSecretKey", 49), curveKey("curveServerKey", 50)]
    : []),
  securityOption("zapDomain", 55, "string", ({ options }) => (options.zapDomain === "" ? null : options.zapDomain)),
  securityOption("zapEnforceDomain", 93, "bool", ({ options }) => options.zapEnforceDomain),
  securityOption("authenticate", null, "custom", ({ options }) => options.authenticate),
];

/**
 * Checks before bind or connect what the chosen mechanism needs: a CURVE server its secret key, a
 * CURVE client its key pair and the server's key (a warning when missing, see below); a key pair
 * that does not match is EINVAL. inproc connections have no mechanism (as in libzmq),
 * so the socket checks only other transports.
 * @internal
 */
export function assertSecurityComplete(options: SocketOptions, address: string): void {
  if (options.mechanism !== "CURVE") return;
  const { curvePublicKey, curveSecretKey, curveServerKey } = options;
  // libzmq binds and connects with unset keys (all zero) and fails only in the handshake; zeromq.js's
  // own tests rely on that, so a missing key is a warning here, not an error.
  if (options.asServer) {
    if (curveSecretKey === null) warnUnsetKeys(options, address, "a CURVE server needs curveSecretKey (see curveKeyPair())");
    return;
  }
  if (curvePublicKey === null || curveSecretKey === null || curveServerKey === null) {
    return warnUnsetKeys(options, address, "a CURVE client needs curveServerKey, curvePublicKey and curveSecretKey");
  }
  if (!Buffer.from(publicKeyOf(curveSecretKey)).equals(curvePublicKey)) {
    throw new ZmqError("EINVAL", `Cannot use ${address}: curvePublicKey is not the public key of curveSecretKey`, address);
  }
}

/** Sockets already warned, so a socket that keeps dialling warns once. */
const warnedUnsetKeys = new WeakSet<SocketOptions>();

function warnUnsetKeys(options: SocketOptions, address: string, what: string): void {
  if (warnedUnsetKeys.has(options)) return;
  warnedUnsetKeys.add(options);
  process.emitWarning(`${address}: ${what}; until then its keys are all zero and handshakes fail`, { code: "BUNZMQ_CURVE_KEYS_UNSET" });
}

/** ZMQ_PLAIN_USERNAME / ZMQ_PLAIN_PASSWORD: null clears; else 1 to 255 bytes of UTF-8 (libzmq refuses empty). */
function validateCredential(name: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string" || value.length === 0 || encoder.encode(value).length > 255) {
    throw new ZmqError("EINVAL", `Option ${name} must be a string of 1 to 255 bytes (UTF-8) or null, got ${String(value)}`);
  }
  return value;
}

/** ZMQ_CURVE_*KEY as libzmq takes them: 40 characters of Z85 or 32 raw bytes (copied); null clears. */
function validateCurveKey(name: CurveKeyName, value: unknown): Uint8Array | null {
  if (value === null) return null;
  const key =
    typeof value === "string" && value.length === 40
      ? z85Decode(value)
      : value instanceof Uint8Array && value.length === 32
        ? new Uint8Array(value)
        : null;
  if (key === null) {
    throw new ZmqError("EINVAL", `Option ${name} must be a key of 40 Z85 characters or 32 bytes (see curveKeyPair()), or null`);
  }
  return key;
}

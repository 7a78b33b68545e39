// Server-side authentication for a socket's connections (PLAIN and CURVE servers, and NULL peers of a
// socket with a ZAP domain): a ZAP request (RFC 27) to the handler bound at inproc://zeromq.zap.01 in
// the socket's Context, else the `authenticate` option, else libzmq's default: PLAIN clients are
// refused, CURVE clients (already proven to hold their key) and NULL peers accepted, except that
// with zapEnforceDomain a handler is required wherever a domain is set.
// Imports session, socket, transport, engine, mechanism, wire and core, as the API layer may.

import { type AuthenticateRequest, type SocketOptions, defaultSocketOptions } from "../core/options.ts";
import type { AuthenticationRequest, Authenticator } from "../engine/handshake.ts";
import { z85Encode } from "../core/z85.ts";
import type { Credentials, HandshakeFailure, Verdict } from "../mechanism/mechanism.ts";
import { InprocConnectSession } from "../session/inproc-session.ts";
import type { SessionOwner } from "../session/session-owner.ts";
import { DealerSocket } from "../socket/dealer.ts";
import type { InprocNamespace } from "../transport/inproc.ts";
import { parseMetadata } from "../wire/metadata.ts";

/** RFC 27: the well-known endpoint name of a ZAP handler, within one Context. */
export const ZAP_ENDPOINT_NAME = "zeromq.zap.01";
const ZAP_ENDPOINT = `inproc://${ZAP_ENDPOINT_NAME}`;
const ZAP_VERSION = "1.0";
/** libzmq gives each connection its own ZAP pipe and always uses request id "1"; so do we. */
const REQUEST_ID = "1";

const utf8 = new TextDecoder();
const NO_AUTHENTICATOR: HandshakeFailure = {
  kind: "other",
  code: "EFAULT",
  message: `no ZAP handler at ${ZAP_ENDPOINT} and no authenticate option: PLAIN clients are refused, as libzmq does`,
};
const HANDLER_REQUIRED: HandshakeFailure = {
  kind: "other",
  code: "EFAULT",
  message: `zapEnforceDomain with a zapDomain requires a ZAP handler at ${ZAP_ENDPOINT} (or the authenticate option)`,
};

/**
 * The authenticator for one socket's engines. Which one answers is decided per connection, when its
 * credentials arrive, so a ZAP handler bound after the socket still counts (as in libzmq).
 */
export function socketAuthenticator(registry: InprocNamespace, options: SocketOptions): Authenticator {
  return (request, abandoned) => {
    // ZMQ_ZAP_ENFORCE_DOMAIN: RFC 27 says a ZAP request carries a domain, so libzmq sends none
    // without one (its CURVE server then accepts every client holding a valid key).
    const zapAllowed = !options.zapEnforceDomain || options.zapDomain !== "";
    if (zapAllowed && registry.isBound(ZAP_ENDPOINT_NAME)) return askZapHandler(registry, options, request, abandoned);
    const authenticate = options.authenticate;
    if (authenticate !== null) return askCallback(authenticate, options, request);
    return Promise.resolve(defaultVerdict(request.mechanism, options));
  };
}

/** libzmq 4.3.4 without a ZAP handler (its PLAIN server would abort on enforce without a domain; ours refuses). */
function defaultVerdict(mechanism: Credentials["mechanism"], options: SocketOptions): Verdict {
  if (mechanism === "PLAIN") return { failure: NO_AUTHENTICATOR };
  if (options.zapEnforceDomain && options.zapDomain !== "") return { failure: HANDLER_REQUIRED };
  return { status: 200 };
}

/** The peer's IP address without port, as ZAP's address frame carries it (over tcp, ws and wss; "" for ipc). */
export function peerIpAddress(remoteAddress: string): string {
  const match = /^(?:tcp|wss?):\/\/(?:\[([^\]]*)\]|([^:]*)):\d+$/.exec(remoteAddress);
  return match === null ? "" : (match[1] ?? match[2] ?? "");
}

// The user's callback runs from a promise job, never inside our I/O callback (house style: no
// re-entrancy). false is a refusal (400, ERROR sent); a throw or rejection is an internal error (500).
function askCallback(
  authenticate: NonNullable<SocketOptions["authenticate"]>,
  options: SocketOptions,
  request: AuthenticationRequest,
): Promise<Verdict> {
  const where = { address: peerIpAddress(request.remoteAddress), domain: options.zapDomain };
  const question: AuthenticateRequest =
    request.mechanism === "NULL"
      ? { mechanism: "NULL", ...where }
      : request.mechanism === "PLAIN"
        ? { mechanism: "PLAIN", username: utf8.decode(request.username), password: utf8.decode(request.password), ...where }
        : { mechanism: "CURVE", publicKey: z85Encode(request.publicKey)!, ...where };
  return Promise.resolve()
    .then(() => authenticate(question))
    .then(
      (accepted): Verdict => ({ status: accepted === true ? 200 : 400 }),
      (): Verdict => ({ status: 500 }),
    );
}

/**
 * One ZAP round trip over a private DEALER connected to the handler (a REP or ROUTER), closed after
 * the reply. If the handler never answers, the handshake time-out ends the connection; the DEALER
 * closes as soon as the connection ends (`abandoned`), and the request, if the handler has not
 * taken it yet, goes with it.
 */
function askZapHandler(
  registry: InprocNamespace,
  options: SocketOptions,
  request: AuthenticationRequest,
  abandoned: AbortSignal,
): Promise<Verdict> {
  const core = new DealerSocket();
  const owner: SessionOwner = {
    core,
    options: { ...defaultSocketOptions(), linger: 0 },
    emit: () => {},
    createEngine: () => {
      throw new Error("a ZAP connection is inproc and has no engine");
    },
    io: null,
  };
  let session: InprocConnectSession;
  try {
    session = new InprocConnectSession(owner, registry, ZAP_ENDPOINT_NAME, ZAP_ENDPOINT);
  } catch {
    // The name is bound by a socket a DEALER cannot talk to: as good as no handler.
    return Promise.resolve({ failure: NO_AUTHENTICATOR });
  }
  return new Promise<Verdict>((resolve) => {
    const finish = (verdict: Verdict): void => {
      core.onReadable = () => {};
      abandoned.removeEventListener("abort", withdraw);
      session.close(0);
      resolve(verdict);
    };
    const tryReply = (): void => {
      const reply = core.tryReceive();
      if (reply !== undefined) finish(parseZapReply(reply));
    };
    // Nobody awaits the verdict any more (the handshake ignores it); what it says does not matter.
    const withdraw = (): void =>
      finish({ failure: { kind: "other", code: "EPIPE", message: "the connection ended before the ZAP reply" } });
    if (abandoned.aborted) return withdraw();
    abandoned.addEventListener("abort", withdraw);
    // The handler may answer inside our send (inproc delivers synchronously): defer, so the engine
    // is never re-entered from its own authenticate call.
    core.onReadable = () => queueMicrotask(tryReply);
    const text = new TextEncoder();
    // RFC 27 request: delimiter, version, request id, domain, address, identity, mechanism, credentials.
    const sent = core.trySend([
      new Uint8Array(0),
      text.encode(ZAP_VERSION),
      text.encode(REQUEST_ID),
      text.encode(options.zapDomain),
      text.encode(peerIpAddress(request.remoteAddress)),
      options.routingId,
      text.encode(request.mechanism),
      ...credentialFrames(request),
    ]);
    if (!sent) finish({ failure: { kind: "protocol", code: "ERR_ZAP_UNSPECIFIED", message: "the ZAP request could not be queued" } });
  });
}

/** RFC 27's credential frames: PLAIN's username and password, CURVE's 32-byte client key, none for NULL. */
function credentialFrames(credentials: Credentials): Uint8Array[] {
  if (credentials.mechanism === "NULL") return [];
  return credentials.mechanism === "PLAIN" ? [credentials.username, credentials.password] : [credentials.publicKey];
}

/**
 * Checks a ZAP reply as libzmq does: delimiter, "1.0", our request id, a 200/300/400/500 status,
 * status text, user id and well-formed metadata; anything else is a protocol failure (ERR_ZAP_*).
 */
export function parseZapReply(frames: Uint8Array[]): Verdict {
  const fail = (code: string, message: string): Verdict => ({ failure: { kind: "protocol", code, message } });
  if (frames.length !== 7 || frames[0]!.length !== 0)
    return fail("ERR_ZAP_MALFORMED_REPLY", `ZAP reply has ${frames.length} frames, expected an empty delimiter and 6 more`);
  if (utf8.decode(frames[1]) !== ZAP_VERSION) return fail("ERR_ZAP_BAD_VERSION", "ZAP reply version is not 1.0");
  if (utf8.decode(frames[2]) !== REQUEST_ID) return fail("ERR_ZAP_BAD_REQUEST_ID", "ZAP reply request id does not match");
  const status = utf8.decode(frames[3]);
  if (status !== "200" && status !== "300" && status !== "400" && status !== "500") {
    return fail("ERR_ZAP_INVALID_STATUS_CODE", `ZAP reply status ${JSON.stringify(status)} is not 200, 300, 400 or 500`);
  }
  if (parseMetadata(frames[6]!) === null) return fail("ERR_ZAP_INVALID_METADATA", "ZAP reply metadata is malformed");
  return { status: Number(status) as 200 | 300 | 400 | 500 };
}

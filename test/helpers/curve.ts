// CURVE fixtures for the interop suites: the key pairs of zmtp-notes §5.2 (verified against libzmq's
// zmq_curve_public) and libzmq sockets configured as CURVE servers or clients.

import type { LibzmqContext, LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";

/** zmtp-notes §5.2 test vectors: Z85 key pairs, 40 characters each. */
export const CLIENT = {
  publicKey: "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID",
  secretKey: "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs",
} as const;
export const SERVER = {
  publicKey: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
  secretKey: "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6",
} as const;

/** bunzmq options for a CURVE client of SERVER holding CLIENT's keys (spread into a socket's init). */
export const CLIENT_OPTIONS = {
  curveServerKey: SERVER.publicKey,
  curvePublicKey: CLIENT.publicKey,
  curveSecretKey: CLIENT.secretKey,
} as const;

/** bunzmq options for a CURVE server holding SERVER's keys. */
export const SERVER_OPTIONS = {
  curveServer: true,
  curvePublicKey: SERVER.publicKey,
  curveSecretKey: SERVER.secretKey,
} as const;

type Key = string | Uint8Array;

/** A libzmq socket of `type` in `context`, a CURVE server with SERVER's secret key (not yet bound). */
export function libzmqCurveServer(context: LibzmqContext, type: number, secretKey: Key = SERVER.secretKey): LibzmqSocket {
  const socket = context.socket(type);
  socket.setInt(ZMQ.CURVE_SERVER, 1);
  socket.setBytes(ZMQ.CURVE_SECRETKEY, secretKey);
  return socket;
}

/** A libzmq socket of `type` in `context`, a CURVE client of `serverKey` with CLIENT's keys (not yet connected). */
export function libzmqCurveClient(
  context: LibzmqContext,
  type: number,
  { serverKey = SERVER.publicKey as Key, publicKey = CLIENT.publicKey as Key, secretKey = CLIENT.secretKey as Key } = {},
): LibzmqSocket {
  const socket = context.socket(type);
  socket.setBytes(ZMQ.CURVE_SERVERKEY, serverKey);
  socket.setBytes(ZMQ.CURVE_PUBLICKEY, publicKey);
  socket.setBytes(ZMQ.CURVE_SECRETKEY, secretKey);
  return socket;
}

/** zmq.h's ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: the value of libzmq's HANDSHAKE_FAILED_PROTOCOL for a box that does not open. */
export const PROTOCOL_ERROR_CRYPTOGRAPHIC = 0x11000001;

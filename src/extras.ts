// bunzmq/extras: runtime values bunzmq adds to zeromq.js's surface, kept out of the main entry so
// that it exports exactly zeromq.js's values. Re-exports only; imports core.

/** The error every rejection and throw carries (`code`, `errno`, `address`), for `instanceof`. */
export { ZmqError } from "./core/errors.ts";
/** Socket type numbers as libzmq has them; `socket.type` is one of these. */
export { SocketType } from "./core/socket-type.ts";
/** Z85 text (RFC 32) to bytes and back; null for input of the wrong length or alphabet. */
export { z85Decode, z85Encode } from "./core/z85.ts";

// CurveZMQ's handshake commands as RFC 26 and libzmq lay them out (zmtp-notes §5.2). Offsets and
// sizes count from the end of the command name, where `Command.data` starts. Imports only its
// siblings in curve/.
//
//   C→S  HELLO     version 1.0, 72 zero bytes, C', nonce 1, box[64 zeros](C'→S)      200 bytes
//   S→C  WELCOME   long nonce, box[S' ‖ cookie](S→C')                                168 bytes
//   C→S  INITIATE  cookie, nonce 2, box[C ‖ vouch nonce ‖ vouch ‖ metadata](C'→S')   ≥ 257 bytes
//                  vouch = box[C' ‖ S](C→S')
//   S→C  READY     nonce, box[metadata](S'→C')                                       ≥ 30 bytes
//   S→C  ERROR     instead of READY, when the server's authenticator refuses C

import { KEY_BYTES } from "./box.ts";
import { LONG_NONCE_BYTES, SHORT_NONCE_BYTES } from "./nonces.ts";
import { BOX_OVERHEAD } from "./secretbox.ts";

/** HELLO's data: version (2), padding (72), C' (32), nonce (8), box (80). */
export const HELLO_DATA_BYTES = 194;
export const HELLO_KEY_AT = 74;
export const HELLO_NONCE_AT = HELLO_KEY_AT + KEY_BYTES;
export const HELLO_BOX_AT = HELLO_NONCE_AT + SHORT_NONCE_BYTES;
/** WELCOME's data: long nonce (16) and box[S' ‖ cookie] (144). */
export const WELCOME_DATA_BYTES = LONG_NONCE_BYTES + KEY_BYTES + 96 + BOX_OVERHEAD;
/** The cookie: its long nonce (16) and secretbox[C' ‖ s'] (80). */
export const COOKIE_BYTES = 96;
/** What INITIATE's box holds before the metadata: C (32), the vouch's nonce tail (16), the vouch (80). */
export const INITIATE_FIXED_BYTES = KEY_BYTES + LONG_NONCE_BYTES + 2 * KEY_BYTES + BOX_OVERHEAD;
/** INITIATE's data: cookie, nonce, and a box of at least the fixed part. */
export const MIN_INITIATE_DATA_BYTES = COOKIE_BYTES + SHORT_NONCE_BYTES + INITIATE_FIXED_BYTES + BOX_OVERHEAD;
/** READY's data: nonce (8) and a box of at least its tag (16). */
export const MIN_READY_DATA_BYTES = SHORT_NONCE_BYTES + BOX_OVERHEAD;

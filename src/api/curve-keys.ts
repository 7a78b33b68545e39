// zeromq.js's curveKeyPair(): a new permanent CURVE key pair in Z85. Imports mechanism and core.

import { z85Encode } from "../core/z85.ts";
import { generateKeyPair } from "../mechanism/curve/box.ts";

/** A new permanent CURVE key pair as Z85 text, 40 characters each (zmq_curve_keypair). */
export function curveKeyPair(): { publicKey: string; secretKey: string } {
  const { publicKey, secretKey } = generateKeyPair();
  return { publicKey: z85Encode(publicKey)!, secretKey: z85Encode(secretKey)! };
}

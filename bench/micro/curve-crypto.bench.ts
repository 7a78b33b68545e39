// Micro-benchmarks of CURVE's cryptography (src/mechanism/curve), no sockets:
// - X25519 shared secret: node:crypto as box.ts uses it (raw keys wrapped in DER, KeyObjects made on
//   every call), node:crypto with KeyObjects made once, @noble/curves (a devDependency for this
//   comparison only), and box.ts's whole sharedKey (X25519 + HSalsa20, crypto_box_beforenm);
// - key-pair generation: box.ts's generateKeyPair (node:crypto) against @noble/curves;
//   Beside them the system's libsodium through bun:ffi (crypto_box_beforenm, crypto_box_keypair), to
//   show whether the native backend should take X25519 over too;
// - crypto_secretbox (XSalsa20-Poly1305) seal, open, and sealFrame (flags ‖ frame into a batch at
//   an offset, the engine's path) at 16 B, 1 KiB and 64 KiB from each source the crypto backend may
//   use (crypto-backend.ts): native libsodium, its WebAssembly build through libsodium-wrappers'
//   documented functions, and @noble/ciphers; each printed against native at the end;
// - the traffic phase: MessageBox.seal and .open at the same sizes, through the backend the
//   environment chooses (BUNZMQ_CRYPTO_BACKEND=wasm for the fallback; the row names it);
// - one whole CURVE handshake in memory: CurveClient ↔ CurveServer, HELLO to READY, with the
//   constructors (each side's permanent and transient keys) and the server's verdict.
// Run: `bun bench/micro/curve-crypto.bench.ts`. Per-byte rates are printed after mitata's table.

import { x25519 } from "@noble/curves/ed25519.js";
import { dlopen, FFIType, ptr } from "bun:ffi";
import { bench, do_not_optimize, group, run } from "mitata";
import { createPrivateKey, createPublicKey, diffieHellman } from "node:crypto";
import { generateKeyPair, sharedKey } from "../../src/mechanism/curve/box.ts";
import sodium from "libsodium-wrappers";
import { loadCryptoBackend } from "../../src/engine/crypto-backend.ts";
import { LIBSODIUM_SONAME, loadNativeSecretBox } from "../../src/engine/native-secretbox.ts";
import { nobleSecretBox, opened } from "../../src/mechanism/curve/secretbox.ts";
import type { SecretBox } from "../../src/mechanism/curve/secretbox-source.ts";
import { SodiumSecretBox } from "../../src/mechanism/curve/sodium-secretbox.ts";
import { CurveClient } from "../../src/mechanism/curve/client.ts";
import { MessageBox } from "../../src/mechanism/curve/message-box.ts";
import { CLIENT_MESSAGE_PREFIX, SERVER_MESSAGE_PREFIX } from "../../src/mechanism/curve/nonces.ts";
import { CurveServer } from "../../src/mechanism/curve/server.ts";
import { parseCommand } from "../../src/wire/command.ts";
import { FLAG_LONG } from "../../src/wire/frame.ts";

const SIZES = [16, 1024, 65536];
const label = (size: number) => (size >= 1024 ? `${size / 1024} KiB` : `${size} B`);

/** What mitata hands a generator bench: its computed parameters. */
interface BenchState {
  get(name: string): any;
}

// box.ts's DER wrappers (RFC 8410), repeated here: box.ts keeps them private.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
const privateKeyObject = (secretKey: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: "der", type: "pkcs8" });
const publicKeyObject = (publicKey: Uint8Array) =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });

const alice = generateKeyPair();
// The system's libsodium for the X25519 rows only (the backend loads its own symbols).
const x25519Native = (() => {
  try {
    return dlopen(LIBSODIUM_SONAME, {
      crypto_box_beforenm: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
      crypto_box_keypair: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    }).symbols;
  } catch {
    return null;
  }
})();
const bob = generateKeyPair();

group("X25519 shared secret (one scalar multiplication)", () => {
  bench("node:crypto diffieHellman, DER → KeyObjects per call (as box.ts)", () =>
    do_not_optimize(diffieHellman({ privateKey: privateKeyObject(alice.secretKey), publicKey: publicKeyObject(bob.publicKey) })),
  );
  const privateKey = privateKeyObject(alice.secretKey);
  const publicKey = publicKeyObject(bob.publicKey);
  bench("node:crypto diffieHellman, KeyObjects made once", () => do_not_optimize(diffieHellman({ privateKey, publicKey })));
  bench("@noble/curves x25519.getSharedSecret", () => do_not_optimize(x25519.getSharedSecret(alice.secretKey, bob.publicKey)));
  bench("box.ts sharedKey (node:crypto X25519 + noble HSalsa20)", () => do_not_optimize(sharedKey(bob.publicKey, alice.secretKey)));
  if (x25519Native !== null) {
    const k = new Uint8Array(new ArrayBuffer(32));
    bench("native libsodium crypto_box_beforenm (X25519 + HSalsa20)", () => {
      x25519Native.crypto_box_beforenm(ptr(k), ptr(bob.publicKey), ptr(alice.secretKey));
      do_not_optimize(k);
    });
  }
});

group("key pair (random secret, public key)", () => {
  bench("box.ts generateKeyPair (node:crypto)", () => do_not_optimize(generateKeyPair()));
  bench("@noble/curves x25519.keygen", () => do_not_optimize(x25519.keygen()));
  if (x25519Native !== null) {
    bench("native libsodium crypto_box_keypair", () => {
      const pair = new Uint8Array(new ArrayBuffer(64));
      x25519Native.crypto_box_keypair(ptr(pair), ptr(pair, 32));
      do_not_optimize(pair);
    });
  }
});

// The traffic phase: one connection's key, the client sealing, the server opening.
const key = sharedKey(bob.publicKey, alice.secretKey)!;
const frameOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 0xff);

await sodium.ready;
const native = loadNativeSecretBox(LIBSODIUM_SONAME, opened);
const SOURCES: Array<[string, SecretBox]> = [
  ...(native === null ? [] : ([["native libsodium (bun:ffi)", native]] as Array<[string, SecretBox]>)),
  ["libsodium WebAssembly (libsodium-wrappers)", new SodiumSecretBox(sodium, opened)],
  ["@noble/ciphers xsalsa20poly1305", nobleSecretBox],
];
if (native === null) console.log(`${LIBSODIUM_SONAME} did not load: no native rows`);
const backend = await loadCryptoBackend();

group("crypto_secretbox seal (XSalsa20-Poly1305), into a new array", () => {
  const nonce = new Uint8Array(24);
  for (const [name, box] of SOURCES) {
    bench(`seal: ${name} $size`, function* (state: BenchState) {
      const frame = frameOf(state.get("size"));
      yield () => do_not_optimize(box.seal(key, nonce, frame));
    }).args("size", SIZES);
  }
});

group("crypto_secretbox open", () => {
  const nonce = new Uint8Array(24);
  for (const [name, box] of SOURCES) {
    bench(`open: ${name} $size`, function* (state: BenchState) {
      const sealed = box.seal(key, nonce, frameOf(state.get("size")));
      yield () => do_not_optimize(box.open(key, nonce, sealed));
    }).args("size", SIZES);
  }
});

group("sealFrame: flags ‖ frame sealed into a batch at an offset (the engine's path)", () => {
  const nonce = new Uint8Array(24);
  for (const [name, box] of SOURCES) {
    bench(`sealFrame: ${name} $size`, function* (state: BenchState) {
      const size: number = state.get("size");
      const frame = frameOf(size);
      const batch = new Uint8Array(new ArrayBuffer(size + 64));
      yield () => {
        box.sealFrame(key, nonce, 0, frame, batch, 25);
        do_not_optimize(batch);
      };
    }).args("size", SIZES);
  }
});

group(`MESSAGE seal (one frame; backend: ${backend})`, () => {
  bench("MessageBox.seal $size", function* (state: BenchState) {
    const frame = frameOf(state.get("size"));
    const box = new MessageBox(key, CLIENT_MESSAGE_PREFIX, SERVER_MESSAGE_PREFIX, 1, 0);
    yield () => do_not_optimize(box.seal(0, frame));
  }).args("size", SIZES);
});

group(`MESSAGE open (one frame; backend: ${backend})`, () => {
  bench("MessageBox.open $size", function* (state: BenchState) {
    const size: number = state.get("size");
    // A ring of sealed MESSAGEs with growing nonces; the opener is replaced when the ring wraps,
    // since a MessageBox refuses a nonce it has seen (one constructor per RING opens). Each body is
    // copied into a fresh array first (as each read from the socket is), since the native backend
    // decrypts large frames in place: the row includes that copy.
    const RING = size >= 65536 ? 64 : 1024;
    const sealer = new MessageBox(key, CLIENT_MESSAGE_PREFIX, SERVER_MESSAGE_PREFIX, 1, 0);
    const frame = frameOf(size);
    const sealed = Array.from({ length: RING }, () => sealer.seal(0, frame));
    let opener = new MessageBox(key, SERVER_MESSAGE_PREFIX, CLIENT_MESSAGE_PREFIX, 1, 0);
    let i = 0;
    yield () => {
      if (i === RING) {
        opener = new MessageBox(key, SERVER_MESSAGE_PREFIX, CLIENT_MESSAGE_PREFIX, 1, 0);
        i = 0;
      }
      const frame = opener.open(sealed[i++]!.slice());
      if (frame === null || frame.length !== size) throw new Error(`open failed: ${opener.error?.message ?? `${frame?.length} bytes`}`);
      do_not_optimize(frame);
    };
  }).args("size", SIZES);
});

// One whole handshake, the engine's part left out: each command frame's 2- or 9-byte header is
// stripped and the rest parsed, as the engine does before handing a command to its mechanism.
const serverKeys = generateKeyPair();
const clientKeys = { ...generateKeyPair(), serverKey: serverKeys.publicKey };
const properties = (type: string) => [["Socket-Type", new TextEncoder().encode(type)] as const];
const deliver = (to: CurveClient | CurveServer, frames: Uint8Array[]) =>
  frames.flatMap((frame) => to.onCommand(parseCommand(frame.subarray(frame[0]! & FLAG_LONG ? 9 : 2))!));

function handshake(): void {
  const client = new CurveClient(properties("PUSH"), clientKeys);
  const server = new CurveServer(properties("PULL"), serverKeys.secretKey);
  const welcome = deliver(server, client.start());
  const initiate = deliver(client, welcome);
  if (deliver(server, initiate).length !== 0 || server.pendingCredentials === null) throw new Error(`INITIATE: ${server.failure?.message}`);
  deliver(client, server.onVerdict({ status: 200 }));
  if (client.status !== "ready" || server.status !== "ready")
    throw new Error(`handshake: ${client.failure?.message ?? server.failure?.message}`);
  do_not_optimize(client.cipher);
}

group("CURVE handshake in memory (both sides: 3 public keys, 6 shared keys)", () => {
  bench("CurveClient ↔ CurveServer, HELLO … READY", handshake);
});

const { benchmarks } = await run();

// Per frame, and each source against native at the same size (the ratio is native's speed ÷ its:
// 3.0× means three times slower than native).
const perFrame = new Map<string, number>();
console.log(`\nsecretbox and MESSAGE seal/open per frame (avg; MessageBox with the ${backend} backend):`);
for (const trial of benchmarks) {
  if (!trial.alias.includes("$size")) continue;
  for (const result of trial.runs) {
    if (!result.stats) continue;
    const size = result.args.size as number;
    const avg = result.stats.avg;
    const name = trial.alias.replace(" $size", "");
    perFrame.set(`${name} ${size}`, avg);
    const nativeAvg = perFrame.get(`${name.split(":")[0]}: ${SOURCES[0]![0]} ${size}`);
    const ratio = nativeAvg === undefined || native === null ? "" : `  ${(avg / nativeAvg).toFixed(1).padStart(5)}× native`;
    console.log(
      `  ${name.padEnd(60)} ${label(size).padStart(6)}: ${(avg / 1000).toFixed(2).padStart(8)} µs  ${((size * 1e3) / avg).toFixed(1).padStart(7)} MB/s${ratio}`,
    );
  }
}

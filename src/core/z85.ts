// Z85 (RFC 32/Z85): the printable form of CURVE keys. Every 4 bytes, read big-endian, become 5
// base-85 digits, most significant first; a 32-byte key is 40 characters. Imports nothing.

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** Digit value of each character code, -1 where the character is not in the alphabet. */
const DIGIT = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Z85 text of `data`, whose length must be a multiple of 4 (RFC 32); otherwise null. */
export function z85Encode(data: Uint8Array): string | null {
  if (data.length % 4 !== 0) return null;
  let text = "";
  for (let i = 0; i < data.length; i += 4) {
    // >>> 0 keeps the group unsigned: a leading byte >= 0x80 would otherwise turn it negative.
    let value = ((data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!) >>> 0;
    const digits = new Array<string>(5);
    for (let d = 4; d >= 0; d--) {
      digits[d] = ALPHABET[value % 85]!;
      value = Math.floor(value / 85);
    }
    text += digits.join("");
  }
  return text;
}

/**
 * Bytes of Z85 `text`, or null when its length is not a multiple of 5, a character is outside the
 * alphabet, or a group exceeds 2^32 - 1 (RFC 32 leaves such input undefined; we refuse it).
 */
export function z85Decode(text: string): Uint8Array | null {
  if (text.length % 5 !== 0) return null;
  const data = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, out = 0; i < text.length; i += 5, out += 4) {
    let value = 0;
    for (let d = 0; d < 5; d++) {
      const code = text.charCodeAt(i + d);
      const digit = code < 128 ? DIGIT[code]! : -1;
      if (digit < 0) return null;
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) return null;
    data[out] = value >>> 24;
    data[out + 1] = (value >>> 16) & 0xff;
    data[out + 2] = (value >>> 8) & 0xff;
    data[out + 3] = value & 0xff;
  }
  return data;
}

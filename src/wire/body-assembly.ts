// The body of one frame that spans chunks, collected as its bytes arrive. Nothing is allocated from
// the size the peer declares: a header announcing 16 MiB followed by one byte costs one 8 KiB buffer, not
// 16 MiB (#14). Pure code; imports nothing.
//
// Large pieces are kept as views of the chunks they arrived in (the stream hands chunks over for
// good, so they cannot change), small ones are copied into a staging buffer sized by what arrived so
// far (at least 8 KiB, as libzmq's per-connection input buffer), and the body is joined once, when
// its last byte is in: one copy of each byte, as a preallocated buffer would cost, without trusting
// the header. A body of up to 8 KiB that arrives in small pieces fills one staging buffer exactly,
// which is handed out as it is.

/** Pieces at least this long are kept as views; shorter ones are copied, so tiny chunks cost no object each. */
export const MIN_VIEW_BYTES = 4096;
/**
 * A new staging buffer holds as many bytes as have arrived so far, at least MIN_STAGING_BYTES and at
 * most MAX_STAGING_BYTES (and never more than the body still needs): what one body holds is at most
 * twice the bytes received plus 8 KiB.
 */
export const MIN_STAGING_BYTES = 8 * 1024;
export const MAX_STAGING_BYTES = 64 * 1024;

const EMPTY_BUFFER = Buffer.alloc(0);

/**
 * Invariants: `#pieces` followed by `#staging[#open, #end)` hold the `#received` bytes in order;
 * `#staging[#end, length)` is free room, and every staging buffer before it was filled to the end.
 */
export class BodyAssembly {
  #pieces: Uint8Array[] = [];
  /** Always a Buffer (allocUnsafe), so a body that fills it exactly can be handed out as it is. */
  #staging: Uint8Array = EMPTY_BUFFER;
  #open = 0;
  #end = 0;
  #received = 0;
  /** Bytes of staging buffers allocated and of views kept since the last clear. */
  #held = 0;

  /** Bytes collected so far. */
  get received(): number {
    return this.#received;
  }

  /** Bytes this body holds: its staging buffers and the views it keeps (not the rest of their chunks). */
  get heldBytes(): number {
    return this.#held;
  }

  /** Adds the next piece of the body; `remaining` is how many bytes of the body are still due, this piece included. */
  add(piece: Uint8Array, remaining: number): void {
    const length = piece.length;
    if (length === 0) return;
    this.#received += length;
    // The last piece is joined at once, so a view of it costs nothing whatever its size, unless it
    // completes a staging buffer that is then handed out whole.
    if (length >= MIN_VIEW_BYTES || (length === remaining && this.#end === this.#open)) {
      this.#closeStaging();
      this.#pieces.push(piece);
      this.#held += length;
      return;
    }
    // Copied: whatever fits in the staging buffer, the rest into a new one.
    for (let at = 0; at < length; ) {
      if (this.#end === this.#staging.length) this.#newStaging(remaining - at);
      const n = Math.min(length - at, this.#staging.length - this.#end);
      this.#staging.set(n === length ? piece : piece.subarray(at, at + n), this.#end);
      this.#end += n;
      at += n;
    }
  }

  /**
   * The whole body in one Buffer (exactly `received` bytes): fresh, or a view of the one chunk that
   * held all of it. The assembly is empty again.
   */
  join(): Buffer {
    const staging = this.#staging as Buffer;
    if (this.#pieces.length === 0 && this.#open === 0 && this.#end === staging.length) {
      this.clear();
      return staging;
    }
    this.#closeStaging();
    if (this.#pieces.length === 1) {
      // The body came whole in one chunk after its header's: a view of it, no copy.
      const piece = this.#pieces[0]!;
      this.clear();
      return Buffer.from(piece.buffer, piece.byteOffset, piece.length);
    }
    const body = Buffer.allocUnsafe(this.#received);
    let at = 0;
    for (const piece of this.#pieces) {
      body.set(piece, at);
      at += piece.length;
    }
    this.clear();
    return body;
  }

  /** Drops everything held. */
  clear(): void {
    this.#pieces = [];
    this.#staging = EMPTY_BUFFER;
    this.#open = this.#end = this.#received = this.#held = 0;
  }

  // Sized by what arrived (this piece included), never by what the header announced.
  #newStaging(due: number): void {
    this.#closeStaging();
    const size = Math.min(MAX_STAGING_BYTES, Math.max(MIN_STAGING_BYTES, this.#received), due);
    this.#staging = Buffer.allocUnsafe(size);
    this.#held += size;
    this.#open = this.#end = 0;
  }

  // The staging region filled so far becomes a piece; the rest of the buffer stays for the next copies.
  #closeStaging(): void {
    if (this.#end === this.#open) return;
    this.#pieces.push(this.#staging.subarray(this.#open, this.#end));
    this.#open = this.#end;
  }
}

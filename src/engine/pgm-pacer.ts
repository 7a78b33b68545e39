// The sending rate of one PGM source (ZMQ_RATE): a token bucket in bytes, refilled with the time
// that passed, holding at most 2 ms of the rate (and never less than two full packets) so a burst
// after a quiet spell stays short. Imports nothing.
//
// OpenPGM limits the same way (its rate_control.c bucket); the packet headers (IP 20, UDP 8, PGM 24)
// count too, as on the wire.

const HEADERS = 52;
// Short bursts: a receiver's socket buffer (212 KB by default) must absorb one while its process
// is busy; 10 ms at 100 Mbit/s overflowed it with three receivers on two cores.
const BURST_SECONDS = 0.002;
const MIN_BURST = 2 * 1500;

export class PgmPacer {
  readonly #bytesPerMs: number;
  readonly #capacity: number;
  readonly #resume: () => void;
  #tokens: number;
  #refilledAt = performance.now();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `resume` is called once enough has refilled after a refused `take`. */
  constructor(bytesPerSecond: number, resume: () => void) {
    this.#bytesPerMs = bytesPerSecond / 1000;
    this.#capacity = Math.max(bytesPerSecond * BURST_SECONDS, MIN_BURST);
    this.#tokens = this.#capacity;
    this.#resume = resume;
  }

  /** Takes room for a packet carrying `size` bytes of TSDU, or arms `resume` and refuses. */
  take(size: number): boolean {
    const cost = size + HEADERS;
    const now = performance.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#refilledAt) * this.#bytesPerMs);
    this.#refilledAt = now;
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return true;
    }
    if (this.#timer === null) {
      const wait = Math.max(1, Math.ceil((cost - this.#tokens) / this.#bytesPerMs));
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#resume();
      }, wait);
    }
    return false;
  }

  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

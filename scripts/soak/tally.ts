// The soak's books: messages per pattern and per peer, when each last moved (to book traffic that
// stopped), restarts and churn operations, and the violations found (messages lost, repeated,
// reordered or torn; traffic stopped). Bounded: counters are keyed by pattern and peer, never by
// message or stream, and only the first violations are kept in full. Imports nothing.

/** The patterns counted; REQ→REP is carried only by churned sockets (a REQ cannot follow a killed peer). */
export const PATTERNS = ["PUSH→PULL", "DEALER→ROUTER", "DEALER→REP", "REQ→REP", "PUB→SUB"] as const;
export type Pattern = (typeof PATTERNS)[number];

/** Patterns every peer carries all its life (REQ→REP is only churned). */
const LIVE_PATTERNS: readonly Pattern[] = PATTERNS.filter((p) => p !== "REQ→REP");

/** The column of messages carried by the soak's short-lived sockets. */
export const CHURNED = "churned";

const KEPT_VIOLATIONS = 50;

export class Tally {
  readonly #counts = new Map<string, number>();
  readonly #moved = new Map<string, number>();
  readonly #restarts = new Map<string, number>();
  readonly #churn = new Map<string, number>();
  readonly #violations: string[] = [];
  #violationCount = 0;
  /** Peer lives and patterns already booked as stopped, so each is booked once. */
  readonly #stalled = new Set<string>();

  /** Counts `n` messages of `pattern` carried by `peer` (a peer's name, or CHURNED). */
  add(pattern: Pattern, peer: string, n = 1): void {
    if (n <= 0) return;
    const key = `${pattern} ${peer}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + n);
    this.#moved.set(key, performance.now());
  }

  count(pattern: Pattern, peer: string): number {
    return this.#counts.get(`${pattern} ${peer}`) ?? 0;
  }

  total(pattern: Pattern): number {
    let sum = 0;
    for (const [key, n] of this.#counts) if (key.startsWith(`${pattern} `)) sum += n;
    return sum;
  }

  /** performance.now() of the last message of `pattern` by `peer`; 0 if none yet. */
  lastMoved(pattern: Pattern, peer: string): number {
    return this.#moved.get(`${pattern} ${peer}`) ?? 0;
  }

  restarted(peer: string): void {
    this.#restarts.set(peer, (this.#restarts.get(peer) ?? 0) + 1);
  }

  restarts(peer: string): number {
    return this.#restarts.get(peer) ?? 0;
  }

  /** Counts one completed churn operation of kind `op` (e.g. "push tcp+curve"). */
  churned(op: string): void {
    this.#churn.set(op, (this.#churn.get(op) ?? 0) + 1);
  }

  churnOps(): ReadonlyMap<string, number> {
    return this.#churn;
  }

  /**
   * Books traffic that stopped: a pattern of a peer life that has moved no message for `stallMs`,
   * counted from the later of its last message and `since` (when the life began). Once per life.
   */
  checkStalls(lives: ReadonlyArray<{ peer: string; life: number; since: number }>, stallMs: number): void {
    const now = performance.now();
    for (const { peer, life, since } of lives) {
      for (const pattern of LIVE_PATTERNS) {
        const quiet = now - Math.max(this.lastMoved(pattern, peer), since);
        const key = `${pattern} ${peer}#${life}`;
        if (quiet > stallMs && !this.#stalled.has(key)) {
          this.#stalled.add(key);
          this.violation(`traffic stopped: ${key} moved no message for ${(quiet / 1000).toFixed(1)} s`);
        }
      }
    }
  }

  violation(text: string): void {
    this.#violationCount++;
    if (this.#violations.length < KEPT_VIOLATIONS) this.#violations.push(text);
  }

  /** The first violations in full, and how many there were in all. */
  violations(): { kept: readonly string[]; count: number } {
    return { kept: this.#violations, count: this.#violationCount };
  }
}

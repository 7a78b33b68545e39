// Ctrl-C for the long-running commands (benches, demos). Bun's default for SIGINT ends the process on
// the spot: children left running, nothing summarised. Here the first SIGINT only sets a flag the
// command checks at its safe points (between measurements, between scheduled steps), so it stops
// what it started and prints a summary of what it finished, then exits 130 (128 + SIGINT, as a shell
// reports a Ctrl-C). A second SIGINT exits at once, for a command stuck where it cannot look.
// Imports nothing.

/** Exit code of a command stopped by Ctrl-C. */
export const INTERRUPTED_EXIT = 130;

/** The message of Interrupted, for code that reports errors as text (a bench row's error). */
export const INTERRUPTED_MESSAGE = "interrupted (Ctrl-C)";

/** Thrown at a safe point after Ctrl-C, so the code above unwinds through its `finally` clean-ups. */
export class Interrupted extends Error {
  constructor() {
    super(INTERRUPTED_MESSAGE);
    this.name = "Interrupted";
  }
}

export class Interrupt {
  /** performance.now() of the first SIGINT, or null. */
  #at: number | null = null;
  readonly #listeners: Array<() => void> = [];

  /** Whether Ctrl-C was pressed. */
  get requested(): boolean {
    return this.#at !== null;
  }

  /** performance.now() of the Ctrl-C, or null. */
  get at(): number | null {
    return this.#at;
  }

  /** Throws Interrupted after Ctrl-C: call it at a point where stopping leaves nothing half-done. */
  check(): void {
    if (this.#at !== null) throw new Interrupted();
  }

  /**
   * Runs `listener` on Ctrl-C (at once if it already happened), e.g. to pass it on to a child.
   * Returns a function that forgets it.
   */
  onInterrupt(listener: () => void): () => void {
    if (this.#at !== null) listener();
    else this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  /** Waits `ms`, or less if Ctrl-C comes first; true when it did. */
  sleep(ms: number): Promise<boolean> {
    if (this.#at !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const forget = this.onInterrupt(() => {
        clearTimeout(timer);
        resolve(true);
      });
      const timer = setTimeout(() => {
        forget();
        resolve(false);
      }, ms);
    });
  }

  /** Settles like `promise`, or rejects with Interrupted on Ctrl-C first (e.g. a child's slow start). */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#at !== null) return Promise.reject(new Interrupted());
    let forget = () => {};
    const interrupted = new Promise<never>((_, reject) => {
      forget = this.onInterrupt(() => reject(new Interrupted()));
    });
    return Promise.race([promise, interrupted]).finally(forget);
  }

  /** Called by the SIGINT handler; public so a test can interrupt without a signal. */
  trigger(): void {
    if (this.#at !== null) return;
    this.#at = performance.now();
    for (const listener of this.#listeners.splice(0)) listener();
  }
}

/**
 * A second SIGINT sooner than this after the first is the same Ctrl-C: `bun run <script>` passes a
 * terminal's Ctrl-C on to the script, which may then get it twice within a millisecond (bun-notes §7).
 */
const REPEATED_SIGINT_MS = 1000;

/**
 * Catches SIGINT for this process: the first one triggers the returned Interrupt (and prints `note`
 * on stderr, saying what will happen), a later one (past REPEATED_SIGINT_MS) exits 130 at once.
 */
export function watchInterrupt(note: string): Interrupt {
  const interrupt = new Interrupt();
  process.on("SIGINT", () => {
    const first = interrupt.at;
    if (first !== null) {
      if (performance.now() - first >= REPEATED_SIGINT_MS) process.exit(INTERRUPTED_EXIT);
      return;
    }
    process.stderr.write(`\n${note} (Ctrl-C again to quit at once)\n`);
    interrupt.trigger();
  });
  return interrupt;
}

// For bunzmq fixtures whose memory a bench reads from outside (Child.rssBytes): a full collection
// once the fixture has been idle a moment, so the RSS read afterwards holds live objects rather
// than the garbage of the last burst. libzmq has no collector; its fixtures need nothing of this.
// A fixture that is busy is never interrupted by it (it only runs after IDLE_TICKS quiet ticks).

const TICK_MS = 50;
const IDLE_TICKS = 2;

/** How long after its last progress a fixture's RSS has been collected: wait this long before reading it. */
export const COLLECTED_WITHIN_MS = TICK_MS * (IDLE_TICKS + 2) + 200;

/**
 * Calls Bun.gc(true) once per quiet spell: after `progress()` (any counter the fixture bumps as it
 * works) has not changed for IDLE_TICKS ticks. The timer does not keep the process alive.
 */
export function collectWhenIdle(progress: () => number): void {
  let last = -1;
  let quiet = 0;
  setInterval(() => {
    const now = progress();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
    if (quiet === IDLE_TICKS) Bun.gc(true);
  }, TICK_MS).unref();
}

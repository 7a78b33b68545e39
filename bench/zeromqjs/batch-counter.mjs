// The receiving half of the zeromq.js push-pull rows: counts a PULL's messages against the batch
// requests (`<count> <size>` lines, bench/pull-fixture.ts's protocol) and reports each batch when
// its last message is held. Used by pull-fixture.mjs (tcp, ipc) and push-fixture.mjs (inproc).
// Like the Bun receivers it only counts messages and checks their size; it never reads the bytes.

/** How long a batch may make no progress before `STALL <received> <count>` (as the Bun receivers). */
const STALL_REPORT_S = 2;

export class BatchCounter {
  /** Requests not yet answered, oldest first; the first one is being received. */
  #requests = [];
  /**
   * Sizes (or -1 for a multi-frame message) of messages that arrived before their request line
   * was read. The sender only starts after the bench wrote that line, but this process may still
   * see the socket before its stdin; such messages count towards the next request.
   */
  #early = [];
  #received = 0;
  #bad = 0;
  #onDone;

  /** `onDone(count, bad)` runs once per request, when its last message arrived. */
  constructor(onDone) {
    this.#onDone = onDone;
  }

  /** Parses a `<count> <size>` line and queues it; returns an error text for a bad line. */
  request(line) {
    const [count, size] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(count) || !Number.isInteger(size) || count <= 0 || size < 0) return `bad request line "${line}"`;
    this.#requests.push({ count, size });
    while (this.#early.length > 0 && this.#requests.length > 0) this.#count(this.#early.shift());
    return null;
  }

  /** One received message (its frames, as zeromq.js yields them). */
  message(frames) {
    const size = frames.length === 1 ? frames[0].length : -1;
    if (this.#requests.length === 0) this.#early.push(size);
    else this.#count(size);
  }

  #count(size) {
    const current = this.#requests[0];
    if (size !== current.size) this.#bad++;
    if (++this.#received < current.count) return;
    const bad = this.#bad;
    this.#requests.shift();
    this.#received = 0;
    this.#bad = 0;
    this.#onDone(current.count, bad);
  }

  /**
   * Samples progress once a second and calls `onStall(received, count)` once per batch that made
   * no progress for STALL_REPORT_S (the bench then fails the row instead of waiting forever).
   */
  watchStalls(onStall) {
    let last = -1;
    let idle = 0;
    let current = null;
    setInterval(() => {
      const request = this.#requests[0] ?? null;
      if (request !== current) {
        current = request;
        last = -1;
        idle = 0;
      }
      if (request === null) return;
      idle = this.#received === last ? idle + 1 : 0;
      last = this.#received;
      if (idle === STALL_REPORT_S) onStall(this.#received, request.count);
    }, 1000).unref();
  }
}

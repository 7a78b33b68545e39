// The "eventfd" doorbell (see doorbell.ts): an eventfd(2) made through bun:ffi, which the owner
// watches with Bun.file(fd).stream(), so Bun's own event loop (epoll) wakes it; ringers write(2) to
// it, from any thread, through their own dlopen of libc. Linux only; `eventfdAvailable()` says so.
// The eventfd counter coalesces: many rings during one sleep cost the owner one wake-up. Imports
// only bun:ffi and doorbell.ts.

import { dlopen, FFIType, ptr } from "bun:ffi";
import { AWAKE, type DoorbellAddress, type DoorbellRinger, StateDoorbell, claimWake, newStateWord } from "./doorbell.ts";

// <sys/eventfd.h>
const EFD_NONBLOCK = 0o4000;
const EFD_CLOEXEC = 0o2000000;

interface Libc {
  eventfd(initial: number, flags: number): number;
  write(fd: number, buffer: number, length: number): number;
  close(fd: number): number;
}

let libc: Libc | null | undefined;

/** libc through bun:ffi, opened once per thread; null where it cannot be (not Linux with glibc). */
function openLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== "linux") return null;
  try {
    const { symbols } = dlopen("libc.so.6", {
      eventfd: { args: [FFIType.u32, FFIType.i32], returns: FFIType.i32 },
      write: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
      close: { args: [FFIType.i32], returns: FFIType.i32 },
    });
    libc = {
      eventfd: (initial, flags) => symbols.eventfd(initial, flags),
      write: (fd, buffer, length) => symbols.write(fd, buffer, length),
      close: (fd) => symbols.close(fd),
    };
  } catch {
    libc = null;
  }
  return libc;
}

export function eventfdAvailable(): boolean {
  return openLibc() !== null;
}

/** Writes 1 to the eventfd: its counter grows, and the owner's stream gets a chunk. */
class EventfdWriter {
  readonly #fd: number;
  readonly #libc: Libc;
  // An explicit ArrayBuffer keeps the pointer stable (bun-notes §7, Bun #32054).
  readonly #one = new BigUint64Array(new ArrayBuffer(8)).fill(1n);
  readonly #onePointer: number;

  constructor(fd: number) {
    const c = openLibc();
    if (c === null) throw new Error("eventfd doorbells need Linux with glibc (libc.so.6 through bun:ffi)");
    this.#libc = c;
    this.#fd = fd;
    this.#onePointer = ptr(this.#one);
  }

  write(): void {
    this.#libc.write(this.#fd, this.#onePointer, 8);
  }
}

export class EventfdDoorbell extends StateDoorbell {
  readonly #writer: EventfdWriter;
  readonly #reader: { read(): Promise<unknown>; cancel(): Promise<void> };

  constructor() {
    const c = openLibc();
    if (c === null) throw new Error("eventfd doorbells need Linux with glibc (libc.so.6 through bun:ffi)");
    const fd = c.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) throw new Error("eventfd(2) failed");
    super({ kind: "eventfd", state: newStateWord(), fd });
    this.#writer = new EventfdWriter(fd);
    // Bun duplicates the descriptor and polls the copy on this thread's epoll; the stream keeps the
    // event loop alive until close() cancels it.
    this.#reader = Bun.file(fd).stream().getReader();
  }

  /** Ringers must be gone first: a later write would reach whatever reuses the descriptor number. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.state, 0, AWAKE);
    // Cancelling resolves a pending read (done) and closes Bun's duplicate; then our own descriptor.
    void this.#reader.cancel().catch(() => {});
    openLibc()?.close(this.address.fd);
  }

  protected wake(): void {
    this.#writer.write();
  }

  // A ring that came after the announcement has written the eventfd, so this read returns.
  protected waitForRing(): Promise<unknown> {
    return this.#reader.read();
  }
}

/** A ringer for an "eventfd" doorbell owned by another thread. */
export class EventfdRinger implements DoorbellRinger {
  readonly #state: Int32Array;
  readonly #writer: EventfdWriter;

  constructor(address: DoorbellAddress) {
    this.#state = new Int32Array(address.state);
    this.#writer = new EventfdWriter(address.fd);
  }

  ring(): void {
    if (claimWake(this.#state)) this.#writer.write();
  }
}

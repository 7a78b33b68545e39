// Counts the bytes code under test allocates through Buffer's allocating statics (alloc,
// allocUnsafe, allocUnsafeSlow, concat), against a budget that grows with the bytes received, and
// refuses an allocation that would pass it before it happens, so a decoder that trusts a header's
// 4 GiB fails the property instead of taking the memory.
//
// Why this and not a memory counter: Bun's process.memoryUsage() and bun:jsc's heapStats() report
// array buffers late and in batches (a 16 MiB Buffer.allocUnsafe shows up a few allocations later,
// or not at all), so they cannot tie bytes to one call. The decoder's contract makes split bodies
// Buffers, so its reassembly memory comes from these statics; memory taken another way (a bare
// `new Uint8Array`) goes unseen: the meter can miss a fault, never invent one.

/** What the received bytes warrant holding: a growing buffer at most doubles, so 4x is generous. */
const GROWTH_FACTOR = 4;
/**
 * A first buffer, before any growth, may be this large whatever was received: the decoder's largest
 * staging buffer (src/wire/body-assembly.ts MAX_STAGING_BYTES). A fixed number here, not the
 * decoder's constant, so raising the decoder's constant is a fault the property catches.
 */
const FIRST_BUFFER_SLACK = 64 * 1024;

/** Bytes of allocation `received` bytes warrant: never anything from the size a header declares. */
export function warrantedBytes(received: number): number {
  return GROWTH_FACTOR * received + FIRST_BUFFER_SLACK;
}

const METERED = ["alloc", "allocUnsafe", "allocUnsafeSlow", "concat"] as const;
type Metered = (typeof METERED)[number];

export interface AllocationMeter {
  /** Bytes allocated since the meter started (outermost calls only). */
  readonly allocated: number;
  /** The first allocation refused, or null. */
  readonly overdraft: { allocated: number; warranted: number } | null;
  /** `received` bytes have been handed to the code under test: raises the budget. */
  allow(received: number): void;
  /** Puts Buffer's statics back; call it in a `finally`. */
  stop(): void;
}

/** Starts metering; the meter must be stopped before anything else runs (it patches a global). */
export function meterBufferAllocations(): AllocationMeter {
  const originals = new Map<Metered, (...args: never[]) => unknown>();
  let warranted = warrantedBytes(0);
  let depth = 0;
  const meter = {
    allocated: 0,
    overdraft: null as AllocationMeter["overdraft"],
    allow(received: number) {
      warranted = warrantedBytes(received);
    },
    stop() {
      for (const [name, original] of originals) Object.assign(Buffer, { [name]: original });
      originals.clear();
    },
  };
  for (const name of METERED) {
    const original = Buffer[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    Object.assign(Buffer, {
      [name](...args: unknown[]) {
        // Nested calls (an implementation's concat calling alloc) are part of the outer one.
        if (depth === 0) {
          meter.allocated += requestedBytes(name, args);
          if (meter.allocated > warranted) {
            meter.overdraft ??= { allocated: meter.allocated, warranted };
            throw new Error(`Buffer.${name} would bring allocations to ${meter.allocated} bytes; the bytes received warrant ${warranted}`);
          }
        }
        depth++;
        try {
          return original.apply(Buffer, args);
        } finally {
          depth--;
        }
      },
    });
  }
  return meter;
}

function requestedBytes(name: Metered, args: unknown[]): number {
  if (name !== "concat") return typeof args[0] === "number" ? args[0] : 0;
  const [list, totalLength] = args as [readonly Uint8Array[], number | undefined];
  return totalLength ?? list.reduce((sum, item) => sum + item.length, 0);
}

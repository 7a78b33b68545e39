// Time-outs for waiting operations (a send or receive with `sendTimeout` / `receiveTimeout`): every
// one on this thread shares a single unref'd timer, armed for the earliest deadline. Imports nothing.
//
// Why not a timer each: a REQ with a receive time-out waits once per round trip, and a Bun timer
// armed and cleared each time cost about 0.2 µs of a 0.9 µs inproc round trip. Here, arming is a
// clock read and a heap insert among the few operations that wait at once, and settling is a heap
// removal. The shared timer is only re-armed when a deadline comes before the one it is set for; when
// it fires early (the operation it was set for already settled), it re-arms for the current
// earliest, so a busy socket costs at most one timer wake-up per time-out period.
//
// The timer never holds the event loop: a waiting operation does that itself (keep-alive.ts).

/** What can wait for a deadline: the heap keeps its place in the entry itself (no map, no wrapper). */
export interface DeadlineEntry {
  /** performance.now() value at which it expires; meaningful only while armed. */
  dueAt: number;
  /** Index in the heap while armed, -1 otherwise. Starts at -1. */
  heapIndex: number;
  /** Called once, when the deadline passes before `cancelDeadline`. */
  expire(): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const heap: DeadlineEntry[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
/** The deadline the timer is set for; Infinity when none is. */
let timerAt = Infinity;

/** Expires `entry` `ms` milliseconds from now (ms > 0), unless cancelled first. */
export function armDeadline(entry: DeadlineEntry, ms: number): void {
  const dueAt = performance.now() + ms;
  entry.dueAt = dueAt;
  entry.heapIndex = heap.length;
  heap.push(entry);
  siftUp(entry.heapIndex);
  if (dueAt < timerAt) setTimer(dueAt, ms);
}

/** Forgets `entry`'s deadline; nothing happens if it is not armed. */
export function cancelDeadline(entry: DeadlineEntry): void {
  const index = entry.heapIndex;
  if (index < 0) return;
  entry.heapIndex = -1;
  const last = heap.pop()!;
  if (last === entry) return;
  heap[index] = last;
  last.heapIndex = index;
  siftDown(index);
  siftUp(last.heapIndex);
}

function setTimer(at: number, ms: number): void {
  if (timer !== null) clearTimeout(timer);
  timerAt = at;
  // Past 2^31 - 1 ms a timer fires at once; one set shorter just fires early and re-arms.
  timer = setTimeout(onTimer, Math.min(Math.max(1, Math.ceil(ms)), MAX_TIMER_MS));
  // A browser's timers are numbers without unref() (bunzmq/browser).
  timer.unref?.();
}

function onTimer(): void {
  timer = null;
  timerAt = Infinity;
  const now = performance.now();
  // Each due entry leaves the heap before it hears of it, so the heap is whole whatever `expire`
  // arms or cancels meanwhile.
  while (heap.length > 0 && heap[0]!.dueAt <= now) {
    const entry = heap[0]!;
    cancelDeadline(entry);
    entry.expire();
  }
  if (heap.length > 0 && timer === null) setTimer(heap[0]!.dueAt, heap[0]!.dueAt - now);
}

function siftUp(index: number): void {
  const entry = heap[index]!;
  while (index > 0) {
    const parentIndex = (index - 1) >> 1;
    const parent = heap[parentIndex]!;
    if (parent.dueAt <= entry.dueAt) break;
    heap[index] = parent;
    parent.heapIndex = index;
    index = parentIndex;
  }
  heap[index] = entry;
  entry.heapIndex = index;
}

function siftDown(index: number): void {
  const entry = heap[index]!;
  const length = heap.length;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= length) break;
    if (child + 1 < length && heap[child + 1]!.dueAt < heap[child]!.dueAt) child++;
    const smaller = heap[child]!;
    if (smaller.dueAt >= entry.dueAt) break;
    heap[index] = smaller;
    smaller.heapIndex = index;
    index = child;
  }
  heap[index] = entry;
  entry.heapIndex = index;
}

/** Armed deadlines on this thread (tests). */
export function armedDeadlines(): number {
  return heap.length;
}

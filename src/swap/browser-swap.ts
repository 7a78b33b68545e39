// The swap space for the browser build, where there is none (scripts/build-browser.ts puts this file
// in place of swap-space.ts and directory-lock.ts): a page has no file system to spill queues to, so
// setting `swap` above 0 or a `swapDirectory` throws EINVAL saying so, and the high-water marks alone
// bound a page's queues. Keeping the real ones out keeps node:fs and Bun.hash out of the page.
// Exports the names those two modules export. Imports core.

import { ZmqError } from "../core/errors.ts";

function noSwap(): never {
  throw new ZmqError("EINVAL", "bunzmq/browser has no swap: a page has no file system to spill to; leave swap at 0");
}

export interface SwapSettings {
  readonly swap: number;
  readonly swapDirectory: string | null;
}

/** Never made: its constructor refuses. */
export class SwapSpace {
  constructor(_settings: SwapSettings, _emit: unknown) {
    noSwap();
  }
}

export function checkSwapDirectory(_path: string): void {
  noSwap();
}

export function lockSwapDirectory(_directory: string): () => void {
  return noSwap();
}

// Helpers for publish-subscribe tests: subscription notifications as text, and the bounded
// "slow joiner" handshake (publish a sync topic until the subscriber sees it) without sleeps.

import { waitFor } from "./wait.ts";

/** The frames of a message as text, with a subscription's first byte shown as `+` or `-`. */
export function describeMessage(message: Buffer[]): string {
  const first = message[0]!;
  const head = first.length > 0 && first[0]! <= 1 ? `${first[0] === 1 ? "+" : "-"}${first.subarray(1).toString()}` : first.toString();
  return [head, ...message.slice(1).map((frame) => frame.toString())].join("|");
}

/** The topic every sync handshake publishes on; tests subscribe to it and skip its messages. */
export const SYNC_TOPIC = "__sync__";

/** Whether a message is one of the sync handshake's (its first frame starts with SYNC_TOPIC). */
function isSync(message: Buffer[]): boolean {
  return message[0]!.toString().startsWith(SYNC_TOPIC);
}

/**
 * Publishes `marker` (via `publish`) until the subscriber receives it: from then on the subscription
 * has reached that publisher and later messages on this connection arrive in order. With several
 * publishers give each its own marker (SYNC_TOPIC + suffix): a late copy of another publisher's
 * marker proves nothing. Other non-sync messages received meanwhile go to `into`. Bounded.
 */
export async function awaitJoined(
  publish: () => unknown,
  tryReceive: () => Buffer[] | null,
  { into = [], marker = SYNC_TOPIC }: { into?: string[]; marker?: string } = {},
): Promise<void> {
  await waitFor(
    async () => {
      await publish();
      for (let message = tryReceive(); message !== null; message = tryReceive()) {
        if (message[0]!.toString() === marker) return true;
        if (!isSync(message)) into.push(describeMessage(message));
      }
      return false;
    },
    { what: `the subscription to reach the publisher (marker ${marker})`, timeoutMs: 5000 },
  );
}

/** Receives the next message that is not a sync message, as text; bounded. */
export async function nextMessage(tryReceive: () => Buffer[] | null, timeoutMs = 5000): Promise<string> {
  return waitFor(
    () => {
      for (let message = tryReceive(); message !== null; message = tryReceive()) {
        if (!isSync(message)) return describeMessage(message);
      }
      return null;
    },
    { what: "a published message", timeoutMs },
  );
}

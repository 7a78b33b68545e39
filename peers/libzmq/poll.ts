// The bounded wait of the binding's asynchronous calls: libzmq runs its own I/O threads, so a test
// on Bun's event loop polls non-blocking calls instead of blocking the JS thread in zmq_msg_recv.
// Imports nothing.

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `attempt` with a short backoff (0, 1, 2, 4, 4 ... ms) until it yields a value or `timeoutMs`
 * elapses. libzmq's own I/O threads make progress meanwhile; the pause only yields to Bun's loop.
 */
export async function pollUntil<R>(attempt: () => R | null, timeoutMs: number, what: string | (() => string)): Promise<R> {
  const deadline = performance.now() + timeoutMs;
  let delay = 0;
  for (;;) {
    const result = attempt();
    if (result !== null) return result;
    if (performance.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    }
    await sleepMs(delay);
    delay = delay === 0 ? 1 : Math.min(delay * 2, 4);
  }
}

// Splits a child process's output stream into text lines: the control channel of the bench's
// child processes (bench/harness/child.ts), the demos' processes (examples/) and the test fixtures
// (test/helpers/libzmq-peer.ts). Imports nothing.

export interface ReadLinesOptions {
  /**
   * Also yield text after the last "\n" when the stream ends (a peer that died mid-line). Off by
   * default: callers that parse every line as a complete answer never see a torn one.
   */
  unterminated?: boolean;
}

/** Yields each "\n"-terminated line of `stream`, decoded as UTF-8, without its "\n". */
export async function* readLines(stream: ReadableStream<Uint8Array>, options: ReadLinesOptions = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
    }
  }
  if (options.unterminated) {
    pending += decoder.decode();
    if (pending.length > 0) yield pending;
  }
}

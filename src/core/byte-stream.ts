// ByteStream: what a transport hands the engine, a duplex byte pipe with back-pressure.
// Imports nothing. Transports (tcp, ipc) implement it; the engine consumes it.

export interface ByteStreamHandler {
  /** Bytes arrived. `chunk` is owned by the receiver from now on and may be retained (views into it stay valid). */
  onData(chunk: Uint8Array): void;
  /** The kernel took everything a short `write` left behind; write more. May fire spuriously. */
  onDrain(): void;
  /** The stream is gone (peer closed, reset, or `destroy()`); no callback follows. `error` names why, if known. */
  onClose(error?: Error): void;
}

export interface ByteStream {
  /** Installs the handler; data may arrive synchronously from here on. Called once. */
  start(handler: ByteStreamHandler): void;
  /**
   * Writes `length` bytes of `data` from `offset`. Returns the number of bytes the kernel accepted
   * (0..length); the caller keeps the rest and retries from `onDrain`. Returns -1 when closed.
   */
  write(data: Uint8Array, offset: number, length: number): number;
  /** Stops `onData` until `resume()`: back-pressure when the socket's inbound pipe is full. */
  pause(): void;
  resume(): void;
  /** Graceful close after pending kernel data (FIN). Never pass data here (Bun drops the tail). */
  end(): void;
  /** Immediate close. `onClose` still fires once. */
  destroy(): void;
  /** Human-readable peer address, e.g. `tcp://127.0.0.1:40222`, for events. */
  readonly remoteAddress: string;
  /**
   * Before `start()` only: gives the connection up to another thread and returns what that thread
   * needs to adopt it (a duplicated descriptor, bytes already read); null where this is impossible.
   * Absent on streams that cannot move (inproc has no stream; tests' fakes).
   */
  detach?(): { fd: number; remoteAddress: string; early: Uint8Array[] } | null;
}

// The in-process shape of a message. Imports nothing.
// A message is the list of its frames; a frame is a byte view that may share memory with the
// received chunk (zero copy). Multipart messages travel whole: pipes never hold half a message.

export type Frame = Uint8Array;
export type Message = Frame[];

// How messages look on the command line, one message a line both ways, so that the output of
// `receive` can be piped into `send`. Text: the frames separated by tabs, each as UTF-8, or as 0x
// and hex where it is not printable UTF-8 (binary, or a tab or newline that would break the line);
// json: an array per message, a frame as a string or {"hex": …}; hex: every frame as hex. Input
// lines (or arguments) are text or hex. Imports nothing.

import { createInterface } from "node:readline";

export const OUTPUT_FORMATS = ["text", "json", "hex"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const INPUT_FORMATS = ["text", "hex"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();
// C0 controls and DEL: a frame holding one is shown as hex, so each line stays one message.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The frame as text, or null when it is not valid UTF-8. */
function decode(frame: Uint8Array): string | null {
  try {
    return utf8.decode(frame);
  } catch {
    return null;
  }
}

function hex(frame: Uint8Array): string {
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("hex");
}

/** One line (without its newline) for a received message. */
export function formatMessage(frames: Uint8Array[], format: OutputFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(frames.map((frame) => decode(frame) ?? { hex: hex(frame) }));
    case "hex":
      return frames.map(hex).join("\t");
    case "text":
      return frames
        .map((frame) => {
          const text = decode(frame);
          return text === null || CONTROL.test(text) ? `0x${hex(frame)}` : text;
        })
        .join("\t");
  }
}

/** A frame from a command-line argument or an input field. */
export function parseFrame(field: string, format: InputFormat): Uint8Array {
  if (format === "text") return encoder.encode(field);
  const digits = field.startsWith("0x") ? field.slice(2) : field;
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not hex: ${JSON.stringify(field)}`);
  return Uint8Array.from(Buffer.from(digits, "hex"));
}

/**
 * The messages to send: each argument one single-frame message, or with `multipart` all arguments
 * one message; with no arguments, each line of stdin (its tab-separated fields the frames when
 * `multipart`).
 */
export async function* messagesToSend(args: string[], format: InputFormat, multipart: boolean): AsyncGenerator<Uint8Array[]> {
  if (args.length > 0) {
    if (multipart) yield args.map((arg) => parseFrame(arg, format));
    else for (const arg of args) yield [parseFrame(arg, format)];
    return;
  }
  // terminal: false, so Ctrl-C stays a signal for the command rather than input for readline.
  const lines = createInterface({ input: process.stdin, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) {
      yield multipart ? line.split("\t").map((field) => parseFrame(field, format)) : [parseFrame(line, format)];
    }
  } finally {
    lines.close();
  }
}

/** "1 message", "2 messages". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

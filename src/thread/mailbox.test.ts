// Mailboxes on one thread: commands arrive in order, whole, and a sender facing a full ring keeps
// them until the receiver reports room.

import { describe, expect, test } from "bun:test";
import type { DoorbellRinger } from "./doorbell.ts";
import { MailboxReceiver, MailboxSender, createMailboxRing } from "./mailbox.ts";

type Command = { type: string; id: number; text?: string };

function counter(): DoorbellRinger & { rings: number } {
  return {
    rings: 0,
    ring() {
      this.rings++;
    },
  };
}

describe("Mailbox", () => {
  test("commands arrive in order and whole; each post rings the receiver's doorbell", () => {
    const ring = createMailboxRing();
    const doorbell = counter();
    const sender = new MailboxSender<Command>(ring, doorbell);
    const receiver = new MailboxReceiver<Command>(ring);
    sender.post({ type: "attach", id: 1 });
    sender.post({ type: "close", id: 2, text: "é ✓" });
    expect(doorbell.rings).toBe(2);
    const seen: Command[] = [];
    expect(receiver.take((command) => seen.push(command))).toBe(2);
    expect(seen).toEqual([
      { type: "attach", id: 1 },
      { type: "close", id: 2, text: "é ✓" },
    ]);
    expect(receiver.readable).toBe(false);
  });

  test("a full mailbox keeps later commands in order until the receiver makes room", () => {
    const ring = createMailboxRing();
    const sender = new MailboxSender<Command>(ring, counter());
    const receiver = new MailboxReceiver<Command>(ring);
    const text = "x".repeat(10_000);
    let id = 0;
    while (sender.flush() && id < 100) sender.post({ type: "big", id: id++, text });
    expect(id).toBeLessThan(100);
    const seen: number[] = [];
    receiver.take((command) => seen.push(command.id));
    expect(receiver.takeSenderWaiting()).toBe(true);
    expect(sender.flush()).toBe(true);
    receiver.take((command) => seen.push(command.id));
    expect(seen).toEqual(Array.from({ length: id }, (_, i) => i));
    expect(() => sender.post({ type: "huge", id: -1, text: "y".repeat(40_000) })).toThrow(RangeError);
  });
});

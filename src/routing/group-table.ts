// Group table (libzmq radio's subscriptions multimap): which outbound pipes joined which RFC 48
// group, for RADIO. Imports pipe and core only.

import { SUBSCRIPTION_OVERHEAD_BYTES as GROUP_OVERHEAD_BYTES } from "../core/options.ts";
import type { Pipe } from "../pipe/pipe.ts";

/**
 * Groups are byte strings of at most 255 bytes, matched exactly (RFC 48: no prefix matching, unlike
 * SUB's topics). A peer that JOINs a group twice is counted twice and stays joined until it LEAVEs
 * as often, as libzmq's multimap of (group, pipe) entries behaves; a count costs one number, so
 * repeating a JOIN grows nothing. A LEAVE for a group the pipe never joined changes nothing.
 *
 * A pipe's distinct groups may be bounded in bytes (each its length plus 64 bytes, as a SUB's topic costs): a
 * JOIN of a new group past the bound is refused, so a peer cannot make a RADIO keep more than that.
 *
 * Invariants: `#byGroup[g]` has pipe p with count n >= 1 iff `#groupsOf[p]` has g; neither holds
 * an empty collection; `#bytes[p]` is the cost of `#groupsOf[p]`.
 */
export class GroupTable {
  readonly #byGroup = new Map<string, Map<Pipe, number>>();
  readonly #groupsOf = new Map<Pipe, Set<string>>();
  readonly #bytes = new Map<Pipe, number>();

  /** How many distinct groups at least one pipe has joined. */
  get size(): number {
    return this.#byGroup.size;
  }

  /** How many distinct groups `pipe` has joined. */
  groupCount(pipe: Pipe): number {
    return this.#groupsOf.get(pipe)?.size ?? 0;
  }

  /** What `pipe`'s distinct groups cost. */
  bytesOf(pipe: Pipe): number {
    return this.#bytes.get(pipe) ?? 0;
  }

  /**
   * Counts one JOIN of `group` by `pipe`; false (nothing changed) when the group is new to the pipe
   * and would take its cost past `maxBytes` (negative: no bound).
   */
  join(pipe: Pipe, group: Uint8Array, maxBytes = -1): boolean {
    const key = keyOf(group);
    let members = this.#byGroup.get(key);
    const count = members?.get(pipe) ?? 0;
    if (count === 0) {
      const cost = this.bytesOf(pipe) + group.length + GROUP_OVERHEAD_BYTES;
      if (maxBytes >= 0 && cost > maxBytes) return false;
      this.#bytes.set(pipe, cost);
    }
    if (members === undefined) {
      members = new Map();
      this.#byGroup.set(key, members);
    }
    members.set(pipe, count + 1);
    let groups = this.#groupsOf.get(pipe);
    if (groups === undefined) {
      groups = new Set();
      this.#groupsOf.set(pipe, groups);
    }
    groups.add(key);
    return true;
  }

  /** Takes back one JOIN of `group` by `pipe`; harmless when there is none. */
  leave(pipe: Pipe, group: Uint8Array): void {
    const key = keyOf(group);
    const members = this.#byGroup.get(key);
    const count = members?.get(pipe);
    if (members === undefined || count === undefined) return;
    if (count > 1) {
      members.set(pipe, count - 1);
      return;
    }
    members.delete(pipe);
    if (members.size === 0) this.#byGroup.delete(key);
    const groups = this.#groupsOf.get(pipe)!;
    groups.delete(key);
    this.#bytes.set(pipe, this.bytesOf(pipe) - group.length - GROUP_OVERHEAD_BYTES);
    if (groups.size === 0) {
      this.#groupsOf.delete(pipe);
      this.#bytes.delete(pipe);
    }
  }

  /** Forgets every group of `pipe` (its peer left). */
  remove(pipe: Pipe): void {
    const groups = this.#groupsOf.get(pipe);
    if (groups === undefined) return;
    this.#groupsOf.delete(pipe);
    this.#bytes.delete(pipe);
    for (const key of groups) {
      const members = this.#byGroup.get(key)!;
      members.delete(pipe);
      if (members.size === 0) this.#byGroup.delete(key);
    }
  }

  /** The pipes that joined `group`, each once; empty when none did. */
  members(group: Uint8Array): Iterable<Pipe> {
    return this.#byGroup.get(keyOf(group))?.keys() ?? NONE;
  }
}

const NONE: readonly Pipe[] = [];

// A group's bytes as a latin1 string: exact (one char per byte) and a cheap Map key.
function keyOf(group: Uint8Array): string {
  let key = "";
  for (let i = 0; i < group.length; i++) key += String.fromCharCode(group[i]!);
  return key;
}

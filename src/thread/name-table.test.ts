// The shared name table: one owner per name, release by the owner only, release of a whole thread's
// names, reuse of released room by compaction, and "full" when no room is left.

import { describe, expect, test } from "bun:test";
import { NameTable, createNameTable } from "./name-table.ts";

describe("NameTable", () => {
  test("a name has one owner: a second claim gets the first owner's entry", () => {
    const table = new NameTable(createNameTable(1024));
    expect(table.claim("a", { owner: 1, socketType: 7 })).toBeNull();
    expect(table.claim("a", { owner: 2, socketType: 8 })).toEqual({ owner: 1, socketType: 7 });
    expect(table.lookup("a")).toEqual({ owner: 1, socketType: 7 });
    expect(table.lookup("b")).toBeNull();
  });

  test("names differing only in bytes past a shared prefix, or in UTF-8, are distinct", () => {
    const table = new NameTable(createNameTable(1024));
    for (const [owner, name] of ["ab", "abc", "abd", "é", "e"].entries()) expect(table.claim(name, { owner, socketType: 0 })).toBeNull();
    expect(table.lookup("abd")!.owner).toBe(2);
    expect(table.lookup("é")!.owner).toBe(3);
  });

  test("only the owner releases a name; releaseAll frees every name of one owner", () => {
    const table = new NameTable(createNameTable(1024));
    table.claim("a", { owner: 1, socketType: 0 });
    table.claim("b", { owner: 1, socketType: 0 });
    table.claim("c", { owner: 2, socketType: 0 });
    table.release("a", 2);
    expect(table.lookup("a")).not.toBeNull();
    table.release("a", 1);
    expect(table.lookup("a")).toBeNull();
    table.releaseAll(1);
    expect(table.lookup("b")).toBeNull();
    expect(table.lookup("c")).toEqual({ owner: 2, socketType: 0 });
  });

  test("released room is reused, and a table with no room left says so", () => {
    // Each record of a 4-byte name takes 16 bytes: 4 fit in 64.
    const table = new NameTable(createNameTable(64));
    for (let i = 0; i < 4; i++) expect(table.claim(`n-0${i}`, { owner: i, socketType: 0 })).toBeNull();
    expect(table.claim("n-04", { owner: 4, socketType: 0 })).toBe("full");
    table.release("n-01", 1);
    expect(table.claim("n-04", { owner: 4, socketType: 0 })).toBeNull();
    expect([0, 2, 3, 4].map((i) => table.lookup(`n-0${i}`)?.owner)).toEqual([0, 2, 3, 4]);
  });

  test("a table seen through two views of the same memory (as two threads see it) agrees", () => {
    const memory = createNameTable(1024);
    expect(new NameTable(memory).claim("shared", { owner: 5, socketType: 1 })).toBeNull();
    expect(new NameTable(memory).claim("shared", { owner: 6, socketType: 1 })).toEqual({ owner: 5, socketType: 1 });
  });
});

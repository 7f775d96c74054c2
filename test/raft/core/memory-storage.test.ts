/**
 * MemoryStorage, the reference LogStorage.
 */
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../../../impl/raft/core/index.js";
import { entriesWithTerms } from "./harness.js";

describe("memory storage", () => {
  it("a new log is empty after the bootstrap snapshot at index 0", () => {
    const storage = new MemoryStorage({ voters: ["a", "b"] });
    expect(storage.firstIndex()).toBe(1);
    expect(storage.lastIndex()).toBe(0);
    expect(storage.term(0)).toBe(0);
    expect(storage.snapshot().meta).toEqual({ index: 0, term: 0, conf: { voters: ["a", "b"] } });
    expect(storage.initialState()).toEqual({ term: 0, vote: "", commit: 0 });
  });

  it("an append replaces the stored suffix from its first index and refuses gaps", () => {
    const storage = new MemoryStorage();
    storage.append(entriesWithTerms(1, [1, 1, 1]));
    storage.append(entriesWithTerms(2, [2]));
    expect([1, 2].map((i) => storage.term(i))).toEqual([1, 2]);
    expect(storage.lastIndex()).toBe(2);
    expect(() => storage.append(entriesWithTerms(5, [2]))).toThrow(/gap/);
  });

  it("compaction keeps the term of the compaction point and needs a snapshot covering it", () => {
    const storage = new MemoryStorage();
    storage.append(entriesWithTerms(1, [1, 2, 3, 4]));
    expect(() => storage.compact(2)).toThrow(/snapshot/);
    storage.createSnapshot(3, { voters: ["a"] }, new Uint8Array([7]));
    storage.compact(2);
    expect(storage.firstIndex()).toBe(3);
    expect(storage.term(2)).toBe(2);
    expect(() => storage.term(1)).toThrow();
    expect(storage.entries(3, 5, 100).map((e) => e.term)).toEqual([3, 4]);
    storage.append(entriesWithTerms(1, [1, 2, 9])); // the compacted part is ignored
    expect(storage.term(3)).toBe(9);
  });

  it("a snapshot must be newer than the current one and within the log", () => {
    const storage = new MemoryStorage();
    storage.append(entriesWithTerms(1, [1, 1]));
    storage.createSnapshot(2, { voters: [] }, new Uint8Array());
    expect(() => storage.createSnapshot(1, { voters: [] }, new Uint8Array())).toThrow(/newer/);
    expect(() => storage.createSnapshot(5, { voters: [] }, new Uint8Array())).toThrow(/beyond/);
  });

  it("applying a received snapshot replaces the whole log", () => {
    const storage = new MemoryStorage();
    storage.append(entriesWithTerms(1, [1, 1, 1]));
    storage.applySnapshot({
      meta: { index: 10, term: 4, conf: { voters: ["x"] } },
      data: new Uint8Array(),
    });
    expect(storage.firstIndex()).toBe(11);
    expect(storage.lastIndex()).toBe(10);
    expect(storage.term(10)).toBe(4);
  });
});

/**
 * The log view: conflict detection, appends after the consistency check, the back-off hint
 * search, and reads that span durable and unstable entries.
 */
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../../../impl/raft/core/index.js";
import { RaftLog } from "../../../impl/raft/core/raft-log.js";
import { entriesWithTerms, entry } from "./harness.js";

function logWith(durable: number[], unstable: number[] = []): RaftLog {
  const storage = new MemoryStorage();
  storage.append(entriesWithTerms(1, durable));
  const log = new RaftLog(storage);
  log.append(entriesWithTerms(durable.length + 1, unstable));
  return log;
}

describe("raft log", () => {
  it("finds the first entry that conflicts with the log or extends it", () => {
    const log = logWith([1, 2, 3]);
    expect(log.findConflict([])).toBe(0);
    expect(log.findConflict(entriesWithTerms(1, [1, 2, 3]))).toBe(0);
    expect(log.findConflict(entriesWithTerms(2, [2, 3, 4, 4]))).toBe(4);
    expect(log.findConflict(entriesWithTerms(2, [4, 4]))).toBe(2);
    expect(log.findConflict(entriesWithTerms(1, [4]))).toBe(1);
  });

  it("appends after a matching previous entry and reports the last index it proved", () => {
    const cases: [number, number, number[], number | undefined, number[]][] = [
      // prev index, prev term, new terms, result, resulting log
      [3, 2, [], undefined, [1, 2, 3]], // term mismatch
      [4, 3, [], undefined, [1, 2, 3]], // beyond the log
      [3, 3, [], 3, [1, 2, 3]],
      [3, 3, [4], 4, [1, 2, 3, 4]],
      [2, 2, [3], 3, [1, 2, 3]], // duplicate: nothing truncated
      [2, 2, [3, 4], 4, [1, 2, 3, 4]],
      [1, 1, [4], 2, [1, 4]], // conflict truncates the suffix
    ];
    for (const [prevIndex, prevTerm, terms, result, after] of cases) {
      const log = logWith([1, 2, 3]);
      const appended = log.maybeAppend(
        { index: prevIndex, term: prevTerm },
        entriesWithTerms(prevIndex + 1, terms),
      );
      expect(appended, `prev ${prevIndex}@${prevTerm} + ${terms}`).toBe(result);
      const terms2 = [];
      for (let i = 1; i <= log.lastIndex(); i++) terms2.push(log.term(i));
      expect(terms2).toEqual(after);
    }
  });

  it("refuses to truncate committed entries", () => {
    const log = logWith([1, 2, 3]);
    log.commitTo(2);
    expect(() => log.maybeAppend({ index: 1, term: 1 }, entriesWithTerms(2, [4]))).toThrow(
      /committed/,
    );
  });

  it("the hint is the last index at or below the probe whose term is at most the probe's", () => {
    const log = logWith([1, 1, 2, 2, 5, 5]);
    expect(log.findConflictByTerm(6, 5)).toEqual({ index: 6, term: 5 });
    expect(log.findConflictByTerm(6, 4)).toEqual({ index: 4, term: 2 });
    expect(log.findConflictByTerm(6, 1)).toEqual({ index: 2, term: 1 });
    expect(log.findConflictByTerm(6, 0)).toEqual({ index: 0, term: 0 });
    expect(log.findConflictByTerm(10, 5)).toEqual({ index: 6, term: 5 });
  });

  it("the hint search answers below the compaction point when the match lies there", () => {
    const storage = new MemoryStorage();
    storage.append(entriesWithTerms(1, [1, 1, 2, 2, 3]));
    storage.createSnapshot(3, { voters: [] }, new Uint8Array());
    storage.compact(3);
    const log = new RaftLog(storage);
    expect(log.findConflictByTerm(5, 2)).toEqual({ index: 4, term: 2 });
    expect(log.findConflictByTerm(5, 1)).toEqual({ index: 2, term: 0 });
    expect(log.findConflictByTerm(1, 1)).toEqual({ index: 1, term: 0 });
  });

  it("reads entries across the durable and unstable parts, within a byte budget", () => {
    const log = logWith([1, 1], [2, 2]);
    expect(log.slice(1, 5, Number.POSITIVE_INFINITY).map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(log.slice(2, 4, Number.POSITIVE_INFINITY).map((e) => e.term)).toEqual([1, 2]);
    const sized = logWith([]);
    sized.append([entry(1, 1, "aaaa"), entry(2, 1, "bbbb"), entry(3, 1, "cccc")]);
    expect(sized.slice(1, 4, 8).map((e) => e.index)).toEqual([1, 2]);
    expect(sized.slice(1, 4, 1).map((e) => e.index)).toEqual([1]);
    expect(sized.entriesFrom(2, 100, 1)?.map((e) => e.index)).toEqual([2]);
  });

  it("entries become durable only if they were not replaced meanwhile", () => {
    const log = logWith([], [1, 1, 1]);
    log.append(entriesWithTerms(3, [2])); // replaces the third entry before it was persisted
    log.unstable.stableTo(3, 1);
    expect(log.unstable.entries.map((e) => e.term)).toEqual([1, 1, 2]);
    log.unstable.stableTo(3, 2);
    expect(log.unstable.entries).toEqual([]);
  });

  it("a candidate is up to date with a higher last term, or the same term and a longer log", () => {
    const log = logWith([1, 2, 2]);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(3, 2)).toBe(true);
    expect(log.isUpToDate(2, 2)).toBe(false);
    expect(log.isUpToDate(9, 1)).toBe(false);
  });
});

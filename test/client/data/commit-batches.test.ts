import { describe, expect, it } from "vitest";
import { batchAppends, type IndexedInfo } from "../../../impl/client/data/commit-batches.js";

function infos(chunkIndex: number, count: number, firstId: number): IndexedInfo[] {
  return Array.from({ length: count }, (_, i) => ({
    chunkIndex,
    info: {
      chunkId: BigInt(firstId + i),
      compaction: 0n,
      offset: chunkIndex * 1000 + i,
      len: 1,
      size: 1,
      zero: false,
    },
  }));
}

describe("splitting a flush into commits", () => {
  it("keeps a small flush in one commit, one append per chunk index, in order", () => {
    const commits = batchAppends([...infos(0, 2, 1), ...infos(3, 1, 3), ...infos(0, 1, 4)]);
    expect(commits).toHaveLength(1);
    expect(commits[0]?.map((a) => [a.chunkIndex, a.infos.map((i) => i.chunkId)])).toEqual([
      [0, [1n, 2n, 4n]],
      [3, [3n]],
    ]);
  });

  it("caps infos per append at 256 and keeps each index's order across commits", () => {
    const commits = batchAppends([...infos(0, 600, 1), ...infos(1, 3, 1000)]);
    expect(commits.map((c) => c.map((a) => [a.chunkIndex, a.infos.length]))).toEqual([
      [
        [0, 256],
        [1, 3],
      ],
      [[0, 256]],
      [[0, 88]],
    ]);
    const ids = commits.flatMap((c) => c.filter((a) => a.chunkIndex === 0)).flatMap((a) => a.infos);
    expect(ids.map((i) => i.chunkId)).toEqual(infos(0, 600, 1).map((i) => i.info.chunkId));
  });

  it("caps chunk indexes per commit at 256", () => {
    const all = Array.from({ length: 300 }, (_, index) => infos(index, 1, index + 1)).flat();
    const commits = batchAppends(all);
    expect(commits.map((c) => c.length)).toEqual([256, 44]);
    expect(commits.flat().map((a) => a.chunkIndex)).toEqual(all.map((i) => i.chunkIndex));
  });

  it("has no commit for no infos", () => {
    expect(batchAppends([])).toEqual([]);
  });
});

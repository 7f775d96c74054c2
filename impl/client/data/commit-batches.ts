/**
 * Splits the chunk infos of one flush into commits the spec accepts: at most 256 chunk indexes
 * per commit, each index once, at most 256 infos per index. Infos of one chunk index keep their
 * order across commits (a later info must be appended after an earlier one, since it wins on
 * overlap), so an index with more than 256 infos spreads over consecutive commits. Pure.
 */
import { MAX_APPENDS_PER_COMMIT, MAX_INFOS_PER_APPEND } from "./chunk-geometry.js";
import type { ChunkInfo, ChunkInfoAppend } from "./file-data-port.js";

/** An info and the chunk index it belongs to. */
export interface IndexedInfo {
  readonly chunkIndex: number;
  readonly info: ChunkInfo;
}

/** The appends of each commit, in the order the commits must be sent. */
export function batchAppends(infos: readonly IndexedInfo[]): ChunkInfoAppend[][] {
  const byIndex = new Map<number, ChunkInfo[]>();
  for (const { chunkIndex, info } of infos) {
    const list = byIndex.get(chunkIndex);
    if (list) list.push(info);
    else byIndex.set(chunkIndex, [info]);
  }
  const commits: ChunkInfoAppend[][] = [];
  for (let round = 0; ; round++) {
    const appends: ChunkInfoAppend[] = [];
    for (const [chunkIndex, list] of byIndex) {
      const start = round * MAX_INFOS_PER_APPEND;
      if (start < list.length) {
        appends.push({ chunkIndex, infos: list.slice(start, start + MAX_INFOS_PER_APPEND) });
      }
    }
    if (appends.length === 0) return commits;
    for (let i = 0; i < appends.length; i += MAX_APPENDS_PER_COMMIT) {
      commits.push(appends.slice(i, i + MAX_APPENDS_PER_COMMIT));
    }
  }
}

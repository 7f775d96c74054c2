import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { type Entry, EntryType } from "../../../impl/raft/core/types.js";

/** Returns a maker of fresh directories under the OS temp dir, all removed after each test. */
export function tempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), "curve-raft-storage-"));
    made.push(dir);
    return dir;
  };
}

export function entry(index: number, term: number, data = `entry ${index}@${term}`): Entry {
  return { index, term, type: EntryType.Normal, data: Buffer.from(data) };
}

/** Entries lo..hi inclusive, all in `term`. */
export function entries(lo: number, hi: number, term: number): Entry[] {
  return Array.from({ length: hi - lo + 1 }, (_, k) => entry(lo + k, term));
}

/** A comparable view of entries (index, term, type, data as text). */
export function view(list: readonly Entry[]): string[] {
  return list.map((e) => `${e.index}/${e.term}/${e.type}/${Buffer.from(e.data).toString()}`);
}

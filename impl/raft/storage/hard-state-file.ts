/**
 * The hard state (term, vote, commit) of one group in a small file, replaced atomically.
 *
 *   offset  size  field
 *   0       4     magic "CRHS"
 *   4       2     format version (1)
 *   6       2     vote length V (bytes of UTF-8)
 *   8       8     term (u64 LE)
 *   16      8     commit (u64 LE)
 *   24      V     vote (a NodeId, "" for none)
 *   24+V    4     CRC-32C of bytes [0, 24 + V)
 *
 * A save writes `hard-state.tmp`, fsyncs it, renames it over `hard-state` and fsyncs the
 * directory, so a reader sees the old state or the new one, never a mix. A leftover temp file
 * (a crash before the rename) is ignored and removed on open. The CRC catches what atomic rename
 * cannot: damage after the fact.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { crc32c } from "../../storage/crc32c.js";
import type { HardState } from "../core/types.js";
import { type Deferred, deferred, readU64, writeU64 } from "./bytes.js";
import { DataCorruptionError, StorageError } from "./errors.js";
import type { FsyncBatcher } from "./fsync-batcher.js";

export const HARD_STATE_FILE = "hard-state";
const TEMP_SUFFIX = ".tmp";
const MAGIC = 0x53485243; // "CRHS" read as a little-endian u32
const VERSION = 1;
const FIXED_BYTES = 24;
const CRC_BYTES = 4;

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: "", commit: 0 };

export function encodeHardState(state: HardState): Buffer {
  const vote = Buffer.from(state.vote, "utf8");
  const buf = Buffer.alloc(FIXED_BYTES + vote.length + CRC_BYTES);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt16LE(VERSION, 4);
  buf.writeUInt16LE(vote.length, 6);
  writeU64(buf, 8, state.term);
  writeU64(buf, 16, state.commit);
  vote.copy(buf, FIXED_BYTES);
  const end = FIXED_BYTES + vote.length;
  buf.writeUInt32LE(crc32c(buf.subarray(0, end)), end);
  return buf;
}

export function decodeHardState(buf: Buffer, path: string): HardState {
  const corrupt = (reason: "truncated" | "bad-magic" | "bad-version" | "checksum" | "malformed") =>
    new DataCorruptionError(reason, path, undefined, `hard state is unreadable (${reason})`);
  if (buf.length < FIXED_BYTES + CRC_BYTES) throw corrupt("truncated");
  if (buf.readUInt32LE(0) !== MAGIC) throw corrupt("bad-magic");
  if (buf.readUInt16LE(4) !== VERSION) throw corrupt("bad-version");
  const end = FIXED_BYTES + buf.readUInt16LE(6);
  if (buf.length !== end + CRC_BYTES) throw corrupt("truncated");
  if (crc32c(buf.subarray(0, end)) !== buf.readUInt32LE(end)) throw corrupt("checksum");
  const term = readU64(buf, 8);
  const commit = readU64(buf, 16);
  if (term === undefined || commit === undefined) throw corrupt("malformed");
  return { term, vote: buf.toString("utf8", FIXED_BYTES, end), commit };
}

/**
 * Holds the current hard state and writes new ones. Saves are coalesced: while one write is in
 * progress, later saves wait and only the newest of them is written next; every caller resolves
 * once a state at least as new as theirs is durable.
 */
export class HardStateFile {
  private current: HardState;
  private next: { state: HardState; waiters: Deferred<void>[] } | undefined;
  private writing: Promise<void> | undefined;
  private failure: StorageError | undefined;

  private constructor(
    private readonly dir: string,
    private readonly fsync: FsyncBatcher,
    initial: HardState,
  ) {
    this.current = initial;
  }

  /**
   * Reads the hard state of `dir` ({term 0, vote "", commit 0} when there is none yet).
   * @throws DataCorruptionError when the file exists but is damaged.
   */
  static async open(dir: string, fsync: FsyncBatcher): Promise<HardStateFile> {
    const path = join(dir, HARD_STATE_FILE);
    await rm(path + TEMP_SUFFIX, { force: true });
    let initial = EMPTY_HARD_STATE;
    try {
      initial = decodeHardState(await readFile(path), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return new HardStateFile(dir, fsync, initial);
  }

  /** The newest state passed to save(), durable or not. */
  get state(): HardState {
    return this.next?.state ?? this.current;
  }

  /** Resolves when `state` (or a newer one) is durable. */
  save(state: HardState): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const done = deferred();
    if (this.next === undefined) this.next = { state, waiters: [done] };
    else {
      this.next.state = state;
      this.next.waiters.push(done);
    }
    this.writing ??= this.writeLoop();
    return done.promise;
  }

  /** Resolves once every save issued so far has finished, durably or not. */
  async settled(): Promise<void> {
    await this.writing;
  }

  private async writeLoop(): Promise<void> {
    for (let batch = this.next; batch !== undefined; batch = this.next) {
      this.next = undefined;
      try {
        if (this.failure !== undefined) throw this.failure;
        await this.write(batch.state);
        this.current = batch.state;
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        this.failure ??= new StorageError("failed", `hard state in ${this.dir}: ${error}`, {
          cause: error,
        });
        for (const w of batch.waiters) w.reject(this.failure);
      }
    }
    this.writing = undefined;
  }

  private async write(state: HardState): Promise<void> {
    const path = join(this.dir, HARD_STATE_FILE);
    const temp = path + TEMP_SUFFIX;
    const file = await open(temp, "w");
    try {
      await file.writeFile(encodeHardState(state));
      await this.fsync.fsync(file);
    } finally {
      await file.close();
    }
    await rename(temp, path);
    await this.fsync.fsyncDir(this.dir);
  }
}

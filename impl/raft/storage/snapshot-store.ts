/**
 * The snapshot files of one group directory: `snap-<index, 20 digits>.snap`. Only the newest is
 * kept; older ones are deleted once a newer one is durable.
 */
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Snapshot, SnapshotMeta } from "../core/types.js";
import { StorageError } from "./errors.js";
import type { FsyncBatcher } from "./fsync-batcher.js";
import {
  readSnapshotFile,
  SNAPSHOT_NAME,
  SnapshotChunkReader,
  SnapshotChunkWriter,
  snapshotFileName,
  verifySnapshotFile,
  writeSnapshotFile,
} from "./snapshot-file.js";

const TEMP_NAME = /\.tmp$/;

export class SnapshotStore {
  private newest: SnapshotMeta | undefined;
  private incoming = 0;

  private constructor(
    private readonly dir: string,
    private readonly fsync: FsyncBatcher,
  ) {}

  /**
   * Finds and fully verifies the newest snapshot of `dir`, removing temp files of interrupted
   * writes and transfers.
   * @throws DataCorruptionError when the newest snapshot is damaged. There is no silent fallback
   * to an older one: the log may already be compacted past it.
   */
  static async open(dir: string, fsync: FsyncBatcher): Promise<SnapshotStore> {
    const store = new SnapshotStore(dir, fsync);
    const names = await readdir(dir);
    for (const name of names) if (TEMP_NAME.test(name)) await rm(join(dir, name), { force: true });
    const indexes = names
      .map((name) => SNAPSHOT_NAME.exec(name)?.[1])
      .filter((index) => index !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const newest = indexes.at(-1);
    if (newest !== undefined) {
      store.newest = (await verifySnapshotFile(join(dir, snapshotFileName(newest)))).meta;
      await store.removeOlderThan(newest);
    }
    return store;
  }

  /** The newest durable snapshot's meta. */
  get meta(): SnapshotMeta | undefined {
    return this.newest;
  }

  /** Writes a snapshot durably and deletes the older ones. */
  async save(meta: SnapshotMeta, payload: Uint8Array): Promise<void> {
    this.assertNotOlder(meta);
    await writeSnapshotFile(this.pathOf(meta.index), meta, payload, this.fsync);
    await this.installed(meta);
  }

  async load(): Promise<Snapshot | undefined> {
    return this.newest === undefined ? undefined : readSnapshotFile(this.pathOf(this.newest.index));
  }

  async reader(): Promise<SnapshotChunkReader | undefined> {
    return this.newest === undefined
      ? undefined
      : SnapshotChunkReader.open(this.pathOf(this.newest.index));
  }

  /**
   * Starts receiving a snapshot from a leader. `finish()` verifies it, gives it its final name,
   * deletes older snapshots and returns its meta.
   */
  async receive(): Promise<SnapshotChunkWriter> {
    const temp = join(this.dir, `snap-incoming-${process.pid}-${this.incoming++}.tmp`);
    return SnapshotChunkWriter.create(temp, this.fsync);
  }

  /** The final path for a received snapshot; refuses one older than what we have. */
  placeReceived(meta: SnapshotMeta): string {
    this.assertNotOlder(meta);
    return this.pathOf(meta.index);
  }

  /** Records a snapshot that is now durable under its final name. */
  async installed(meta: SnapshotMeta): Promise<void> {
    this.newest = meta;
    await this.removeOlderThan(meta.index);
  }

  private async removeOlderThan(index: number): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const match = SNAPSHOT_NAME.exec(name);
      if (match !== null && Number(match[1]) < index)
        await rm(join(this.dir, name), { force: true });
    }
  }

  private assertNotOlder(meta: SnapshotMeta): void {
    if (this.newest !== undefined && meta.index < this.newest.index) {
      throw new StorageError(
        "compacted",
        `snapshot at ${meta.index} is older than the one at ${this.newest.index}`,
      );
    }
  }

  private pathOf(index: number): string {
    return join(this.dir, snapshotFileName(index));
  }
}

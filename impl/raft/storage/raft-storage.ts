/**
 * The durable state of one Raft group in one directory: the log, the hard state and the newest
 * snapshot. This is what a node runtime persists a core's Ready into and restarts it from.
 *
 *   <dir>/log-<first index>.seg    log segments (segment-log.ts, log-record.ts)
 *   <dir>/hard-state                term, vote, commit (hard-state-file.ts)
 *   <dir>/snap-<index>.snap         the newest snapshot (snapshot-file.ts)
 *   <dir>/forced-conf               the configuration ResetPeer forced, if any (forced-conf-file.ts)
 *
 * The contract with the runtime: a message that depends on persisted state — a vote grant on the
 * hard state, an append response on the entries it acknowledges, any message carrying a new term —
 * may be sent only after the promise of the corresponding save has resolved. Appends and hard
 * state saves are independent files; await both before sending what needs both.
 *
 * Mutations take effect in memory at call time, in call order, so reads see them at once;
 * durability follows in batches.
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Entry, ForcedConf, HardState, Snapshot, SnapshotMeta } from "../core/types.js";
import { StorageError } from "./errors.js";
import { loadForcedConf, saveForcedConf } from "./forced-conf-file.js";
import { FsyncBatcher } from "./fsync-batcher.js";
import { HardStateFile } from "./hard-state-file.js";
import { type LogRecovery, SegmentLog } from "./segment-log.js";
import type { SnapshotChunkReader } from "./snapshot-file.js";
import { SnapshotStore } from "./snapshot-store.js";

export interface RaftStorageOptions {
  /** Roll log segments at this size (default 64 MiB). */
  readonly segmentBytes?: number;
  /** One batcher for every group of the process; each storage gets its own when omitted. */
  readonly fsync?: FsyncBatcher;
}

/** What a core needs to restart. */
export interface InitialState {
  readonly hardState: HardState;
  /** The newest snapshot; the state machine restores it before applying entries after it. */
  readonly snapshot: SnapshotMeta | undefined;
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** What opening had to repair (a torn tail is normal after a crash). */
  readonly recovery: LogRecovery;
}

/** The receiving end of a snapshot transfer from a leader. */
export interface SnapshotReceiver {
  /** Bytes received so far: where the next chunk should start. */
  readonly offset: number;
  /** Stores one chunk; chunks arrive in order, repeats of received bytes are ignored. */
  write(offset: number, bytes: Uint8Array): Promise<void>;
  /**
   * Verifies the received file, installs it as the newest snapshot and makes the log follow it.
   * @throws DataCorruptionError when the bytes are not a valid snapshot.
   */
  finish(): Promise<SnapshotMeta>;
  abort(): Promise<void>;
}

export class RaftStorage {
  private constructor(
    readonly dir: string,
    private readonly log: SegmentLog,
    private readonly hard: HardStateFile,
    private readonly snapshots: SnapshotStore,
    private readonly fsync: FsyncBatcher,
    private forced: ForcedConf | undefined,
  ) {}

  /**
   * Opens the group directory `dir`, creating it if needed, and recovers: verifies every log
   * record and the newest snapshot, cuts a torn log tail, drops temp files of interrupted writes.
   * @throws DataCorruptionError for damage that recovery must not paper over.
   */
  static async open(dir: string, options: RaftStorageOptions = {}): Promise<RaftStorage> {
    const fsync = options.fsync ?? new FsyncBatcher();
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) {
      // Make every new directory level durable in its parent.
      const top = dirname(resolve(created));
      for (let level = resolve(dir); level !== top; level = dirname(level)) {
        await fsync.fsyncDir(dirname(level));
      }
    }
    const snapshots = await SnapshotStore.open(dir, fsync);
    const hard = await HardStateFile.open(dir, fsync);
    const log = await SegmentLog.open(
      dir,
      { segmentBytes: options.segmentBytes, fsync },
      snapshots.meta,
    );
    const forced = await loadForcedConf(dir);
    return new RaftStorage(dir, log, hard, snapshots, fsync, forced);
  }

  initialState(): InitialState {
    return {
      hardState: this.hard.state,
      snapshot: this.snapshots.meta,
      firstIndex: this.log.firstIndex(),
      lastIndex: this.log.lastIndex(),
      recovery: this.log.recovery,
    };
  }

  hardState(): HardState {
    return this.hard.state;
  }

  /** The configuration the last ResetPeer forced (the core decides whether it still applies). */
  forcedConf(): ForcedConf | undefined {
    return this.forced;
  }

  /** Stores the configuration a ResetPeer forced; resolves once durable. */
  async saveForcedConf(forced: ForcedConf): Promise<void> {
    await saveForcedConf(this.dir, this.fsync, forced);
    this.forced = forced;
  }

  snapshotMeta(): SnapshotMeta | undefined {
    return this.snapshots.meta;
  }

  firstIndex(): number {
    return this.log.firstIndex();
  }

  lastIndex(): number {
    return this.log.lastIndex();
  }

  /**
   * The term of entry `index`; firstIndex() - 1 answers with the snapshot's term.
   * @throws StorageError "compacted" or "unavailable".
   */
  term(index: number): number {
    return this.log.term(index);
  }

  /** Entries [lo, hi), at most `maxBytes` of records but at least one entry. */
  entries(lo: number, hi: number, maxBytes?: number): Promise<Entry[]> {
    return this.log.entries(lo, hi, maxBytes);
  }

  /**
   * Appends entries; an entry at an index the log already has replaces it and everything after.
   * Resolves when they are durable: only then may the node acknowledge them.
   */
  append(entries: readonly Entry[]): Promise<void> {
    return this.log.append(entries);
  }

  /** Drops every entry after `index`. */
  truncateSuffix(index: number): Promise<void> {
    return this.log.truncateSuffix(index);
  }

  /**
   * Drops entries up to `index`, which the newest snapshot must cover (keep some entries behind
   * the snapshot to serve slightly lagging followers without a snapshot transfer).
   */
  async compact(index: number): Promise<void> {
    const snapshotIndex = this.snapshots.meta?.index ?? 0;
    if (index > snapshotIndex) {
      throw new StorageError(
        "not-snapshotted",
        `cannot compact to ${index}: the newest snapshot is at ${snapshotIndex}`,
      );
    }
    return this.log.compact(index);
  }

  /**
   * Makes `state` durable (write temp file, fsync, rename, fsync directory). Resolves only then:
   * a vote grant or any message with the new term must wait for it. Concurrent saves coalesce; a
   * caller resolves when its state or a newer one is durable.
   */
  saveHardState(state: HardState): Promise<void> {
    return this.hard.save(state);
  }

  /**
   * Stores a snapshot of the state machine durably, deletes older snapshots and makes the log
   * follow it: a log that holds the snapshot's entry keeps its entries (compact() removes them),
   * one that ends before it or disagrees with it is discarded.
   */
  async saveSnapshot(meta: SnapshotMeta, payload: Uint8Array): Promise<void> {
    await this.snapshots.save(meta, payload);
    await this.log.followSnapshot(meta);
  }

  /** The newest snapshot with its payload, verified, or undefined when there is none. */
  loadSnapshot(): Promise<Snapshot | undefined> {
    return this.snapshots.load();
  }

  /** Streams the newest snapshot file to a follower; close the reader when done. */
  snapshotReader(): Promise<SnapshotChunkReader | undefined> {
    return this.snapshots.reader();
  }

  /** Starts receiving a snapshot from a leader (install-snapshot). */
  async receiveSnapshot(): Promise<SnapshotReceiver> {
    const writer = await this.snapshots.receive();
    const { snapshots, log } = this;
    return {
      get offset() {
        return writer.offset;
      },
      write: (offset, bytes) => writer.write(offset, bytes),
      abort: () => writer.abort(),
      async finish() {
        const meta = await writer.finish((m) => snapshots.placeReceived(m));
        await snapshots.installed(meta);
        await log.followSnapshot(meta);
        return meta;
      },
    };
  }

  /** Waits for pending writes and closes the files. */
  async close(): Promise<void> {
    await this.hard.settled();
    await this.log.close();
  }
}

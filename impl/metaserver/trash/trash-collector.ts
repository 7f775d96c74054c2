/**
 * The trash task of a metaserver (metaserver.proto, UpdateInode "Trash"): for every copyset
 * this server currently leads, it finds the inodes that entered a partition's trash (nlink 0)
 * at least `delayMs` ago, deletes their S3 objects, and then proposes TRASH_PURGE_INODE through
 * Raft. Only the leader runs it, and it reads the trash from the replicated state at every
 * pass, so a new leader picks up whatever its predecessor left.
 *
 * Safety: an inode is purged only after every object its chunk infos name is deleted. After the
 * delete the inode is read again; infos appended meanwhile (the file was still open) have their
 * objects deleted too before the purge. If the fs lookup, the object store or the proposal
 * fails, the inode stays in the trash and is retried with exponential backoff. The one gap: an
 * append applied between the last re-read and the purge entry leaves its new objects behind
 * (leaked, never referenced); no object an inode still names is ever deleted.
 *
 * VOLUME file systems: an inode without volume extents is purged at once; one with extents
 * stays in the trash (returning its space to SpaceAllocService is not implemented here).
 */
import { create } from "@bufbuild/protobuf";
import type { Logger } from "pino";
import { FsType } from "../../gen/curve/common/v1/common_pb.js";
import type { Inode } from "../../gen/curve/metaserver/v1/inode_pb.js";
import { DeleteInodeRequestSchema } from "../../gen/curve/metaserver/v1/metaserver_pb.js";
import { type BackgroundLoop, startBackgroundLoop } from "../../mds/background-loop.js";
import { systemClock } from "../../storage/clock.js";
import { ObjectStoreResolver } from "../../storage/object-store-resolver.js";
import { runConcurrently } from "../../storage/run-concurrently.js";
import type { CopysetNode } from "../copyset-node.js";
import type { CopysetState } from "../copyset-state.js";
import { OpType, op } from "../ops.js";
import { type FsStorageLookup, StaticFsStorageLookup } from "./fs-storage-lookup.js";
import { holdsObjects, inodeObjectKeys, objectLayoutOf } from "./inode-object-keys.js";

export interface TrashOptions {
  /**
   * How long an inode stays in the trash after its dtime before its data is deleted, so that a
   * file unlinked while open stays readable for a while. Default 10 minutes; 0 in tests.
   */
  readonly delayMs?: number;
  /** How often the led copysets' trash is scanned. Default 5000 ms. */
  readonly scanIntervalMs?: number;
  /** The wait before retrying an inode whose collection failed; doubles per failure. Default 1000 ms. */
  readonly retryInitialMs?: number;
  /** The longest wait between retries. Default 60000 ms. */
  readonly retryMaxMs?: number;
  /** Inodes collected per copyset per pass. Default 256. */
  readonly batch?: number;
  /** Inodes collected at once. Default 16. */
  readonly concurrency?: number;
  /**
   * Where the S3 settings of a file system come from (normally `MdsFsStorageLookup`; a
   * MetaserverHost with `mds` URLs builds one). Default: a lookup that knows no fs, so inodes
   * holding objects stay in the trash. Closed by `stop`.
   */
  readonly fsStorage?: FsStorageLookup;
  /**
   * Opens the object store of an fs (secrets come from the metaserver's configuration).
   * Default: a resolver with the environment's credentials, closed by `stop`; a given one is
   * left open.
   */
  readonly objectStores?: ObjectStoreResolver;
  /** Wall-clock milliseconds since the epoch (dtime is wall-clock). Default `Date.now`. */
  readonly now?: () => number;
}

const DEFAULTS = {
  delayMs: 10 * 60 * 1000,
  scanIntervalMs: 5000,
  retryInitialMs: 1000,
  retryMaxMs: 60_000,
  batch: 256,
  concurrency: 16,
} as const;

/** An inode due for collection, as read from the leader's applied state. */
interface DueInode {
  readonly partitionId: number;
  readonly fsId: number;
  readonly fsType: FsType;
  readonly inode: Inode;
  readonly volumeExtents: number;
}

/** Failures so far of one inode, and when it may be tried again. */
interface Backoff {
  readonly failures: number;
  readonly notBefore: number;
}

/** Rounds of "delete, re-read" before an inode that keeps growing is retried later. */
const MAX_DELETE_ROUNDS = 3;

export class TrashCollector {
  readonly #copysets: () => Iterable<CopysetNode>;
  readonly #logger: Logger;
  readonly #delayMs: number;
  readonly #retryInitialMs: number;
  readonly #retryMaxMs: number;
  readonly #batch: number;
  readonly #concurrency: number;
  readonly #scanIntervalMs: number;
  readonly #fsStorage: FsStorageLookup;
  readonly #objectStores: ObjectStoreResolver;
  readonly #ownsObjectStores: boolean;
  readonly #now: () => number;
  /** By "group/partition/inode". */
  readonly #backoff = new Map<string, Backoff>();
  readonly #abort = new AbortController();
  #loop: BackgroundLoop | undefined;

  constructor(copysets: () => Iterable<CopysetNode>, options: TrashOptions, logger: Logger) {
    this.#copysets = copysets;
    this.#logger = logger;
    this.#delayMs = options.delayMs ?? DEFAULTS.delayMs;
    this.#scanIntervalMs = options.scanIntervalMs ?? DEFAULTS.scanIntervalMs;
    this.#retryInitialMs = options.retryInitialMs ?? DEFAULTS.retryInitialMs;
    this.#retryMaxMs = options.retryMaxMs ?? DEFAULTS.retryMaxMs;
    this.#batch = options.batch ?? DEFAULTS.batch;
    this.#concurrency = Math.max(1, options.concurrency ?? DEFAULTS.concurrency);
    this.#fsStorage = options.fsStorage ?? new StaticFsStorageLookup();
    this.#ownsObjectStores = options.objectStores === undefined;
    this.#objectStores = options.objectStores ?? new ObjectStoreResolver();
    this.#now = options.now ?? Date.now;
  }

  /** Starts the periodic scan. */
  start(): void {
    this.#loop ??= startBackgroundLoop({
      name: "metaserver-trash",
      clock: systemClock,
      intervalMs: this.#scanIntervalMs,
      signal: this.#abort.signal,
      logger: this.#logger,
      run: (signal) => this.#pass(signal),
    });
  }

  /** Stops scanning, waits for the pass in progress, and closes what the collector opened. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop?.idle();
    await this.#fsStorage.close();
    if (this.#ownsObjectStores) await this.#objectStores.close();
  }

  async #pass(signal: AbortSignal): Promise<void> {
    for (const copyset of this.#copysets()) {
      if (signal.aborted) return;
      if (!copyset.node.running || copyset.node.status().role !== "leader") continue;
      let due: DueInode[];
      try {
        due = await copyset.read((state) => this.#due(copyset.groupId, state));
      } catch (error) {
        // Leadership moved between the check and the read: the new leader collects.
        this.#logger.debug({ err: error, group: String(copyset.groupId) }, "trash scan skipped");
        continue;
      }
      // Inodes are independent; in parallel, their purge entries share the log's fsyncs.
      await runConcurrently(due, this.#concurrency, async (entry) => {
        if (!signal.aborted) await this.#collectOne(copyset, entry);
      });
    }
  }

  /**
   * Up to a batch of the copyset's trash inodes that are due and not backing off (with their
   * data maps); prunes the backoffs of inodes no longer in the trash.
   */
  #due(groupId: bigint, state: CopysetState): DueInode[] {
    const now = this.#now();
    const due: DueInode[] = [];
    const present = new Set<string>();
    for (const partition of state.list()) {
      const { fsId, fsType, partitionId } = partition.config;
      for (const { inodeId, dtimeMs } of partition.trashEntries()) {
        const key = `${groupId}/${partitionId}/${inodeId}`;
        present.add(key);
        if (due.length >= this.#batch || dtimeMs + this.#delayMs > now) continue;
        const backoff = this.#backoff.get(key);
        if (backoff !== undefined && backoff.notBefore > now) continue;
        const trashed = partition.trashedInode(inodeId);
        if (trashed !== undefined) due.push({ partitionId, fsId, fsType, ...trashed });
      }
    }
    const prefix = `${groupId}/`;
    for (const key of this.#backoff.keys()) {
      if (key.startsWith(prefix) && !present.has(key)) this.#backoff.delete(key);
    }
    return due;
  }

  async #collectOne(copyset: CopysetNode, entry: DueInode): Promise<void> {
    const inodeId = entry.inode.attr?.inodeId ?? 0n;
    const key = `${copyset.groupId}/${entry.partitionId}/${inodeId}`;
    try {
      if (entry.fsType === FsType.VOLUME && entry.volumeExtents > 0) {
        throw new Error("releasing volume extents of a trashed inode is not supported");
      }
      if (entry.fsType === FsType.S3 && !(await this.#deleteObjects(copyset, entry))) return;
      await copyset.write(
        op(
          OpType.TRASH_PURGE_INODE,
          create(DeleteInodeRequestSchema, {
            fsId: entry.fsId,
            partitionId: entry.partitionId,
            inodeId,
          }),
        ),
      );
      this.#backoff.delete(key);
    } catch (error) {
      const failures = (this.#backoff.get(key)?.failures ?? 0) + 1;
      const waitMs = Math.min(this.#retryMaxMs, this.#retryInitialMs * 2 ** (failures - 1));
      this.#backoff.set(key, { failures, notBefore: this.#now() + waitMs });
      this.#logger.warn(
        { err: error, fsId: entry.fsId, inodeId: String(inodeId), retryInMs: waitMs },
        "trash: could not collect an inode; it stays in the trash",
      );
    }
  }

  /**
   * Deletes every object of the inode, re-reading it until no new infos appeared. Resolves
   * false when the inode left the trash meanwhile (nothing to purge); throws when the objects
   * could not all be deleted.
   */
  async #deleteObjects(copyset: CopysetNode, entry: DueInode): Promise<boolean> {
    const inodeId = entry.inode.attr?.inodeId ?? 0n;
    const deleted = new Set<string>();
    let inode: Inode | undefined = entry.inode;
    for (let round = 0; ; round++) {
      if (inode === undefined) return false;
      if (!holdsObjects(inode)) return true;
      const s3 = await this.#fsStorage.s3InfoOf(entry.fsId);
      const keys = inodeObjectKeys(objectLayoutOf(entry.fsId, s3), inode).filter(
        (k) => !deleted.has(k),
      );
      if (keys.length === 0) return true;
      if (round === MAX_DELETE_ROUNDS) break;
      const store = await this.#objectStores.storeFor(s3);
      const result = await store.deleteMany(keys);
      if (result.failures.length > 0) {
        const [first] = result.failures;
        throw new Error(
          `${result.failures.length} of ${keys.length} objects not deleted (first: ${first?.key})`,
          { cause: first?.error },
        );
      }
      for (const k of keys) deleted.add(k);
      inode = await copyset.read(
        (state) => state.partition(entry.partitionId).trashedInode(inodeId)?.inode,
      );
    }
    throw new Error(`inode ${inodeId} kept gaining chunk infos while its objects were deleted`);
  }
}

/**
 * The receiving end of InstallSnapshot on a follower: at most one transfer in progress per group,
 * identified by (`from`, `snapshot_id`), holding the contiguous bytes received from offset 0 in a
 * temp file of the group's storage and their running SHA-256 (raft.proto, InstallSnapshot).
 *
 * Chunks are handled one at a time (`exclusive`), so a resent chunk racing the original cannot
 * write twice. The Raft side of a chunk (term rules, leader contact, loading the finished file)
 * is the node's job; this class only keeps the bytes.
 */
import { createHash, type Hash } from "node:crypto";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { NodeId, RejectReason, SnapshotMeta } from "../core/index.js";
import type { SnapshotReceiver } from "../storage/index.js";

/** A transfer that has not advanced for this long is dropped (the spec's 60 s). */
export const SNAPSHOT_TRANSFER_IDLE_MS = 60_000;

/** One InstallSnapshot chunk, numbers already checked to be safe integers. */
export interface SnapshotChunk {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly meta: SnapshotMeta;
  readonly snapshotId: string;
  readonly totalBytes: number;
  readonly offset: number;
  readonly data: Uint8Array;
  readonly done: boolean;
  /** The SHA-256 of the whole file; only on the last chunk. */
  readonly sha256: Uint8Array;
}

/** The answer to one chunk: InstallSnapshotResponse of raft.proto. */
export interface SnapshotChunkAnswer {
  readonly term: number;
  readonly success: boolean;
  readonly rejectReason?: RejectReason | "snapshot-superseded";
  readonly nextOffset: number;
  readonly installed: boolean;
  readonly lastLogIndex: number;
}

export class SnapshotTransfer {
  private readonly hash: Hash = createHash("sha256");
  private received = 0;

  constructor(
    readonly snapshotId: string,
    readonly from: NodeId,
    readonly term: number,
    readonly meta: SnapshotMeta,
    readonly totalBytes: number,
    readonly receiver: SnapshotReceiver,
  ) {}

  /** Contiguous bytes held from offset 0: where the next chunk must start. */
  get nextOffset(): number {
    return this.received;
  }

  get complete(): boolean {
    return this.received === this.totalBytes;
  }

  /** Stores the part of `chunk` that extends the held bytes; a chunk after a gap stores nothing. */
  async write(chunk: SnapshotChunk): Promise<void> {
    if (chunk.offset > this.received) return;
    const fresh = chunk.data.subarray(this.received - chunk.offset);
    if (fresh.length === 0) return;
    await this.receiver.write(this.received, fresh);
    this.hash.update(fresh);
    this.received += fresh.length;
  }

  /** Whether the held bytes have the digest `sha256` (call once, when complete). */
  digestMatches(sha256: Uint8Array): boolean {
    return Buffer.from(this.hash.digest()).equals(Buffer.from(sha256));
  }
}

export class SnapshotInbox {
  private current: SnapshotTransfer | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly startReceiving: () => Promise<SnapshotReceiver>,
    private readonly idleMs = SNAPSHOT_TRANSFER_IDLE_MS,
  ) {}

  /** Runs `task` after every task queued before it (one chunk at a time). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** The bytes held of the transfer `chunk` belongs to (0 when it is not the one in progress). */
  nextOffsetFor(chunk: SnapshotChunk): number {
    const current = this.current;
    return current !== undefined &&
      current.snapshotId === chunk.snapshotId &&
      current.from === chunk.from
      ? current.nextOffset
      : 0;
  }

  /**
   * The transfer `chunk` belongs to: the one in progress, or a new one replacing it when the
   * chunk's (term, last included index) is at least the current transfer's. "superseded" when
   * the chunk is older than the transfer in progress.
   * @throws CurveError SNAPSHOT_TRANSFER_INVALID when the chunk's meta or size contradict those of
   * its own transfer (which is discarded).
   */
  async accept(chunk: SnapshotChunk): Promise<SnapshotTransfer | "superseded"> {
    const current = this.current;
    if (
      current !== undefined &&
      current.snapshotId === chunk.snapshotId &&
      current.from === chunk.from
    ) {
      if (current.totalBytes !== chunk.totalBytes || !sameMeta(current.meta, chunk.meta)) {
        await this.discard();
        throw new CurveError(
          ErrorReason.SNAPSHOT_TRANSFER_INVALID,
          `snapshot ${chunk.snapshotId} from ${chunk.from} changed its meta or size mid-transfer`,
        );
      }
      this.touch();
      return current;
    }
    if (
      current !== undefined &&
      (chunk.term < current.term ||
        (chunk.term === current.term && chunk.meta.index < current.meta.index))
    ) {
      return "superseded";
    }
    await this.discard();
    const transfer = new SnapshotTransfer(
      chunk.snapshotId,
      chunk.from,
      chunk.term,
      chunk.meta,
      chunk.totalBytes,
      await this.startReceiving(),
    );
    this.current = transfer;
    this.touch();
    return transfer;
  }

  /** The transfer is over (installed, or handed to `finish`): forget it without deleting. */
  release(transfer: SnapshotTransfer): void {
    if (this.current !== transfer) return;
    this.current = undefined;
    this.stopTimer();
  }

  /** Drops the transfer in progress and its bytes. */
  async discard(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    this.stopTimer();
    await current?.receiver.abort();
  }

  private touch(): void {
    this.stopTimer();
    this.idleTimer = setTimeout(() => void this.exclusive(() => this.discard()), this.idleMs);
    this.idleTimer.unref();
  }

  private stopTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function sameMeta(a: SnapshotMeta, b: SnapshotMeta): boolean {
  if (a.index !== b.index || a.term !== b.term) return false;
  const x = [...a.conf.voters].sort();
  const y = [...b.conf.voters].sort();
  return x.length === y.length && x.every((voter, i) => voter === y[i]);
}

/**
 * The state machine of ONE metaserver partition: what a Raft apply runs. Pure and
 * deterministic: no clock (every time comes from the request), no IO, no randomness, so every
 * replica that applies the same entries holds the same state. Each write validates everything
 * first and changes state only once it is sure to succeed, except that folding a committed
 * rename transaction (which any later write may do) stays done.
 *
 * The rules are the doc comments of proto/curve/metaserver/v1/metaserver.proto.
 */
import { create, type Message } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { CurveError } from "../errors.js";
import {
  FsType,
  type PartitionInfo,
  PartitionInfoSchema,
  PartitionStatus,
} from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  type Dentry,
  DentrySchema,
  FileType,
  type Inode,
  type InodeAttr,
  type S3ChunkInfoAppend,
  type S3ChunkInfoList,
  type VolumeExtent,
  VolumeExtentSchema,
} from "../gen/curve/metaserver/v1/inode_pb.js";
import {
  type AppendS3ChunkInfoRequest,
  type AppendS3ChunkInfoResponse,
  AppendS3ChunkInfoResponseSchema,
  type BatchGetInodeAttrRequest,
  type BatchGetInodeAttrResponse,
  BatchGetInodeAttrResponseSchema,
  type CreateDentryRequest,
  type CreateDentryResponse,
  CreateDentryResponseSchema,
  type CreateInodeRequest,
  type CreateInodeResponse,
  CreateInodeResponseSchema,
  type CreateManageInodeRequest,
  type CreateManageInodeResponse,
  CreateManageInodeResponseSchema,
  type CreateRootInodeRequest,
  type CreateRootInodeResponse,
  CreateRootInodeResponseSchema,
  type DeleteDentryRequest,
  type DeleteDentryResponse,
  DeleteDentryResponseSchema,
  type DeleteInodeRequest,
  type DeleteInodeResponse,
  DeleteInodeResponseSchema,
  type GetDentryRequest,
  type GetDentryResponse,
  GetDentryResponseSchema,
  type GetInodeRequest,
  type GetInodeResponse,
  GetInodeResponseSchema,
  type GetVolumeExtentRequest,
  type GetVolumeExtentResponse,
  GetVolumeExtentResponseSchema,
  type ListDentryRequest,
  type ListDentryResponse,
  ListDentryResponseSchema,
  ManageInodeType,
  type PrepareRenameTxRequest,
  type PrepareRenameTxResponse,
  PrepareRenameTxResponseSchema,
  RenameTxAction,
  type UpdateInodeRequest,
  type UpdateInodeResponse,
  UpdateInodeResponseSchema,
  type UpdateVolumeExtentRequest,
  type UpdateVolumeExtentResponse,
  UpdateVolumeExtentResponseSchema,
} from "../gen/curve/metaserver/v1/metaserver_pb.js";
import type { ByteReader, ByteWriter } from "./binary-io.js";
import { DentryTable, type DentryValue } from "./dentry-table.js";
import {
  type InodeRecord,
  newInode,
  readInode,
  storedTime,
  toAttr,
  toChunkInfoList,
  toInode,
  writeInode,
  xattrBytes,
} from "./inode-table.js";
import { compareNames, firstIndexAfter } from "./names.js";
import { type Op, OpType } from "./ops.js";
import {
  decidePrepare,
  entryFor,
  isVisible,
  type PendingTx,
  readPendingTx,
  type TxEntry,
  writePendingTx,
} from "./rename-tx.js";
import { Trash } from "./trash.js";
import { storeU64 } from "./u64.js";
import { firstEndingAfter, recordExtents } from "./volume-extents.js";

/** Limits fixed by the spec (service comment of MetaServerService). */
export const LIMITS = {
  xattrBytes: 65536,
  s3ChunkInfosPerInode: 100_000,
  volumeExtentsPerInode: 1_000_000,
  defaultPageSize: 1000,
  maxPageSize: 10000,
  /** BatchGetInodeAttr may stop once its response exceeds this. */
  batchResponseBytes: 4 * 1024 * 1024,
} as const;

const ROOT_INODE_ID = 1n;
const RECYCLE_INODE_ID = 2n;
/** The first id CreateInode may hand out: 0 is never an inode, 1 and 2 are reserved. */
const FIRST_FREE_ID = 3n;

/** What a partition is created with (CreatePartitionRequest). */
export interface PartitionConfig {
  readonly fsId: number;
  readonly poolId: number;
  readonly copysetId: number;
  readonly partitionId: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly fsType: FsType;
}

/** The outcome of applying one entry: the response, or the error the RPC answers. */
export type ApplyResult = Message | CurveError;

function fail(reason: ErrorReason, message: string, metadata?: Record<string, string>): never {
  throw new CurveError(reason, message, { metadata });
}

const NAME_TOKEN_PREFIX = "n";
const OFFSET_TOKEN_PREFIX = "o";

function nameToken(name: string): string {
  return NAME_TOKEN_PREFIX + Buffer.from(name, "utf8").toString("base64url");
}

function tokenName(token: string): string {
  const encoded = token.slice(NAME_TOKEN_PREFIX.length);
  if (token.startsWith(NAME_TOKEN_PREFIX) && encoded.length > 0) {
    const name = Buffer.from(encoded, "base64url").toString("utf8");
    if (nameToken(name) === token) return name;
  }
  return fail(ErrorReason.INVALID_ARGUMENT, "page_token is not one this server issued", {
    field: "page_token",
  });
}

function tokenOffset(token: string): bigint {
  const digits = token.slice(OFFSET_TOKEN_PREFIX.length);
  if (token.startsWith(OFFSET_TOKEN_PREFIX) && /^(0|[1-9][0-9]{0,19})$/.test(digits)) {
    return BigInt(digits);
  }
  return fail(ErrorReason.INVALID_ARGUMENT, "page_token is not one this server issued", {
    field: "page_token",
  });
}

function pageSizeOf(requested: number): number {
  return requested === 0 ? LIMITS.defaultPageSize : Math.min(requested, LIMITS.maxPageSize);
}

export class Partition {
  status = PartitionStatus.READ_WRITE;
  /** The next id CreateInode hands out. */
  nextId: bigint;
  /** The tx id of the last rename transaction folded into the base state. */
  foldedTxId = 0n;
  pending: PendingTx | null = null;
  /** The index of the last log entry applied to this partition. */
  appliedIndex = 0n;
  /** Inodes by key (inode id − start). */
  readonly inodes = new Map<number, InodeRecord>();
  readonly dentries = new DentryTable();
  readonly trash = new Trash();

  constructor(readonly config: PartitionConfig) {
    this.nextId = config.start > FIRST_FREE_ID ? config.start : FIRST_FREE_ID;
  }

  // --- addressing and status ---

  private checkFs(fsId: number): void {
    if (fsId !== this.config.fsId) {
      fail(ErrorReason.PARTITION_MISMATCH, `partition belongs to fs ${this.config.fsId}`, {
        fs_id: String(fsId),
      });
    }
  }

  /** The key of an inode id of this partition's range; PARTITION_MISMATCH outside it. */
  private keyOf(inodeId: bigint): number {
    if (inodeId < this.config.start || inodeId > this.config.end) {
      fail(ErrorReason.PARTITION_MISMATCH, `inode ${inodeId} is outside the partition's range`, {
        inode_id: String(inodeId),
        start: String(this.config.start),
        end: String(this.config.end),
      });
    }
    // Existing ids are below nextId, so their offsets are small; an offset beyond 2^53 cannot
    // name an existing inode and maps to a key that is never used.
    const offset = inodeId - this.config.start;
    return offset > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(offset);
  }

  private idOf(key: number): bigint {
    return this.config.start + BigInt(key);
  }

  private checkNotDeleting(): void {
    if (this.status === PartitionStatus.DELETING) {
      fail(ErrorReason.PARTITION_DELETING, `partition ${this.config.partitionId} is being deleted`);
    }
  }

  /** The checks every partition-scoped RPC starts with: fs id, routed id range, status. */
  private enter(fsId: number, routedId?: bigint): number {
    this.checkFs(fsId);
    const key = routedId === undefined ? -1 : this.keyOf(routedId);
    this.checkNotDeleting();
    return key;
  }

  private inodeAt(key: number, inodeId: bigint): InodeRecord {
    const inode = this.inodes.get(key);
    if (inode === undefined) {
      fail(ErrorReason.INODE_NOT_FOUND, `inode ${inodeId} not found`, {
        inode_id: String(inodeId),
      });
    }
    return inode;
  }

  private attr(key: number, inode: InodeRecord): InodeAttr {
    return toAttr(inode, this.idOf(key), this.config.fsId);
  }

  /** The partition as reported (CreatePartitionResponse, heartbeats). */
  info(): PartitionInfo {
    const c = this.config;
    return create(PartitionInfoSchema, {
      fsId: c.fsId,
      poolId: c.poolId,
      copysetId: c.copysetId,
      partitionId: c.partitionId,
      start: c.start,
      end: c.end,
      txId: this.foldedTxId,
      nextId: this.nextId,
      status: this.status,
      inodeCount: BigInt(this.inodes.size),
      dentryCount: BigInt(this.dentries.size),
    });
  }

  // --- apply ---

  /**
   * Applies one log entry. Returns undefined when `logIndex` was already applied (replay after
   * a restart: a no-op), else the response or the error of the RPC.
   */
  apply(op: Op, logIndex: bigint): ApplyResult | undefined {
    if (logIndex <= this.appliedIndex) return undefined;
    this.appliedIndex = logIndex;
    try {
      return this.dispatch(op);
    } catch (error) {
      if (error instanceof CurveError) return error;
      throw error;
    }
  }

  private dispatch(op: Op): Message {
    switch (op.type) {
      case OpType.CREATE_DENTRY:
        return this.createDentry(op.request);
      case OpType.DELETE_DENTRY:
        return this.deleteDentry(op.request);
      case OpType.PREPARE_RENAME_TX:
        return this.prepareRenameTx(op.request);
      case OpType.CREATE_INODE:
        return this.createInode(op.request);
      case OpType.UPDATE_INODE:
        return this.updateInode(op.request);
      case OpType.DELETE_INODE:
        return this.deleteInode(op.request);
      case OpType.CREATE_ROOT_INODE:
        return this.createRootInode(op.request);
      case OpType.CREATE_MANAGE_INODE:
        return this.createManageInode(op.request);
      case OpType.APPEND_S3_CHUNK_INFO:
        return this.appendS3ChunkInfo(op.request);
      case OpType.UPDATE_VOLUME_EXTENT:
        return this.updateVolumeExtent(op.request);
      case OpType.TRASH_PURGE_INODE:
        return this.purgeInode(op.request.fsId, op.request.inodeId, false);
      case OpType.PARTITION_CLEANUP_INODE:
        return this.purgeInode(op.request.fsId, op.request.inodeId, true);
      case OpType.CREATE_PARTITION:
      case OpType.DELETE_PARTITION:
      case OpType.PARTITION_REMOVE:
        return fail(ErrorReason.INTERNAL, `op type ${op.type} is applied by the copyset`);
    }
  }

  // --- rename transactions ---

  /** Folds the pending transaction into the base state if `requestTxId` shows it committed. */
  private foldIfCommitted(requestTxId: bigint): void {
    if (isVisible(this.pending, requestTxId)) this.fold();
  }

  private fold(): void {
    const pending = this.pending;
    if (pending === null) return;
    for (const e of pending.entries) {
      if (e.action === RenameTxAction.PUT) {
        this.dentries.set(e.parentKey, e.name, {
          inodeId: e.inodeId,
          type: e.type,
          txId: pending.txId,
        });
      } else {
        this.dentries.delete(e.parentKey, e.name);
      }
    }
    this.foldedTxId = pending.txId;
    this.pending = null;
  }

  /** TX_CONFLICT when (parent, name) is part of the pending transaction (not visible here). */
  private checkNotInPendingTx(parentKey: number, name: string): void {
    if (entryFor(this.pending, parentKey, name) !== undefined) {
      fail(
        ErrorReason.TX_CONFLICT,
        `"${name}" is part of the pending rename transaction ${this.pending?.txId}`,
        { name, pending_tx_id: String(this.pending?.txId) },
      );
    }
  }

  /** The dentry (parent, name) as visible at `requestTxId`. */
  private visibleDentry(
    parentKey: number,
    name: string,
    requestTxId: bigint,
  ): DentryValue | undefined {
    if (isVisible(this.pending, requestTxId)) {
      const e = entryFor(this.pending, parentKey, name);
      if (e !== undefined) {
        return e.action === RenameTxAction.PUT
          ? { inodeId: e.inodeId, type: e.type, txId: this.pending.txId }
          : undefined;
      }
    }
    return this.dentries.get(parentKey, name);
  }

  private checkDirectoryParent(key: number, parentId: bigint): InodeRecord {
    const parent = this.inodeAt(key, parentId);
    if (parent.type !== FileType.DIRECTORY) {
      fail(ErrorReason.INODE_TYPE_MISMATCH, `inode ${parentId} is not a directory`, {
        inode_id: String(parentId),
      });
    }
    if (parent.nlink === 0) {
      fail(ErrorReason.INODE_IN_TRASH, `directory ${parentId} was removed`, {
        inode_id: String(parentId),
      });
    }
    return parent;
  }

  private dentry(parentId: bigint, name: string, value: DentryValue): Dentry {
    return create(DentrySchema, {
      fsId: this.config.fsId,
      parentInodeId: parentId,
      name,
      inodeId: value.inodeId,
      type: value.type,
      txId: value.txId,
    });
  }

  // --- dentry writes ---

  private createDentry(r: CreateDentryRequest): CreateDentryResponse {
    const key = this.enter(r.fsId, r.parentInodeId);
    this.foldIfCommitted(r.txId);
    const parent = this.checkDirectoryParent(key, r.parentInodeId);
    this.checkNotInPendingTx(key, r.name);
    const existing = this.dentries.get(key, r.name);
    if (existing !== undefined) {
      if (existing.inodeId === r.inodeId && existing.type === r.type) {
        return create(CreateDentryResponseSchema, {
          dentry: this.dentry(r.parentInodeId, r.name, existing),
          parent: this.attr(key, parent),
        });
      }
      fail(ErrorReason.DENTRY_ALREADY_EXISTS, `"${r.name}" already exists`, {
        name: r.name,
        inode_id: String(existing.inodeId),
      });
    }
    const value: DentryValue = { inodeId: r.inodeId, type: r.type, txId: 0n };
    this.dentries.set(key, r.name, value);
    const time = storedTime(r.time);
    parent.mtimeSeconds = parent.ctimeSeconds = time.seconds;
    parent.mtimeNanos = parent.ctimeNanos = time.nanos;
    if (r.type === FileType.DIRECTORY) parent.nlink++;
    return create(CreateDentryResponseSchema, {
      dentry: this.dentry(r.parentInodeId, r.name, value),
      parent: this.attr(key, parent),
    });
  }

  private deleteDentry(r: DeleteDentryRequest): DeleteDentryResponse {
    const key = this.enter(r.fsId, r.parentInodeId);
    this.foldIfCommitted(r.txId);
    this.checkNotInPendingTx(key, r.name);
    const existing = this.dentries.get(key, r.name);
    if (existing === undefined) {
      fail(ErrorReason.DENTRY_NOT_FOUND, `"${r.name}" not found`, { name: r.name });
    }
    this.dentries.delete(key, r.name);
    const parent = this.inodes.get(key);
    if (parent !== undefined) {
      const time = storedTime(r.time);
      parent.mtimeSeconds = parent.ctimeSeconds = time.seconds;
      parent.mtimeNanos = parent.ctimeNanos = time.nanos;
      // "never below 2": a live directory keeps its own two links; a removed one stays at 0.
      if (existing.type === FileType.DIRECTORY && parent.nlink > 2) parent.nlink--;
    }
    return create(DeleteDentryResponseSchema, {
      dentry: this.dentry(r.parentInodeId, r.name, existing),
      parent: parent === undefined ? undefined : this.attr(key, parent),
    });
  }

  private prepareRenameTx(r: PrepareRenameTxRequest): PrepareRenameTxResponse {
    this.checkFs(r.fsId);
    const entries: TxEntry[] = r.entries.map((e) => ({
      action: e.action,
      parentKey: this.keyOf(e.parentInodeId),
      parentInodeId: e.parentInodeId,
      name: e.name,
      inodeId: e.inodeId,
      type: e.type,
    }));
    this.checkNotDeleting();
    const decision = decidePrepare(this.pending, this.foldedTxId, r);
    if (decision === "repeat") return create(PrepareRenameTxResponseSchema);
    if (decision === "conflict") {
      fail(
        ErrorReason.TX_CONFLICT,
        `tx ${r.txId} (sequence ${r.txSequence}) conflicts with folded tx ${this.foldedTxId}` +
          ` and pending tx ${this.pending?.txId ?? "none"} (sequence ${this.pending?.txSequence ?? "none"})`,
        { tx_id: String(r.txId), folded_tx_id: String(this.foldedTxId) },
      );
    }
    if (decision === "fold") this.fold();
    for (const e of entries) {
      if (e.action === RenameTxAction.DELETE) {
        const existing = this.dentries.get(e.parentKey, e.name);
        if (existing === undefined) {
          fail(ErrorReason.DENTRY_NOT_FOUND, `"${e.name}" not found`, { name: e.name });
        }
        if (existing.inodeId !== e.inodeId || existing.type !== e.type) {
          fail(ErrorReason.TX_CONFLICT, `"${e.name}" now refers to inode ${existing.inodeId}`, {
            name: e.name,
            inode_id: String(existing.inodeId),
          });
        }
      } else {
        this.checkDirectoryParent(e.parentKey, e.parentInodeId);
      }
    }
    // "replace" drops the uncommitted pending transaction: it is rolled back.
    this.pending =
      entries.length === 0 ? null : { txId: r.txId, txSequence: r.txSequence, entries };
    return create(PrepareRenameTxResponseSchema);
  }

  // --- inode writes ---

  private createInode(r: CreateInodeRequest): CreateInodeResponse {
    this.enter(r.fsId);
    if (this.status === PartitionStatus.READ_ONLY) {
      fail(ErrorReason.PARTITION_READ_ONLY, `partition ${this.config.partitionId} has no free id`);
    }
    const xattrs = Object.entries(r.xattrs);
    if (xattrBytes(xattrs) > LIMITS.xattrBytes) {
      fail(ErrorReason.TOO_LARGE, "xattrs exceed 65536 bytes of names plus values", {
        field: "xattrs",
      });
    }
    const id = this.nextId;
    const key = this.keyOf(id);
    const inode = newInode(r.type, r.mode, r.uid, r.gid, storedTime(r.time));
    if (r.type === FileType.SYMLINK) inode.length = Buffer.byteLength(r.symlinkTarget, "utf8");
    inode.parentIds = [r.parentInodeId];
    if (r.rdev !== 0n || r.symlinkTarget !== "" || xattrs.length > 0) {
      const extra = inode.ensureExtra();
      extra.rdev = r.rdev;
      extra.symlinkTarget = r.symlinkTarget;
      if (xattrs.length > 0) extra.xattrs = new Map(xattrs);
    }
    this.inodes.set(key, inode);
    this.nextId = id + 1n;
    // The call that hands out the last id succeeds and turns the partition read-only.
    if (id >= this.config.end) this.status = PartitionStatus.READ_ONLY;
    return create(CreateInodeResponseSchema, { attr: this.attr(key, inode) });
  }

  private updateInode(r: UpdateInodeRequest): UpdateInodeResponse {
    const key = this.enter(r.fsId, r.inodeId);
    const inode = this.inodeAt(key, r.inodeId);
    if (r.nlink !== undefined && r.nlink > 0 && inode.nlink === 0) {
      fail(ErrorReason.INODE_IN_TRASH, `inode ${r.inodeId} is in the trash`, {
        inode_id: String(r.inodeId),
      });
    }
    const appended = this.checkS3Appends(inode, r.inodeId, r.s3ChunkInfoAppends);
    if (
      r.xattrs !== undefined &&
      xattrBytes(Object.entries(r.xattrs.entries)) > LIMITS.xattrBytes
    ) {
      fail(ErrorReason.TOO_LARGE, "xattrs exceed 65536 bytes of names plus values", {
        field: "xattrs",
      });
    }
    // Every check passed: change exactly the attributes present.
    if (r.length !== undefined) inode.length = storeU64(r.length);
    if (r.mode !== undefined) inode.mode = r.mode;
    if (r.uid !== undefined) inode.uid = r.uid;
    if (r.gid !== undefined) inode.gid = r.gid;
    if (r.atime !== undefined) {
      inode.atimeSeconds = Number(r.atime.seconds);
      inode.atimeNanos = r.atime.nanos;
    }
    if (r.mtime !== undefined) {
      inode.mtimeSeconds = Number(r.mtime.seconds);
      inode.mtimeNanos = r.mtime.nanos;
    }
    if (r.ctime !== undefined) {
      inode.ctimeSeconds = Number(r.ctime.seconds);
      inode.ctimeNanos = r.ctime.nanos;
    }
    if (r.xattrs !== undefined) {
      const entries = Object.entries(r.xattrs.entries);
      if (entries.length > 0) inode.ensureExtra().xattrs = new Map(entries);
      else if (inode.extra !== null) inode.extra.xattrs = null;
    }
    if (r.parents !== undefined) inode.parentIds = r.parents.inodeIds;
    if (r.nlink !== undefined && r.nlink !== inode.nlink) {
      if (r.nlink === 0) {
        inode.ensureExtra().dtime = storedTime(r.time);
        this.trash.add(key);
      }
      inode.nlink = r.nlink;
    }
    if (appended > 0) this.appendS3(inode, r.s3ChunkInfoAppends);
    return create(UpdateInodeResponseSchema, { attr: this.attr(key, inode) });
  }

  /**
   * Checks S3 chunk-info appends against the inode and returns how many infos are new (chunk
   * ids not yet appended to their index). Changes nothing.
   */
  private checkS3Appends(
    inode: InodeRecord,
    inodeId: bigint,
    appends: readonly S3ChunkInfoAppend[],
  ): number {
    if (appends.length === 0) return 0;
    if (this.config.fsType !== FsType.S3) {
      fail(ErrorReason.FS_TYPE_MISMATCH, "chunk infos need an S3 file system");
    }
    if (inode.type !== FileType.REGULAR) {
      fail(ErrorReason.INODE_TYPE_MISMATCH, `inode ${inodeId} is not a regular file`, {
        inode_id: String(inodeId),
      });
    }
    const s3 = inode.extra?.s3;
    let fresh = 0;
    for (const a of appends) {
      const known = s3?.get(a.chunkIndex)?.chunkIds;
      for (const info of a.infos) if (!known?.has(info.chunkId)) fresh++;
    }
    if (inode.s3Count + fresh > LIMITS.s3ChunkInfosPerInode) {
      fail(
        ErrorReason.S3_CHUNK_INFO_TOO_LARGE,
        `inode ${inodeId} would hold ${inode.s3Count + fresh} chunk infos (at most 100000)`,
        { inode_id: String(inodeId) },
      );
    }
    return fresh;
  }

  /** Appends infos whose chunk id is new to their index (after checkS3Appends). */
  private appendS3(inode: InodeRecord, appends: readonly S3ChunkInfoAppend[]): void {
    const extra = inode.ensureExtra();
    if (extra.s3 === null) extra.s3 = new Map();
    for (const a of appends) {
      let list = extra.s3.get(a.chunkIndex);
      for (const info of a.infos) {
        if (list?.chunkIds.has(info.chunkId)) continue;
        if (list === undefined) {
          list = { infos: [], chunkIds: new Set() };
          extra.s3.set(a.chunkIndex, list);
        }
        list.infos.push(info);
        list.chunkIds.add(info.chunkId);
        extra.s3Count++;
      }
    }
  }

  private deleteInode(r: DeleteInodeRequest): DeleteInodeResponse {
    const key = this.enter(r.fsId, r.inodeId);
    if (r.inodeId === ROOT_INODE_ID || r.inodeId === RECYCLE_INODE_ID) {
      fail(ErrorReason.INVALID_ARGUMENT, "the root and recycle inodes cannot be deleted", {
        field: "inode_id",
      });
    }
    this.removeInode(key);
    return create(DeleteInodeResponseSchema);
  }

  private removeInode(key: number): void {
    this.inodes.delete(key);
    this.trash.delete(key);
  }

  /**
   * TRASH_PURGE_INODE (`anyNlink` false): removes the inode if it is in the trash, on any
   * partition status; PARTITION_CLEANUP_INODE (`anyNlink` true): removes it whatever its nlink,
   * on a DELETING partition only. Both are no-ops when the inode is gone.
   */
  private purgeInode(fsId: number, inodeId: bigint, anyNlink: boolean): DeleteInodeResponse {
    this.checkFs(fsId);
    const key = this.keyOf(inodeId);
    if (anyNlink && this.status !== PartitionStatus.DELETING) {
      fail(ErrorReason.INTERNAL, "partition cleanup on a partition that is not being deleted");
    }
    const inode = this.inodes.get(key);
    if (inode !== undefined && (anyNlink || inode.nlink === 0)) this.removeInode(key);
    return create(DeleteInodeResponseSchema);
  }

  private createReserved(
    fsId: number,
    inodeId: bigint,
    mode: number,
    uid: number,
    gid: number,
    parents: bigint[],
    time: Timestamp | undefined,
  ): InodeAttr {
    const key = this.enter(fsId, inodeId);
    const existing = this.inodes.get(key);
    if (existing !== undefined) {
      if (
        existing.type === FileType.DIRECTORY &&
        existing.uid === uid &&
        existing.gid === gid &&
        existing.mode === mode
      ) {
        return this.attr(key, existing);
      }
      fail(ErrorReason.INODE_ALREADY_EXISTS, `inode ${inodeId} exists with other attributes`, {
        inode_id: String(inodeId),
      });
    }
    const inode = newInode(FileType.DIRECTORY, mode, uid, gid, storedTime(time));
    inode.parentIds = parents;
    this.inodes.set(key, inode);
    return this.attr(key, inode);
  }

  private createRootInode(r: CreateRootInodeRequest): CreateRootInodeResponse {
    const attr = this.createReserved(r.fsId, ROOT_INODE_ID, r.mode, r.uid, r.gid, [], r.time);
    return create(CreateRootInodeResponseSchema, { attr });
  }

  private createManageInode(r: CreateManageInodeRequest): CreateManageInodeResponse {
    if (r.manageType !== ManageInodeType.RECYCLE) {
      fail(ErrorReason.INVALID_ARGUMENT, `unknown manage type ${r.manageType}`, {
        field: "manage_type",
      });
    }
    const attr = this.createReserved(
      r.fsId,
      RECYCLE_INODE_ID,
      r.mode,
      r.uid,
      r.gid,
      [ROOT_INODE_ID],
      r.time,
    );
    return create(CreateManageInodeResponseSchema, { attr });
  }

  private appendS3ChunkInfo(r: AppendS3ChunkInfoRequest): AppendS3ChunkInfoResponse {
    const key = this.enter(r.fsId, r.inodeId);
    const inode = this.inodeAt(key, r.inodeId);
    const appendedCount = this.checkS3Appends(inode, r.inodeId, r.appends);
    if (appendedCount > 0) this.appendS3(inode, r.appends);
    const s3ChunkInfos: Record<string, S3ChunkInfoList> = {};
    if (r.returnChunkInfos) {
      for (const a of r.appends) {
        const list = inode.extra?.s3?.get(a.chunkIndex);
        if (list !== undefined) s3ChunkInfos[a.chunkIndex.toString()] = toChunkInfoList(list);
      }
    }
    return create(AppendS3ChunkInfoResponseSchema, { s3ChunkInfos, appendedCount });
  }

  private checkVolumeFile(inode: InodeRecord, inodeId: bigint, needRegular: boolean): void {
    if (this.config.fsType !== FsType.VOLUME) {
      fail(ErrorReason.FS_TYPE_MISMATCH, "volume extents need a VOLUME file system");
    }
    if (needRegular && inode.type !== FileType.REGULAR) {
      fail(ErrorReason.INODE_TYPE_MISMATCH, `inode ${inodeId} is not a regular file`, {
        inode_id: String(inodeId),
      });
    }
  }

  private updateVolumeExtent(r: UpdateVolumeExtentRequest): UpdateVolumeExtentResponse {
    const key = this.enter(r.fsId, r.inodeId);
    const inode = this.inodeAt(key, r.inodeId);
    this.checkVolumeFile(inode, r.inodeId, true);
    const extents = recordExtents(inode.extra?.extents ?? [], r.extents);
    if (extents.length > LIMITS.volumeExtentsPerInode) {
      fail(ErrorReason.TOO_LARGE, `inode ${r.inodeId} would hold more than 1000000 extents`, {
        inode_id: String(r.inodeId),
      });
    }
    inode.ensureExtra().extents = extents;
    return create(UpdateVolumeExtentResponseSchema);
  }

  // --- partition lifecycle (driven by the copyset) ---

  /** No inode and no dentry. */
  get isEmpty(): boolean {
    return this.inodes.size === 0 && this.dentries.size === 0;
  }

  /** DeletePartition on a non-empty partition: turn DELETING and drop the dentries at once. */
  beginDeletion(): void {
    this.status = PartitionStatus.DELETING;
    this.dentries.clear();
    this.pending = null;
  }

  /** The inode ids left to clean up, ascending, at most `limit` (for the background task). */
  inodeIds(limit: number): bigint[] {
    return [...this.inodes.keys()]
      .sort((a, b) => a - b)
      .slice(0, limit)
      .map((k) => this.idOf(k));
  }

  /**
   * The inodes in the trash by ascending id, each with its dtime in wall-clock milliseconds (0
   * when unset). Cheap: the trash task lists the whole trash at every pass.
   */
  trashEntries(): { inodeId: bigint; dtimeMs: number }[] {
    return this.trash.sortedKeys().map((k) => {
      const dtime = this.inodes.get(k)?.extra?.dtime;
      const dtimeMs = dtime ? dtime.seconds * 1000 + Math.floor(dtime.nanos / 1e6) : 0;
      return { inodeId: this.idOf(k), dtimeMs };
    });
  }

  /**
   * An inode of the trash with its S3 chunk infos and how many volume extents it holds;
   * undefined when it is not in the trash (gone meanwhile). For the trash task.
   */
  trashedInode(inodeId: bigint): { inode: Inode; volumeExtents: number } | undefined {
    const key = this.keyOf(inodeId);
    const record = this.trash.has(key) ? this.inodes.get(key) : undefined;
    if (record === undefined) return undefined;
    return {
      inode: toInode(record, inodeId, this.config.fsId),
      volumeExtents: record.extra?.extents?.length ?? 0,
    };
  }

  // --- reads ---

  getDentry(r: GetDentryRequest): GetDentryResponse {
    const key = this.enter(r.fsId, r.parentInodeId);
    const value = this.visibleDentry(key, r.name, r.txId);
    if (value === undefined) {
      fail(ErrorReason.DENTRY_NOT_FOUND, `"${r.name}" not found`, { name: r.name });
    }
    return create(GetDentryResponseSchema, { dentry: this.dentry(r.parentInodeId, r.name, value) });
  }

  listDentry(r: ListDentryRequest): ListDentryResponse {
    const key = this.enter(r.fsId, r.parentInodeId);
    const after = r.pageToken === "" ? undefined : tokenName(r.pageToken);
    const pageSize = pageSizeOf(r.pageSize);
    const dentries: Dentry[] = [];
    let visited = 0;
    let last = "";
    let more = false;
    for (const [name, value] of this.visibleEntries(key, after, r.txId)) {
      if (visited === pageSize) {
        more = true;
        break;
      }
      visited++;
      last = name;
      if (!r.directoriesOnly || value.type === FileType.DIRECTORY) {
        dentries.push(this.dentry(r.parentInodeId, name, value));
      }
    }
    return create(ListDentryResponseSchema, {
      dentries,
      nextPageToken: more ? nameToken(last) : "",
    });
  }

  /** The entries of a directory visible at `requestTxId`, in byte order, after `after`. */
  private *visibleEntries(
    parentKey: number,
    after: string | undefined,
    requestTxId: bigint,
  ): Generator<[string, DentryValue]> {
    const names = this.dentries.sortedNames(parentKey);
    let i = after === undefined ? 0 : firstIndexAfter(names, after);
    const pending = isVisible(this.pending, requestTxId) ? this.pending : null;
    const overlay = (pending?.entries ?? []).filter((e) => e.parentKey === parentKey);
    const puts = overlay
      .filter(
        (e) =>
          e.action === RenameTxAction.PUT &&
          (after === undefined || compareNames(e.name, after) > 0),
      )
      .sort((a, b) => compareNames(a.name, b.name));
    const deleted = new Set(
      overlay.filter((e) => e.action === RenameTxAction.DELETE).map((e) => e.name),
    );
    let j = 0;
    while (i < names.length || j < puts.length) {
      const order =
        i >= names.length ? 1 : j >= puts.length ? -1 : compareNames(names[i], puts[j].name);
      if (order < 0) {
        const name = names[i++];
        if (deleted.has(name)) continue;
        yield [name, this.dentries.get(parentKey, name) as DentryValue];
      } else {
        const put = puts[j++];
        if (order === 0) i++;
        yield [put.name, { inodeId: put.inodeId, type: put.type, txId: pending?.txId ?? 0n }];
      }
    }
  }

  getInode(r: GetInodeRequest): GetInodeResponse {
    const key = this.enter(r.fsId, r.inodeId);
    const inode = this.inodeAt(key, r.inodeId);
    return create(GetInodeResponseSchema, {
      inode: toInode(inode, r.inodeId, this.config.fsId),
    });
  }

  batchGetInodeAttr(r: BatchGetInodeAttrRequest): BatchGetInodeAttrResponse {
    this.checkFs(r.fsId);
    const keys = r.inodeIds.map((id) => this.keyOf(id));
    this.checkNotDeleting();
    const response = create(BatchGetInodeAttrResponseSchema);
    let bytes = 0;
    for (let i = 0; i < keys.length; i++) {
      if (i > 0 && bytes > LIMITS.batchResponseBytes) {
        response.unprocessedInodeIds = r.inodeIds.slice(i);
        break;
      }
      const inode = this.inodes.get(keys[i]);
      if (inode === undefined) {
        response.missingInodeIds.push(r.inodeIds[i]);
        continue;
      }
      response.attrs.push(this.attr(keys[i], inode));
      bytes += estimatedAttrBytes(inode);
    }
    return response;
  }

  getVolumeExtent(r: GetVolumeExtentRequest): GetVolumeExtentResponse {
    const key = this.enter(r.fsId, r.inodeId);
    const inode = this.inodeAt(key, r.inodeId);
    this.checkVolumeFile(inode, r.inodeId, false);
    const afterOffset = r.pageToken === "" ? undefined : tokenOffset(r.pageToken);
    const pageSize = pageSizeOf(r.pageSize);
    const all = inode.extra?.extents ?? [];
    const end = r.length === 0n ? undefined : r.offset + r.length;
    let i = firstEndingAfter(all, r.offset);
    const extents: VolumeExtent[] = [];
    let more = false;
    for (; i < all.length; i++) {
      const e = all[i];
      if (end !== undefined && e.fileOffset >= end) break;
      if (afterOffset !== undefined && e.fileOffset <= afterOffset) continue;
      if (extents.length === pageSize) {
        more = true;
        break;
      }
      extents.push(create(VolumeExtentSchema, e));
    }
    const last = extents[extents.length - 1];
    return create(GetVolumeExtentResponseSchema, {
      extents,
      nextPageToken: more && last ? OFFSET_TOKEN_PREFIX + last.fileOffset.toString() : "",
    });
  }

  // --- snapshot ---

  /** Writes the whole partition (deterministic: keys ascending, names in byte order). */
  write(w: ByteWriter): void {
    const c = this.config;
    w.u32(c.fsId).u32(c.poolId).u32(c.copysetId).u32(c.partitionId);
    w.u64(c.start).u64(c.end).u8(c.fsType);
    w.u8(this.status).u64(this.nextId).u64(this.foldedTxId).u64(this.appliedIndex);
    writePendingTx(w, this.pending);
    const keys = [...this.inodes.keys()].sort((a, b) => a - b);
    w.u32(keys.length);
    for (const key of keys) {
      w.u64(key);
      writeInode(w, this.inodes.get(key) as InodeRecord);
    }
    this.dentries.write(w);
  }

  static read(r: ByteReader): Partition {
    const partition = new Partition({
      fsId: r.u32(),
      poolId: r.u32(),
      copysetId: r.u32(),
      partitionId: r.u32(),
      start: r.u64(),
      end: r.u64(),
      fsType: r.u8() as FsType,
    });
    partition.status = r.u8() as PartitionStatus;
    partition.nextId = r.u64();
    partition.foldedTxId = r.u64();
    partition.appliedIndex = r.u64();
    partition.pending = readPendingTx(r);
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const key = Number(r.u64());
      const inode = readInode(r);
      partition.inodes.set(key, inode);
      if (inode.nlink === 0) partition.trash.add(key);
    }
    partition.dentries.read(r);
    return partition;
  }
}

/** A cheap upper estimate of an InodeAttr's encoded size, for the batch response cap. */
function estimatedAttrBytes(inode: InodeRecord): number {
  const extra = inode.extra;
  let bytes = 128;
  if (Array.isArray(inode.parents)) bytes += inode.parents.length * 10;
  if (extra !== null) {
    bytes += extra.symlinkTarget.length * 3;
    if (extra.xattrs) bytes += xattrBytes(extra.xattrs) + extra.xattrs.size * 8;
  }
  return bytes;
}

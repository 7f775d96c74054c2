/**
 * The metadata operations of one mounted fs, on inode ids (curve-protos §7.8 for the flows):
 * lookups, attribute reads, creating and linking nodes, removing entries, updating inodes.
 * Path handling lives in file-system.ts; rename transactions in rename.ts.
 *
 * Every dentry call carries the client's latest known committed tx id of the parent's
 * partition (metaserver.proto, "Rename transactions"). A write that meets another client's
 * newer pending rename (`aborted` TX_CONFLICT) makes the client re-read the tx ids from the MDS
 * and try again, as the spec asks.
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Timestamp, timestampNow } from "@bufbuild/protobuf/wkt";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  type Dentry,
  FileType,
  type Inode,
  type InodeAttr,
} from "../gen/curve/metaserver/v1/inode_pb.js";
import type { UpdateInodeRequestSchema } from "../gen/curve/metaserver/v1/metaserver_pb.js";
import { reasonOf } from "./client-error.js";
import type { MdsCaller } from "./mds-caller.js";
import type { PartitionCaller } from "./partition-caller.js";
import type { PartitionEntry } from "./routing-cache.js";

/** The attributes UpdateInode may set (ids and `time` are filled in here). */
export type InodeChanges = Omit<
  MessageInitShape<typeof UpdateInodeRequestSchema>,
  "fsId" | "partitionId" | "inodeId" | "time" | "$typeName"
>;

/** What a new node gets. */
export interface NodeInit {
  readonly type: FileType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly symlinkTarget?: string;
}

/** How many READ_WRITE partitions to ask for when none is left (Curve's client asks for 3). */
const NEW_PARTITIONS = 3;
/** Rounds of "pick a partition, find it read-only" before giving up. */
const MAX_PARTITION_PICKS = 16;
/** Retries of a dentry write after TX_CONFLICT (each after re-reading the tx ids). */
const MAX_TX_CONFLICT_RETRIES = 5;
/** BatchGetInodeAttr's limit on ids per call. */
const BATCH_ATTR_LIMIT = 1000;

export class Namespace {
  constructor(
    readonly fsId: number,
    readonly partitions: PartitionCaller,
    private readonly mds: MdsCaller,
    private readonly now: () => Timestamp = timestampNow,
  ) {}

  /** The entry `name` of directory `parent`. @throws DENTRY_NOT_FOUND */
  async lookup(parent: bigint, name: string): Promise<Dentry> {
    const partition = await this.partitions.partitionOf(parent);
    const response = await this.partitions.call(
      partition,
      (client, timeoutMs) =>
        client.getDentry(
          {
            fsId: this.fsId,
            partitionId: partition.partitionId,
            parentInodeId: parent,
            name,
            txId: partition.txId,
          },
          { timeoutMs },
        ),
      true,
    );
    return required(response.dentry, "GetDentry");
  }

  /** The entry `name` of directory `parent`, or undefined when there is none. */
  async find(parent: bigint, name: string): Promise<Dentry | undefined> {
    try {
      return await this.lookup(parent, name);
    } catch (error) {
      if (reasonOf(error) === ErrorReason.DENTRY_NOT_FOUND) return undefined;
      throw error;
    }
  }

  /** An inode with its S3 chunk infos. */
  async getInode(inodeId: bigint): Promise<Inode> {
    const partition = await this.partitions.partitionOf(inodeId);
    const response = await this.partitions.call(
      partition,
      (client, timeoutMs) =>
        client.getInode(
          { fsId: this.fsId, partitionId: partition.partitionId, inodeId },
          { timeoutMs },
        ),
      true,
    );
    return required(response.inode, "GetInode");
  }

  /** An inode's attributes without its data map. @throws INODE_NOT_FOUND */
  async getAttr(inodeId: bigint): Promise<InodeAttr> {
    const attr = (await this.attrs([inodeId])).get(inodeId);
    if (attr === undefined) {
      throw new CurveError(ErrorReason.INODE_NOT_FOUND, `inode ${inodeId} does not exist`);
    }
    return attr;
  }

  /** The attributes of the ids that exist, grouped into BatchGetInodeAttr calls per partition. */
  async attrs(inodeIds: readonly bigint[]): Promise<Map<bigint, InodeAttr>> {
    const byPartition = new Map<number, { partition: PartitionEntry; ids: bigint[] }>();
    for (const id of new Set(inodeIds)) {
      const partition = await this.partitions.partitionOf(id);
      let group = byPartition.get(partition.partitionId);
      if (group === undefined) {
        group = { partition, ids: [] };
        byPartition.set(partition.partitionId, group);
      }
      group.ids.push(id);
    }
    const found = new Map<bigint, InodeAttr>();
    await Promise.all(
      [...byPartition.values()].map(async ({ partition, ids }) => {
        let pending = ids;
        while (pending.length > 0) {
          const batch = pending.slice(0, BATCH_ATTR_LIMIT);
          const response = await this.partitions.call(
            partition,
            (client, timeoutMs) =>
              client.batchGetInodeAttr(
                { fsId: this.fsId, partitionId: partition.partitionId, inodeIds: batch },
                { timeoutMs },
              ),
            true,
          );
          for (const attr of response.attrs) found.set(attr.inodeId, attr);
          // The server may stop at its size cap; it names what it skipped.
          pending = [...response.unprocessedInodeIds, ...pending.slice(batch.length)];
        }
      }),
    );
    return found;
  }

  /** One page of directory `parent`'s entries, in name order. */
  async listPage(
    parent: bigint,
    pageToken: string,
    pageSize: number,
    txId?: bigint,
  ): Promise<{ dentries: Dentry[]; nextPageToken: string; txId: bigint }> {
    const partition = await this.partitions.partitionOf(parent);
    // One listing reads one version of the directory: the tx id of its first page.
    const pinned = txId ?? partition.txId;
    const response = await this.partitions.call(
      partition,
      (client, timeoutMs) =>
        client.listDentry(
          {
            fsId: this.fsId,
            partitionId: partition.partitionId,
            parentInodeId: parent,
            txId: pinned,
            pageSize,
            pageToken,
          },
          { timeoutMs },
        ),
      true,
    );
    return { dentries: response.dentries, nextPageToken: response.nextPageToken, txId: pinned };
  }

  /** Whether directory `dir` has any entry. */
  async hasEntries(dir: bigint): Promise<boolean> {
    return (await this.listPage(dir, "", 1)).dentries.length > 0;
  }

  /**
   * Creates a node and links it as `name` in `parent`: CreateInode in a READ_WRITE partition,
   * then CreateDentry in the parent's partition; if linking fails, the new inode is deleted
   * again so that no orphan is left (curve-protos §7.8).
   */
  async createNode(parent: bigint, name: string, init: NodeInit): Promise<InodeAttr> {
    const attr = await this.#createInode(parent, init);
    try {
      await this.createDentry(parent, name, attr.inodeId, init.type);
    } catch (error) {
      await this.deleteInode(attr.inodeId).catch(() => undefined);
      throw error;
    }
    return attr;
  }

  /** Links `inodeId` as `name` in `parent` (idempotent for the same inode and type). */
  async createDentry(parent: bigint, name: string, inodeId: bigint, type: FileType): Promise<void> {
    await this.#onParent(parent, (partition) =>
      this.partitions.call(
        partition,
        (client, timeoutMs) =>
          client.createDentry(
            {
              fsId: this.fsId,
              partitionId: partition.partitionId,
              parentInodeId: parent,
              name,
              inodeId,
              type,
              time: this.now(),
              txId: partition.txId,
            },
            { timeoutMs },
          ),
        true,
      ),
    );
  }

  /**
   * Removes the entry `expected` (found by a lookup just before). DeleteDentry is not
   * idempotent: when a retried attempt finds the entry gone, the first attempt removed it.
   */
  async deleteDentry(expected: Dentry): Promise<void> {
    await this.#onParent(expected.parentInodeId, async (partition) => {
      const trace = { retried: false };
      try {
        await this.partitions.call(
          partition,
          (client, timeoutMs) =>
            client.deleteDentry(
              {
                fsId: this.fsId,
                partitionId: partition.partitionId,
                parentInodeId: expected.parentInodeId,
                name: expected.name,
                time: this.now(),
                txId: partition.txId,
              },
              { timeoutMs },
            ),
          false,
          trace,
        );
      } catch (error) {
        if (!(trace.retried && reasonOf(error) === ErrorReason.DENTRY_NOT_FOUND)) throw error;
      }
    });
  }

  /** Sets the attributes in `changes` on `inodeId`, stamped with the client's time. */
  async updateInode(inodeId: bigint, changes: InodeChanges): Promise<InodeAttr> {
    const partition = await this.partitions.partitionOf(inodeId);
    const response = await this.partitions.call(
      partition,
      (client, timeoutMs) =>
        client.updateInode(
          {
            ...changes,
            fsId: this.fsId,
            partitionId: partition.partitionId,
            inodeId,
            time: this.now(),
          },
          { timeoutMs },
        ),
      true,
    );
    return required(response.attr, "UpdateInode");
  }

  /** Deletes an inode record (not its data). OK when it is already gone. */
  async deleteInode(inodeId: bigint): Promise<void> {
    const partition = await this.partitions.partitionOf(inodeId);
    await this.partitions.call(
      partition,
      (client, timeoutMs) =>
        client.deleteInode(
          { fsId: this.fsId, partitionId: partition.partitionId, inodeId },
          { timeoutMs },
        ),
      true,
    );
  }

  /**
   * Takes one link away from `attr`'s inode after its entry was removed. At nlink 0 the inode
   * enters its partition's trash, whose task deletes its data and then the inode. A directory
   * loses both of its own links at once.
   */
  async dropLink(attr: InodeAttr): Promise<InodeAttr> {
    const nlink = attr.type === FileType.DIRECTORY ? 0 : Math.max(0, attr.nlink - 1);
    return this.updateInode(attr.inodeId, { nlink, ctime: this.now() });
  }

  /** Re-reads every partition's committed tx id from the MDS (GetLatestTxId without lock). */
  async refreshTxIds(): Promise<void> {
    const response = await this.mds.call(
      ({ mds }, timeoutMs) => mds.getLatestTxId({ fsId: this.fsId }, { timeoutMs }),
      true,
    );
    this.partitions.cache.learnTxIds(response.txIds);
  }

  /** The time stamped on the client's writes. */
  time(): Timestamp {
    return this.now();
  }

  async #onParent<T>(parent: bigint, write: (partition: PartitionEntry) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const partition = await this.partitions.partitionOf(parent);
      try {
        return await write(partition);
      } catch (error) {
        if (reasonOf(error) !== ErrorReason.TX_CONFLICT || attempt >= MAX_TX_CONFLICT_RETRIES) {
          throw error;
        }
        await this.refreshTxIds();
      }
    }
  }

  async #createInode(parent: bigint, init: NodeInit): Promise<InodeAttr> {
    const cache = this.partitions.cache;
    for (let pick = 0; pick < MAX_PARTITION_PICKS; pick++) {
      const partition = cache.pickWritable() ?? (await this.#addPartitions());
      try {
        const response = await this.partitions.call(
          partition,
          (client, timeoutMs) =>
            client.createInode(
              {
                fsId: this.fsId,
                partitionId: partition.partitionId,
                parentInodeId: parent,
                type: init.type,
                mode: init.mode,
                uid: init.uid,
                gid: init.gid,
                symlinkTarget: init.symlinkTarget ?? "",
                time: this.now(),
              },
              { timeoutMs },
            ),
          false,
        );
        return required(response.attr, "CreateInode");
      } catch (error) {
        if (reasonOf(error) !== ErrorReason.PARTITION_READ_ONLY) throw error;
        cache.markReadOnly(partition.partitionId);
      }
    }
    throw new CurveError(ErrorReason.NO_SPACE, "no partition accepts new inodes");
  }

  /** Asks the MDS for READ_WRITE partitions, telling it which ones we found read-only. */
  async #addPartitions(): Promise<PartitionEntry> {
    const cache = this.partitions.cache;
    const response = await this.mds.call(
      ({ topology }, timeoutMs) =>
        topology.createPartitions(
          { fsId: this.fsId, count: NEW_PARTITIONS, readOnlyPartitionIds: cache.readOnlyIds() },
          { timeoutMs },
        ),
      true,
    );
    cache.merge(response.partitions);
    const partition = cache.pickWritable();
    if (partition === undefined) {
      throw new CurveError(ErrorReason.NO_SPACE, "the MDS returned no writable partition");
    }
    return partition;
  }
}

function required<T>(value: T | undefined, rpc: string): T {
  if (value === undefined) {
    throw new CurveError(ErrorReason.INTERNAL, `${rpc} answered without its result`);
  }
  return value;
}

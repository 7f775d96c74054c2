/**
 * The metaserver's own services: MetaServerService (each call finds the copyset hosting its
 * partition on this server, then writes through Raft or reads linearizably on the leader) and
 * CopysetService (creating copyset replicas, describing them). Field rules are checked by the
 * validation interceptor before a handler runs; then the partition (or copyset) lookup, for
 * writes the copyset's pending-write cap (OVERLOADED), leadership (the node's NOT_LEADER /
 * LEADER_UNKNOWN), and the partition's own checks inside the state machine. The cap belongs to
 * a copyset, so it is checked once the lookup found one; a request that no copyset here hosts
 * cannot be overloaded, which keeps metaserver.proto's order (overload before lookup) as seen
 * by callers.
 */
import { create, type Message } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { CurveError } from "../errors.js";
import type { Peer } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  CopysetNodeResultSchema,
  CopysetService,
  type CreateCopysetNodeResponse,
  CreateCopysetNodeResponseSchema,
  GetCopysetStatusResponseSchema,
} from "../gen/curve/metaserver/v1/copyset_pb.js";
import {
  type AppendS3ChunkInfoResponse,
  type CreateDentryResponse,
  type CreateInodeResponse,
  type CreateManageInodeResponse,
  type CreatePartitionResponse,
  type CreateRootInodeResponse,
  type DeleteDentryResponse,
  type DeleteInodeResponse,
  type DeletePartitionResponse,
  MetaServerService,
  type PrepareRenameTxResponse,
  type UpdateInodeResponse,
  type UpdateVolumeExtentResponse,
} from "../gen/curve/metaserver/v1/metaserver_pb.js";
import type { NodeId } from "../raft/core/index.js";
import type { CopysetNode } from "./copyset-node.js";
import { type Op, OpType, op } from "./ops.js";

/**
 * The largest request MetaServerService and CopysetService read (metaserver.proto: "request
 * and response messages are at most 16 MiB"). Set per service, because the same port serves
 * RaftService with its larger limit (RAFT_READ_MAX_BYTES); a larger request is refused while it
 * is read, with `resource_exhausted`.
 */
export const METASERVER_READ_MAX_BYTES = 16 * 1024 * 1024;

/** Per-service handler options of the metaserver's own services. */
const SERVICE_OPTIONS = { readMaxBytes: METASERVER_READ_MAX_BYTES } as const;

/** What the handlers need of the server: its copysets, and creating them. */
export interface CopysetDirectory {
  /** This server's advertised "host:port". */
  readonly address: NodeId;
  /** The copyset whose applied state hosts the partition (any role). */
  byPartition(partitionId: number): CopysetNode | undefined;
  byCopyset(poolId: number, copysetId: number): CopysetNode | undefined;
  /**
   * Opens the replica with the bootstrap peers unless it exists or is being opened; resolves
   * true when this call opened it, after the replica is durably recorded for reopening at start.
   */
  open(poolId: number, copysetId: number, peers: readonly NodeId[]): Promise<boolean>;
}

/** Registers MetaServerService and CopysetService. `directory` is undefined while starting. */
export function registerMetaserverRoutes(
  router: ConnectRouter,
  directory: () => CopysetDirectory | undefined,
): void {
  const ready = (): CopysetDirectory => {
    const current = directory();
    if (current === undefined)
      throw new CurveError(ErrorReason.NOT_READY, "the metaserver is starting");
    return current;
  };
  const byPartition = (partitionId: number): CopysetNode => {
    const copyset = ready().byPartition(partitionId);
    if (copyset === undefined) {
      throw new CurveError(
        ErrorReason.PARTITION_NOT_FOUND,
        `no copyset on this server hosts partition ${partitionId}`,
        { metadata: { partition_id: String(partitionId) } },
      );
    }
    return copyset;
  };
  const byCopyset = (poolId: number, copysetId: number): CopysetNode => {
    const copyset = ready().byCopyset(poolId, copysetId);
    if (copyset === undefined) {
      throw new CurveError(
        ErrorReason.GROUP_NOT_FOUND,
        `this server hosts no copyset ${poolId}/${copysetId}`,
        { metadata: { pool_id: String(poolId), copyset_id: String(copysetId) } },
      );
    }
    return copyset;
  };
  /** A write routed by partition. */
  const write = <R extends Message>(partitionId: number, entry: Op): Promise<R> =>
    byPartition(partitionId).write<R>(entry);

  router.service(
    MetaServerService,
    {
      getDentry: (r) =>
        byPartition(r.partitionId).read((s) => s.partition(r.partitionId).getDentry(r)),
      listDentry: (r) =>
        byPartition(r.partitionId).read((s) => s.partition(r.partitionId).listDentry(r)),
      getInode: (r) =>
        byPartition(r.partitionId).read((s) => s.partition(r.partitionId).getInode(r)),
      batchGetInodeAttr: (r) =>
        byPartition(r.partitionId).read((s) => s.partition(r.partitionId).batchGetInodeAttr(r)),
      getVolumeExtent: (r) =>
        byPartition(r.partitionId).read((s) => s.partition(r.partitionId).getVolumeExtent(r)),
      createDentry: (r) => write<CreateDentryResponse>(r.partitionId, op(OpType.CREATE_DENTRY, r)),
      deleteDentry: (r) => write<DeleteDentryResponse>(r.partitionId, op(OpType.DELETE_DENTRY, r)),
      prepareRenameTx: (r) =>
        write<PrepareRenameTxResponse>(r.partitionId, op(OpType.PREPARE_RENAME_TX, r)),
      createInode: (r) => write<CreateInodeResponse>(r.partitionId, op(OpType.CREATE_INODE, r)),
      updateInode: (r) => write<UpdateInodeResponse>(r.partitionId, op(OpType.UPDATE_INODE, r)),
      deleteInode: (r) => write<DeleteInodeResponse>(r.partitionId, op(OpType.DELETE_INODE, r)),
      createRootInode: (r) =>
        write<CreateRootInodeResponse>(r.partitionId, op(OpType.CREATE_ROOT_INODE, r)),
      createManageInode: (r) =>
        write<CreateManageInodeResponse>(r.partitionId, op(OpType.CREATE_MANAGE_INODE, r)),
      appendS3ChunkInfo: (r) =>
        write<AppendS3ChunkInfoResponse>(r.partitionId, op(OpType.APPEND_S3_CHUNK_INFO, r)),
      updateVolumeExtent: (r) =>
        write<UpdateVolumeExtentResponse>(r.partitionId, op(OpType.UPDATE_VOLUME_EXTENT, r)),
      createPartition: (r) => {
        const partition = r.partition;
        if (partition === undefined) {
          throw new CurveError(ErrorReason.INVALID_ARGUMENT, "partition is required", {
            metadata: { field: "partition" },
          });
        }
        return byCopyset(partition.poolId, partition.copysetId).write<CreatePartitionResponse>(
          op(OpType.CREATE_PARTITION, r),
        );
      },
      deletePartition: (r) =>
        byCopyset(r.poolId, r.copysetId).write<DeletePartitionResponse>(
          op(OpType.DELETE_PARTITION, r),
        ),
    },
    SERVICE_OPTIONS,
  );

  router.service(
    CopysetService,
    {
      async createCopysetNode(request): Promise<CreateCopysetNodeResponse> {
        const server = ready();
        // The whole batch is checked before anything is created (copyset.proto).
        const plan = request.copysets.map((spec) => {
          const peers = addressesOf(spec.peers);
          if (peers.length > 0 && !peers.includes(server.address)) {
            throw new CurveError(
              ErrorReason.PEER_MISMATCH,
              `copyset ${spec.poolId}/${spec.copysetId}: the peers do not include this server (${server.address})`,
            );
          }
          const existing = server.byCopyset(spec.poolId, spec.copysetId);
          if (existing !== undefined && peers.length > 0) {
            const voters = existing.node.status().conf.voters;
            const same = voters.length === peers.length && peers.every((p) => voters.includes(p));
            if (!same) {
              throw new CurveError(
                ErrorReason.GROUP_ALREADY_EXISTS,
                `copyset ${spec.poolId}/${spec.copysetId} exists here with peers ${voters.join(",")}`,
              );
            }
          }
          return { spec, peers, exists: existing !== undefined };
        });
        const results = [];
        for (const { spec, peers, exists } of plan) {
          // A concurrent call may have created it since the check: that is the idempotent case.
          const created = !exists && (await server.open(spec.poolId, spec.copysetId, peers));
          results.push(
            create(CopysetNodeResultSchema, {
              poolId: spec.poolId,
              copysetId: spec.copysetId,
              created,
            }),
          );
        }
        return create(CreateCopysetNodeResponseSchema, { results });
      },

      async getCopysetStatus(request) {
        const server = ready();
        if (request.peerAddress !== undefined && request.peerAddress !== server.address) {
          throw new CurveError(
            ErrorReason.PEER_MISMATCH,
            `this server is ${server.address}, not ${request.peerAddress}`,
          );
        }
        return create(GetCopysetStatusResponseSchema, {
          status: byCopyset(request.poolId, request.copysetId).status(),
        });
      },
    },
    SERVICE_OPTIONS,
  );
}

function addressesOf(peers: readonly Peer[]): NodeId[] {
  return peers.map((peer) => peer.address);
}

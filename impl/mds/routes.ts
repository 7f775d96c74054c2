/**
 * The handlers of `curve.mds.v1.MdsService`: check that this MDS serves (leader gate), call the
 * file-system area, map the result. Validation (protovalidate) has run before any of them;
 * domain errors (CurveError) become code + ErrorInfo in the error interceptor.
 */
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  AllocateS3ChunkResponseSchema,
  CommitTxResponseSchema,
  CreateFsResponseSchema,
  DeleteFsResponseSchema,
  GetFsInfoResponseSchema,
  GetLatestTxIdResponseSchema,
  ListFsResponseSchema,
  MdsService,
  MountFsResponseSchema,
  MountpointSchema,
  RefreshSessionResponseSchema,
  UmountFsResponseSchema,
  UpdateFsResponseSchema,
} from "../gen/curve/mds/v1/mds_pb.js";
import type { FsManager } from "./fs/fs-manager.js";
import { redactFs } from "./fs/fs-settings.js";
import type { LeaderGate } from "./leader-gate.js";
import type { MdsConfig } from "./mds-config.js";

/** What the MdsService handlers need. */
export interface MdsRoutesDeps {
  readonly gate: LeaderGate;
  readonly config: MdsConfig;
  readonly fs: FsManager;
}

/** Registers MdsService on `router`. */
export function registerMdsRoutes(router: ConnectRouter, deps: MdsRoutesDeps): void {
  const { gate, fs, config } = deps;
  const lease = {
    sessionTtlMs: config.sessionTtlMs,
    refreshIntervalMs: config.refreshIntervalMs,
  };
  router.service(MdsService, {
    async createFs(req) {
      gate.assertServing();
      const fsInfo = await fs.createFs(req);
      return create(CreateFsResponseSchema, { fsInfo: redactFs(fsInfo) });
    },
    async getFsInfo(req) {
      gate.assertServing();
      const fsInfo = await fs.getFsInfo(req.fsId, req.fsName);
      return create(GetFsInfoResponseSchema, { fsInfo: redactFs(fsInfo) });
    },
    async listFs(req) {
      gate.assertServing();
      const page = await fs.listFs(req.pageSize, req.pageToken);
      return create(ListFsResponseSchema, {
        fsInfos: page.fileSystems.map(redactFs),
        nextPageToken: page.nextPageToken,
      });
    },
    async updateFs(req) {
      gate.assertServing();
      const fsInfo = await fs.updateFs(req);
      return create(UpdateFsResponseSchema, { fsInfo: redactFs(fsInfo) });
    },
    async deleteFs(req) {
      gate.assertServing();
      const fsInfo = await fs.deleteFs(req.fsName, req.fsId);
      return create(DeleteFsResponseSchema, { fsInfo: redactFs(fsInfo) });
    },
    async mountFs(req) {
      gate.assertServing();
      const fsInfo = await fs.mountFs(req.fsName, req.mountpoint ?? create(MountpointSchema));
      return create(MountFsResponseSchema, { fsInfo: redactFs(fsInfo), ...lease });
    },
    async umountFs(req) {
      gate.assertServing();
      await fs.umountFs(req.fsName, req.mountpoint ?? create(MountpointSchema));
      return create(UmountFsResponseSchema);
    },
    async refreshSession(req) {
      gate.assertServing();
      const result = await fs.refreshSession(req);
      return create(RefreshSessionResponseSchema, {
        latestTxIds: result.latestTxIds,
        capacity: result.fs.capacity,
        usedBytes: result.fs.usedBytes,
        enableSumInDir: result.fs.enableSumInDir,
        remounted: result.remounted,
        ...lease,
      });
    },
    async allocateS3Chunk(req) {
      gate.assertServing();
      const beginChunkId = await fs.allocateS3Chunk(req.fsId, req.count);
      return create(AllocateS3ChunkResponseSchema, { beginChunkId });
    },
    async getLatestTxId(req) {
      gate.assertServing();
      const latest = await fs.getLatestTxId(req.fsId, req.lockOwner);
      return create(GetLatestTxIdResponseSchema, {
        txIds: latest.txIds,
        txSequence: latest.txSequence,
        lockTtlMs: latest.lockTtlMs,
      });
    },
    async commitTx(req) {
      gate.assertServing();
      await fs.commitTx(req);
      return create(CommitTxResponseSchema);
    },
  });
}

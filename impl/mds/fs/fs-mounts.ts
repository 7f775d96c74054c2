/**
 * MountFs, UmountFs, RefreshSession and the expiry of silent sessions (mds.proto).
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type FsInfo,
  FsStatus,
  type Mountpoint,
  MountpointSchema,
  type PartitionTxId,
  PartitionTxIdSchema,
  type RefreshSessionRequest,
} from "../../gen/curve/mds/v1/mds_pb.js";
import { type BackgroundLoop, startBackgroundLoop } from "../background-loop.js";
import type { FsDeps } from "./fs-deps.js";
import { changeFs, requireFsById, requireFsByName, requireInited } from "./fs-lookup.js";
import { decideMount, sameMountpoint } from "./mount-rules.js";
import type { TxIdRepository } from "./tx-id-repository.js";

/** What RefreshSession returns, besides the lease terms. */
export interface RefreshResult {
  readonly fs: FsInfo;
  readonly latestTxIds: PartitionTxId[];
  readonly remounted: boolean;
}

/** MountFs: records the mount point (or recognises a repeat) and renews its session. */
export async function mountFs(deps: FsDeps, fsName: string, request: Mountpoint): Promise<FsInfo> {
  const { info } = await requireFsByName(deps.repo, fsName);
  return deps.fsLocks.run(info.fsId, async () => {
    const mounted = await changeFs(
      deps.repo,
      () => requireFsByName(deps.repo, fsName),
      ({ info: current }) => {
        requireInited(current);
        const next = withMount(current, request);
        return next === current ? { result: current } : { write: next, result: next };
      },
    );
    deps.sessions.renew(mounted.fsId, request);
    return mounted;
  });
}

/** UmountFs: removes the mount point with this hostname, port and path, and its session. */
export async function umountFs(deps: FsDeps, fsName: string, request: Mountpoint): Promise<void> {
  const { info } = await requireFsByName(deps.repo, fsName);
  await deps.fsLocks.run(info.fsId, async () => {
    const unmounted = await changeFs(
      deps.repo,
      () => requireFsByName(deps.repo, fsName),
      ({ info: current }) => {
        if (!current.mountpoints.some((m) => sameMountpoint(m, request))) {
          throw new CurveError(
            ErrorReason.MOUNTPOINT_NOT_FOUND,
            `"${fsName}" has no mount point ${request.hostname}:${request.port}:${request.path}`,
            { metadata: { fs_name: fsName } },
          );
        }
        const next = withoutMount(current, request);
        return { write: next, result: next };
      },
    );
    deps.sessions.end(unmounted.fsId, request);
  });
}

/** RefreshSession: renews the lease (mounting again if it had expired), applies the usage delta. */
export async function refreshSession(
  deps: FsDeps,
  txIds: TxIdRepository,
  request: RefreshSessionRequest,
): Promise<RefreshResult> {
  const mountpoint = request.mountpoint ?? create(MountpointSchema);
  const { fsId } = request;
  const refreshed = await deps.fsLocks.run(fsId, async () => {
    const result = await changeFs(
      deps.repo,
      () => requireFsById(deps.repo, fsId),
      ({ info: current }) => {
        requireInited(current);
        const recorded = current.mountpoints.some((m) => sameMountpoint(m, mountpoint));
        let next = recorded ? current : withMount(current, mountpoint);
        if (request.usedBytesDelta !== 0n) next = withUsage(next, request.usedBytesDelta);
        const outcome = { fs: next, remounted: !recorded };
        return next === current ? { result: outcome } : { write: next, result: outcome };
      },
    );
    deps.sessions.renew(fsId, mountpoint);
    return result;
  });
  const latestTxIds = await changedTxIds(deps, txIds, fsId, request.knownTxIds);
  return { ...refreshed, latestTxIds };
}

/** The tx ids of the listed partitions of the fs that differ from the client's. */
async function changedTxIds(
  deps: FsDeps,
  txIds: TxIdRepository,
  fsId: number,
  known: readonly PartitionTxId[],
): Promise<PartitionTxId[]> {
  if (known.length === 0) return [];
  const existing = new Set((await deps.partitions.list(fsId)).map((p) => p.partitionId));
  const committed = await txIds.read(fsId);
  return known
    .filter((k) => existing.has(k.partitionId))
    .map((k) => ({
      partitionId: k.partitionId,
      txId: committed.get(k.partitionId)?.txId ?? 0n,
      known: k.txId,
    }))
    .filter((k) => k.txId !== k.known)
    .map((k) => create(PartitionTxIdSchema, { partitionId: k.partitionId, txId: k.txId }));
}

/** The fs with the mount point added under the conflict rules (the same object on a repeat). */
function withMount(info: FsInfo, request: Mountpoint): FsInfo {
  const decision = decideMount(info.mountpoints, request);
  if (decision.kind === "conflict") {
    throw new CurveError(ErrorReason.MOUNTPOINT_CONFLICT, decision.why, {
      metadata: { fs_name: info.fsName },
    });
  }
  if (decision.kind === "repeat") return info;
  const mountpoints = [
    ...info.mountpoints,
    create(MountpointSchema, {
      hostname: request.hostname,
      port: request.port,
      path: request.path,
      cto: request.cto ?? false,
    }),
  ];
  // Directory summaries are only exact with a single writer: a second mount turns them off.
  const enableSumInDir = info.enableSumInDir && mountpoints.length < 2;
  return { ...info, mountpoints, enableSumInDir };
}

function withoutMount(info: FsInfo, request: Mountpoint): FsInfo {
  return { ...info, mountpoints: info.mountpoints.filter((m) => !sameMountpoint(m, request)) };
}

function withUsage(info: FsInfo, delta: bigint): FsInfo {
  const used = info.usedBytes + delta;
  return { ...info, usedBytes: used < 0n ? 0n : used };
}

/**
 * Starts the leader's expiry of silent sessions: every `sessionScanIntervalMs`, each mount point
 * not renewed for `sessionTtlMs` is removed as if unmounted.
 */
export function startSessionExpiry(deps: FsDeps, signal: AbortSignal): BackgroundLoop {
  const { config, clock, logger } = deps.ctx;
  return startBackgroundLoop({
    name: "session-expiry",
    clock,
    logger,
    signal,
    intervalMs: config.sessionScanIntervalMs,
    run: async () => {
      for (const { fsId, mountpoint } of deps.sessions.expired(config.sessionTtlMs)) {
        if (signal.aborted) return;
        await deps.fsLocks.run(fsId, () => expire(deps, fsId, mountpoint));
      }
    },
  });
}

async function expire(deps: FsDeps, fsId: number, mountpoint: Mountpoint): Promise<void> {
  // Renewed while this pass waited for the lock: keep it.
  if (!deps.sessions.isExpired(fsId, mountpoint, deps.ctx.config.sessionTtlMs)) return;
  const current = await deps.repo.getById(fsId);
  if (current && current.info.status !== FsStatus.DELETING) {
    await changeFs(
      deps.repo,
      () => requireFsById(deps.repo, fsId),
      ({ info }) =>
        info.mountpoints.some((m) => sameMountpoint(m, mountpoint))
          ? { write: withoutMount(info, mountpoint), result: undefined }
          : { result: undefined },
    );
  }
  deps.sessions.end(fsId, mountpoint);
  deps.ctx.logger.info(
    { fsId, hostname: mountpoint.hostname, port: mountpoint.port, path: mountpoint.path },
    "mount session expired; mount point removed",
  );
}

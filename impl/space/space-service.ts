/**
 * SpaceAllocService (space.proto): the space of each VOLUME file system, held by the leader in
 * memory (loaded on first use in a term of leadership) and committed to the KV before every
 * call returns. Calls for one fs run one at a time, so concurrent allocations can never be
 * given the same bytes; a change whose commit fails is dropped from memory with the whole
 * space, which is then loaded again from the KV.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../errors.js";
import { FsType, type VolumeInfo, VolumeInfoSchema } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { FsStatus } from "../gen/curve/mds/v1/mds_pb.js";
import {
  type AllocationKind,
  type SpaceInfo,
  SpaceInfoSchema,
} from "../gen/curve/space/v1/space_pb.js";
import type { VolumeSpaces } from "../mds/fs/fs-ports.js";
import { FsRepository } from "../mds/fs/fs-repository.js";
import { KeyedMutex } from "../mds/keyed-mutex.js";
import type { MdsContext } from "../mds/mds-context.js";
import type { FsReader } from "../mds/topology/topology-deps.js";
import { type ByteExtent, ExtentAllocator } from "./extent-allocator.js";
import type { BlockRun } from "./free-extent-map.js";
import type { SpaceMeta, StoredRequest } from "./space-codec.js";
import { newGeneration, SpaceRepository, splitByShard } from "./space-repository.js";

/** How long a request_id result is kept and replayed (space.proto: at least 600 s). */
export const REQUEST_ID_RETENTION_MS = 600_000;
/** Committed changes are folded into the stored shards once this many are pending. */
const COMPACT_AFTER_CHANGES = 32;
/** Expired request_id results deleted along with one change, at most. */
const EXPIRED_PER_CHANGE = 16;

/** One loaded space, as the leader holds it. */
interface SpaceState {
  meta: SpaceMeta;
  metaRevision: number;
  readonly allocator: ExtentAllocator;
  readonly pendingChanges: number[];
  readonly dirtyShards: Set<number>;
  readonly requests: Map<string, number>;
}

/** What SpaceAllocService needs; one per MDS process (`createSpaceDeps`). */
export interface SpaceDeps {
  readonly ctx: MdsContext;
  readonly repo: SpaceRepository;
  readonly fs: Pick<FsReader, "get">;
  /** Wall-clock ms, for the request_id retention. */
  readonly wallClock: () => number;
  readonly locks: KeyedMutex<number>;
  readonly cache: SpaceCache;
}

/** The spaces loaded in the current term of leadership. */
export class SpaceCache {
  #term: AbortSignal | undefined;
  readonly #spaces = new Map<number, SpaceState>();

  /** The spaces of the term `signal` belongs to (a new term starts empty). */
  of(signal: AbortSignal): Map<number, SpaceState> {
    if (this.#term !== signal) {
      this.#term = signal;
      this.#spaces.clear();
    }
    return this.#spaces;
  }
}

/** The space deps of one MDS process. */
export function createSpaceDeps(
  ctx: MdsContext,
  options: { readonly fs?: Pick<FsReader, "get">; readonly wallClock?: () => number } = {},
): SpaceDeps {
  const fsRepository = new FsRepository(ctx.kv, ctx.gate);
  return {
    ctx,
    repo: new SpaceRepository(ctx.kv, ctx.gate),
    fs: options.fs ?? { get: async (fsId) => (await fsRepository.getById(fsId))?.info },
    wallClock: options.wallClock ?? Date.now,
    locks: new KeyedMutex(),
    cache: new SpaceCache(),
  };
}

/** The fs area's port to spaces (fs-ports.ts), bound to this service. */
export function volumeSpacesOf(deps: SpaceDeps): VolumeSpaces {
  return {
    init: async (fsId, volume) => {
      await initSpace(deps, fsId, volume);
    },
    destroy: async (fsId) => {
      await uninitSpace(deps, fsId, true);
    },
  };
}

/**
 * InitSpace: creates the space of a VOLUME fs, or returns the existing one when its volume is
 * the same.
 * @throws CurveError FS_NOT_FOUND, FS_TYPE_MISMATCH, FS_DELETING, VOLUME_INFO_INVALID,
 *   SPACE_ALREADY_INITED.
 */
export function initSpace(deps: SpaceDeps, fsId: number, volume: VolumeInfo): Promise<SpaceInfo> {
  return deps.locks.run(fsId, async () => {
    const fs = await deps.fs.get(fsId);
    const meta = { fs_id: `${fsId}` };
    if (!fs)
      throw new CurveError(ErrorReason.FS_NOT_FOUND, `no fs has id ${fsId}`, { metadata: meta });
    if (fs.fsType !== FsType.VOLUME) {
      throw new CurveError(ErrorReason.FS_TYPE_MISMATCH, `fs ${fsId} is not a VOLUME fs`, {
        metadata: meta,
      });
    }
    if (fs.status === FsStatus.DELETING) {
      throw new CurveError(ErrorReason.FS_DELETING, `fs ${fsId} is being deleted`, {
        metadata: meta,
      });
    }
    const recorded = fs.detail.case === "volumeInfo" ? fs.detail.value : undefined;
    if (!recorded || !sameVolume(recorded, volume)) {
      throw new CurveError(
        ErrorReason.VOLUME_INFO_INVALID,
        `the volume differs from the one recorded for fs ${fsId}`,
        { metadata: meta },
      );
    }
    for (;;) {
      const existing = await loaded(deps, fsId);
      if (existing) {
        if (!sameVolume(volumeOf(existing.meta), volume)) {
          throw new CurveError(
            ErrorReason.SPACE_ALREADY_INITED,
            `the space of fs ${fsId} exists with another volume`,
            { metadata: meta },
          );
        }
        return spaceInfo(fsId, existing);
      }
      const generation = newGeneration();
      const created = await deps.repo.create(fsId, {
        generation,
        seq: 0,
        volume: {
          volumeName: volume.volumeName,
          volumeSize: volume.volumeSize,
          blockSize: volume.blockSize,
          extentGroupSize: volume.extentGroupSize,
        },
      });
      if (!created) continue; // someone created it meanwhile: decide again on what is there
      await deps.repo
        .sweep(fsId, generation)
        .catch((error: unknown) =>
          deps.ctx.logger.warn({ err: error, fsId }, "could not sweep old space generations"),
        );
      const state = await loaded(deps, fsId);
      if (!state)
        throw new CurveError(ErrorReason.STORAGE_FAILURE, `the space of fs ${fsId} vanished`);
      deps.ctx.logger.info({ fsId, volume: volume.volumeName }, "space inited");
      return spaceInfo(fsId, state);
    }
  });
}

/** AllocationHint's fields (an absent hint equals an empty one). */
export interface HintInput {
  readonly kind?: AllocationKind | undefined;
  readonly leftOffset?: bigint | undefined;
  readonly rightOffset?: bigint | undefined;
}

/** What AllocateSpace asks for. */
export interface AllocateInput {
  readonly size: bigint;
  readonly hint?: HintInput | undefined;
  readonly requestId?: string | undefined;
}

/**
 * AllocateSpace: all or nothing; with `requestId`, an identical retry within the retention
 * gets the stored extents.
 * @throws CurveError SPACE_NOT_INITED, INVALID_ARGUMENT (request_id reused), EXTENT_INVALID,
 *   NO_SPACE.
 */
export function allocateSpace(
  deps: SpaceDeps,
  fsId: number,
  input: AllocateInput,
): Promise<ByteExtent[]> {
  return deps.locks.run(fsId, async () => {
    const state = await required(deps, fsId);
    const fingerprint = JSON.stringify([
      input.size.toString(),
      input.hint?.kind ?? 0,
      input.hint?.leftOffset?.toString() ?? null,
      input.hint?.rightOffset?.toString() ?? null,
    ]);
    const replay = await storedResult(deps, fsId, state, input.requestId, "allocate", fingerprint);
    if (replay) return replay.extents.map(([offset, length]) => ({ offset, length }));
    const extents = state.allocator.allocate({
      size: input.size,
      kind: input.hint?.kind,
      leftOffset: input.hint?.leftOffset,
      rightOffset: input.hint?.rightOffset,
    });
    const request = input.requestId && {
      id: input.requestId,
      record: {
        kind: "allocate" as const,
        fingerprint,
        atMs: deps.wallClock(),
        extents: extents.map((e) => [e.offset, e.length] as const),
        freedBytes: 0n,
      },
    };
    await commit(deps, fsId, state, "allocate", extents, request || undefined);
    return extents;
  });
}

/**
 * DeallocateSpace: all or nothing and strict; with `requestId`, an identical retry within the
 * retention is OK without freeing again.
 * @throws CurveError SPACE_NOT_INITED, INVALID_ARGUMENT (request_id reused), EXTENT_INVALID.
 */
export function deallocateSpace(
  deps: SpaceDeps,
  fsId: number,
  extents: readonly ByteExtent[],
  requestId: string | undefined,
): Promise<bigint> {
  return deps.locks.run(fsId, async () => {
    const state = await required(deps, fsId);
    const fingerprint = JSON.stringify(
      extents.map((e) => [e.offset.toString(), e.length.toString()]),
    );
    const requested = extents.reduce((sum, e) => sum + e.length, 0n);
    const replay = await storedResult(deps, fsId, state, requestId, "free", fingerprint);
    if (replay) return requested;
    const freed = state.allocator.deallocate(extents);
    const request = requestId && {
      id: requestId,
      record: {
        kind: "free" as const,
        fingerprint,
        atMs: deps.wallClock(),
        extents: [],
        freedBytes: freed,
      },
    };
    await commit(deps, fsId, state, "free", extents, request || undefined);
    return freed;
  });
}

/**
 * StatSpace: the volume and usage of the space, from the leader's state.
 * @throws CurveError SPACE_NOT_INITED.
 */
export function statSpace(deps: SpaceDeps, fsId: number): Promise<SpaceInfo> {
  return deps.locks.run(fsId, async () => spaceInfo(fsId, await required(deps, fsId)));
}

/**
 * UninitSpace: destroys the space and its stored request_id results; OK with 0 when there is
 * none. Returns the bytes that were still allocated (discarded).
 * @throws CurveError SPACE_IN_USE when bytes are allocated and `force` is false.
 */
export function uninitSpace(deps: SpaceDeps, fsId: number, force: boolean): Promise<bigint> {
  return deps.locks.run(fsId, async () => {
    const state = await loaded(deps, fsId);
    if (!state) {
      await deps.repo.sweep(fsId, undefined);
      return 0n;
    }
    const allocated = state.allocator.usage().allocatedBytes;
    if (allocated > 0n && !force) {
      throw new CurveError(
        ErrorReason.SPACE_IN_USE,
        `${allocated} bytes of the space of fs ${fsId} are still allocated`,
        { metadata: { allocated_bytes: `${allocated}` } },
      );
    }
    spaces(deps).delete(fsId);
    await deps.repo.deleteMeta(fsId, state.metaRevision);
    await deps.repo.sweep(fsId, undefined);
    deps.ctx.logger.info({ fsId, discarded: `${allocated}` }, "space uninited");
    return allocated;
  });
}

function spaces(deps: SpaceDeps): Map<number, SpaceState> {
  return deps.cache.of(deps.ctx.gate.signal);
}

/** The loaded space of the fs (loading it on first use in the term), or undefined. */
async function loaded(deps: SpaceDeps, fsId: number): Promise<SpaceState | undefined> {
  const cache = spaces(deps);
  const cached = cache.get(fsId);
  if (cached) return cached;
  const stored = await deps.repo.load(fsId);
  if (!stored) return undefined;
  const { volume } = stored.meta;
  const state: SpaceState = {
    meta: stored.meta,
    metaRevision: stored.metaRevision,
    allocator: new ExtentAllocator(volume, stored.map),
    pendingChanges: stored.pendingChanges,
    dirtyShards: stored.dirtyShards,
    requests: stored.requests,
  };
  cache.set(fsId, state);
  return state;
}

async function required(deps: SpaceDeps, fsId: number): Promise<SpaceState> {
  const state = await loaded(deps, fsId);
  if (!state) {
    throw new CurveError(ErrorReason.SPACE_NOT_INITED, `fs ${fsId} has no space (InitSpace)`, {
      metadata: { fs_id: `${fsId}` },
    });
  }
  return state;
}

/**
 * The stored result of `requestId` when it is a replay of the identical request; undefined
 * when the id is new (or its result expired).
 * @throws CurveError INVALID_ARGUMENT when the id was used for another request.
 */
async function storedResult(
  deps: SpaceDeps,
  fsId: number,
  state: SpaceState,
  requestId: string | undefined,
  kind: StoredRequest["kind"],
  fingerprint: string,
): Promise<StoredRequest | undefined> {
  if (requestId === undefined) return undefined;
  const stored = await deps.repo.request(fsId, state.meta.generation, requestId);
  if (!stored || deps.wallClock() - stored.atMs >= REQUEST_ID_RETENTION_MS) return undefined;
  if (stored.kind === kind && stored.fingerprint === fingerprint) return stored;
  throw new CurveError(
    ErrorReason.INVALID_ARGUMENT,
    `request_id ${requestId} was used for a different request within the last ${REQUEST_ID_RETENTION_MS / 1000} s`,
    { metadata: { field: "request_id" } },
  );
}

/**
 * Commits a change already applied to `state.allocator`. On failure the space is dropped from
 * memory (the KV is the truth; it is loaded again by the next call).
 */
async function commit(
  deps: SpaceDeps,
  fsId: number,
  state: SpaceState,
  kind: "allocate" | "free",
  extents: readonly ByteExtent[],
  request: { readonly id: string; readonly record: StoredRequest } | undefined,
): Promise<void> {
  const block = BigInt(state.meta.volume.blockSize);
  const runs: BlockRun[] = extents.map((e) => ({
    start: Number(e.offset / block),
    length: Number(e.length / block),
  }));
  const now = deps.wallClock();
  const expired = [...state.requests]
    .filter(([, atMs]) => now - atMs >= REQUEST_ID_RETENTION_MS)
    .slice(0, EXPIRED_PER_CHANGE)
    .map(([id]) => id);
  const meta = { ...state.meta, seq: state.meta.seq + 1 };
  try {
    state.metaRevision = await deps.repo.commitChange(
      fsId,
      state.metaRevision,
      meta,
      { kind, runs },
      request,
      expired,
    );
  } catch (error) {
    spaces(deps).delete(fsId);
    throw error;
  }
  state.meta = meta;
  state.pendingChanges.push(meta.seq);
  for (const run of runs) for (const piece of splitByShard(run)) state.dirtyShards.add(piece.shard);
  for (const id of expired) state.requests.delete(id);
  if (request) state.requests.set(request.id, request.record.atMs);
  if (state.pendingChanges.length >= COMPACT_AFTER_CHANGES) await compact(deps, fsId, state);
}

/** Folds the pending changes into the stored shards. A failure is logged: the change stands. */
async function compact(deps: SpaceDeps, fsId: number, state: SpaceState): Promise<void> {
  try {
    await deps.repo.compact(
      fsId,
      state.metaRevision,
      state.meta,
      state.allocator.freeMap(),
      state.dirtyShards,
      state.pendingChanges,
    );
    state.pendingChanges.length = 0;
    state.dirtyShards.clear();
  } catch (error) {
    spaces(deps).delete(fsId);
    deps.ctx.logger.warn({ err: error, fsId }, "space compaction failed; it is retried later");
  }
}

function volumeOf(meta: SpaceMeta): VolumeInfo {
  return create(VolumeInfoSchema, meta.volume);
}

function sameVolume(a: VolumeInfo, b: VolumeInfo): boolean {
  return (
    a.volumeName === b.volumeName &&
    a.volumeSize === b.volumeSize &&
    a.blockSize === b.blockSize &&
    a.extentGroupSize === b.extentGroupSize
  );
}

function spaceInfo(fsId: number, state: SpaceState): SpaceInfo {
  return create(SpaceInfoSchema, {
    fsId,
    volume: volumeOf(state.meta),
    ...state.allocator.usage(),
  });
}

/**
 * The topology and heartbeat domain on a real KvStore (etcd from the global setup, or the
 * embedded store in a temp dir), with a sole-leader gate fenced through a real Election, a
 * manual MDS clock, the FAKE metaserver client and an in-memory list of file systems (the fs
 * area is not under test here).
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ConnectError } from "@connectrpc/connect";
import { pino } from "pino";
import { CurveError, errorInfoOf } from "../../../impl/errors.js";
import { FsType, type Peer, PeerSchema } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { MetaServerSpaceSchema } from "../../../impl/gen/curve/mds/v1/cluster_pb.js";
import type { CopysetCommand } from "../../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import { type FsInfo, FsInfoSchema, FsStatus } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { PoolType } from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import type { CopysetReport } from "../../../impl/mds/heartbeat/copyset-report.js";
import { handleHeartbeat } from "../../../impl/mds/heartbeat/heartbeat-service.js";
import { IdAllocator } from "../../../impl/mds/id-allocator.js";
import { type SoleLeaderGate, soleLeaderGate } from "../../../impl/mds/leader-gate.js";
import { type MdsConfigOverrides, withOverrides } from "../../../impl/mds/mds-config.js";
import type { MdsContext } from "../../../impl/mds/mds-context.js";
import type { CopysetPeer } from "../../../impl/mds/metaserver-client.js";
import type {
  CopysetKey,
  CopysetNodeClient,
} from "../../../impl/mds/topology/copyset-node-client.js";
import { createPool, createZone } from "../../../impl/mds/topology/pools.js";
import { registerServer } from "../../../impl/mds/topology/servers.js";
import {
  createTopologyDeps,
  type FsReader,
  type TopologyDeps,
} from "../../../impl/mds/topology/topology-deps.js";
import type { ServerKind, ServerRecord } from "../../../impl/mds/topology/topology-records.js";
import type { KvStore } from "../../../impl/storage/kv-store.js";
import { FakeMetaServerClient } from "../../support/fake-metaserver-client.js";
import { ManualClock } from "../../support/manual-clock.js";
import { KV_BACKENDS, type KvBackendName, openKvBackend } from "../../support/mds-kv-backends.js";

export type Backend = KvBackendName;
export const BACKENDS = KV_BACKENDS;

/** A FAKE CopysetService.CreateCopysetNode side of servers: records what was asked. */
export class FakeCopysetNodes implements CopysetNodeClient {
  /** "pool/copyset" → the peers it was created with, on every member. */
  readonly copysets = new Map<string, readonly CopysetPeer[]>();
  /** "address pool/copyset" of every empty replica created. */
  readonly emptyNodes: string[] = [];
  /** Makes createEmptyCopysetNode fail this many more times. */
  failEmpty = 0;
  async createCopysetNode(peers: readonly CopysetPeer[], copyset: CopysetKey): Promise<void> {
    this.copysets.set(`${copyset.poolId}/${copyset.copysetId}`, [...peers]);
  }
  async createEmptyCopysetNode(address: string, copyset: CopysetKey): Promise<void> {
    if (this.failEmpty > 0) {
      this.failEmpty--;
      throw new CurveError(ErrorReason.LEADER_UNKNOWN, `fake: ${address} is unreachable`);
    }
    this.emptyNodes.push(`${address} ${copyset.poolId}/${copyset.copysetId}`);
  }
  async close(): Promise<void> {}
}

/** The file systems the topology sees (the fs area is not under test). */
export class FakeFsReader implements FsReader {
  readonly fs = new Map<number, FsInfo>();
  readonly committedTxIds = new Map<number, Map<number, bigint>>();
  add(fsId: number, status = FsStatus.INITED, fsType = FsType.S3): FsInfo {
    const info = create(FsInfoSchema, { fsId, fsName: `fs${fsId}`, status, fsType });
    this.fs.set(fsId, info);
    return info;
  }
  async get(fsId: number): Promise<FsInfo | undefined> {
    return this.fs.get(fsId);
  }
  async txIds(fsId: number): Promise<ReadonlyMap<number, bigint>> {
    return this.committedTxIds.get(fsId) ?? new Map();
  }
}

export interface TopologyHarness {
  readonly kv: KvStore;
  readonly gate: SoleLeaderGate;
  readonly ctx: MdsContext;
  readonly deps: TopologyDeps;
  readonly clock: ManualClock;
  readonly meta: FakeMetaServerClient;
  readonly chunk: FakeCopysetNodes;
  /** The empty replicas created on metaservers (repair targets). */
  readonly metaNodes: FakeCopysetNodes;
  readonly fs: FakeFsReader;
  close(): Promise<void>;
}

/** Wall-clock ms the manual clock's 0 stands for. */
export const WALL_EPOCH_MS = 1_700_000_000_000;

/** A fresh, empty MDS topology on `backend`. */
export async function openHarness(
  backend: Backend,
  overrides: MdsConfigOverrides = {},
): Promise<TopologyHarness> {
  const store = await openKvBackend(backend, "mds-topology");
  const kv = store.kv;
  const gate = await soleLeaderGate(kv);
  const clock = new ManualClock();
  const config = withOverrides(overrides);
  const ctx: MdsContext = {
    kv,
    gate,
    ids: new IdAllocator({ kv, gate, bundleSizes: config.idBundleSizes }),
    clock,
    logger: pino({ level: "silent" }),
    config,
  };
  const meta = new FakeMetaServerClient();
  const chunk = new FakeCopysetNodes();
  const metaNodes = new FakeCopysetNodes();
  const fs = new FakeFsReader();
  const deps = createTopologyDeps(ctx, {
    metaServers: meta,
    chunkServers: chunk,
    metaServerNodes: metaNodes,
    fs,
    wallClock: () => WALL_EPOCH_MS + clock.now(),
  });
  return {
    kv,
    gate,
    ctx,
    deps,
    clock,
    meta,
    chunk,
    metaNodes,
    fs,
    close: async () => {
      await gate.close();
      await store.close();
    },
  };
}

/** A metaserver's space with plenty of room. */
export const ROOMY_SPACE = create(MetaServerSpaceSchema, {
  diskThresholdBytes: 100n << 30n,
  diskMinBytesPerCopyset: 1n << 20n,
  diskUsedBytes: 0n,
  memoryThresholdBytes: 8n << 30n,
  memoryMinBytesPerCopyset: 1n << 20n,
  memoryUsedBytes: 0n,
});

/** A registered server and its heartbeat helper. */
export interface TestServer {
  readonly record: ServerRecord;
  /** Sends a heartbeat with these copyset reports; returns the commands. */
  heartbeat(copysets?: readonly CopysetReport[]): Promise<CopysetCommand[]>;
  peer(): Peer;
}

/** Registers a server (no heartbeat yet). */
export async function addServer(
  h: TopologyHarness,
  kind: ServerKind,
  poolName: string,
  zoneName: string,
  address: string,
): Promise<TestServer> {
  const record = await registerServer(h.deps, kind, {
    address,
    hostname: `host-${address}`,
    poolName,
    zoneName,
    ...(kind === "chunkserver" ? { capacityBytes: 1n << 40n } : {}),
  });
  return {
    record,
    peer: () => create(PeerSchema, { id: record.id, address: record.address }),
    heartbeat: (copysets = []) =>
      handleHeartbeat(h.deps, {
        kind,
        id: record.id,
        token: record.token,
        address: record.address,
        startTime: timestampFromMs(WALL_EPOCH_MS),
        ...(kind === "metaserver"
          ? { space: ROOMY_SPACE }
          : { capacityBytes: 1n << 40n, usedBytes: 0n }),
        copysets,
      }),
  };
}

/**
 * A pool of `zones` zones with `perZone` servers each, every server registered and ONLINE.
 * Addresses are "10.0.<zone>.<n>:6701".
 */
export async function onlinePool(
  h: TopologyHarness,
  options: {
    readonly name?: string;
    readonly kind?: ServerKind;
    readonly zones?: number;
    readonly perZone?: number;
    readonly replicaCount?: number;
    readonly initialCopysetCount?: number;
  } = {},
): Promise<{ poolName: string; poolId: number; servers: TestServer[] }> {
  const poolName = options.name ?? "pool1";
  const kind = options.kind ?? "metaserver";
  const pool = await createPool(h.deps, {
    name: poolName,
    type: kind === "metaserver" ? PoolType.METASERVER : PoolType.CHUNKSERVER,
    replicaCount: options.replicaCount ?? 3,
    initialCopysetCount: options.initialCopysetCount ?? 0,
  });
  const servers: TestServer[] = [];
  for (let z = 1; z <= (options.zones ?? 3); z++) {
    await createZone(h.deps, poolName, `zone${z}`);
    for (let n = 1; n <= (options.perZone ?? 1); n++) {
      const octet = kind === "metaserver" ? pool.id : 100 + pool.id;
      servers.push(await addServer(h, kind, poolName, `zone${z}`, `10.${octet}.${z}.${n}:6701`));
    }
  }
  for (const server of servers) await server.heartbeat();
  return { poolName, poolId: pool.id, servers };
}

/** Awaits a call that must fail with a CurveError; returns it. */
export async function curveFailure(call: Promise<unknown>): Promise<CurveError> {
  const error = await call.then(
    () => new Error("the call succeeded"),
    (e: unknown) => e,
  );
  if (error instanceof CurveError) return error;
  throw error;
}

/** The reason a call fails with, or undefined when it succeeds. */
export async function reasonOf(call: Promise<unknown>): Promise<ErrorReason | undefined> {
  try {
    await call;
  } catch (error) {
    if (error instanceof CurveError) return error.reason;
    throw error;
  }
  return undefined;
}

/** Awaits a call over the wire that must fail; returns the ConnectError. */
export async function connectFailure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

/** The ErrorInfo reason of a failed call, by name. */
export function wireReason(error: ConnectError): string {
  return ErrorReason[errorInfoOf(error)?.reason ?? ErrorReason.UNSPECIFIED];
}

/**
 * The fs area of one MDS, leading alone on a real KvStore (etcd or embedded), with FAKE
 * metaservers and topology partitions (test/support) and the real S3 probe against the run's
 * MinIO. Time for sessions and locks is a ManualClock.
 */
import { create } from "@bufbuild/protobuf";
import { pino } from "pino";
import { inject } from "vitest";
import type { VolumeInfo } from "../../../impl/gen/curve/common/v1/common_pb.js";
import {
  type CreateFsRequest,
  CreateFsRequestSchema,
  type Mountpoint,
  MountpointSchema,
} from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { type FsBackgroundTasks, FsManager } from "../../../impl/mds/fs/fs-manager.js";
import type { VolumeSpaces } from "../../../impl/mds/fs/fs-ports.js";
import { type StorageProbe, s3StorageProbe } from "../../../impl/mds/fs/storage-probe.js";
import { IdAllocator } from "../../../impl/mds/id-allocator.js";
import { type SoleLeaderGate, soleLeaderGate } from "../../../impl/mds/leader-gate.js";
import { type MdsConfigOverrides, withOverrides } from "../../../impl/mds/mds-config.js";
import type { MdsContext } from "../../../impl/mds/mds-context.js";
import { FakeFsPartitions } from "../../support/fake-fs-partitions.js";
import { FakeMetaServerClient } from "../../support/fake-metaserver-client.js";
import { ManualClock } from "../../support/manual-clock.js";
import {
  type KvBackend,
  type KvBackendName,
  openKvBackend,
} from "../../support/mds-kv-backends.js";

/** A VolumeSpaces that only records what it was asked. */
export class RecordingSpaces implements VolumeSpaces {
  readonly inited = new Map<number, VolumeInfo>();
  readonly destroyed: number[] = [];
  async init(fsId: number, volume: VolumeInfo): Promise<void> {
    this.inited.set(fsId, volume);
  }
  async destroy(fsId: number): Promise<void> {
    this.destroyed.push(fsId);
  }
}

/** The real S3 probe, counting its calls. */
export class CountingProbe implements StorageProbe {
  calls = 0;
  readonly #real = s3StorageProbe(5000);
  probeS3: StorageProbe["probeS3"] = async (s3, fsName) => {
    this.calls++;
    await this.#real.probeS3(s3, fsName);
  };
}

export interface FsHarness {
  readonly backend: KvBackend;
  readonly clock: ManualClock;
  readonly metaServers: FakeMetaServerClient;
  readonly partitions: FakeFsPartitions;
  readonly spaces: RecordingSpaces;
  readonly probe: CountingProbe;
  gate: SoleLeaderGate;
  ctx: MdsContext;
  fs: FsManager;
  tasks: FsBackgroundTasks;
  /** Closes this "MDS process" and starts another on the same data (a restart or failover). */
  restart(options?: { readonly reopenStore?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Short intervals, so that background tasks are quick to drive. */
export const TEST_CONFIG: MdsConfigOverrides = {
  partitionsPerFs: 3,
  sessionTtlMs: 20_000,
  sessionScanIntervalMs: 5_000,
  fsDeletionIntervalMs: 60_000,
  metaServerRetryIntervalMs: 5,
  idBundleSizes: { chunk: 10, fs: 3 },
};

export async function startFsHarness(
  backendName: KvBackendName,
  overrides: MdsConfigOverrides = {},
): Promise<FsHarness> {
  const backend = await openKvBackend(backendName, "mds-fs");
  const clock = new ManualClock();
  const metaServers = new FakeMetaServerClient();
  const partitions = new FakeFsPartitions(metaServers);
  const spaces = new RecordingSpaces();
  const probe = new CountingProbe();
  const config = withOverrides({ ...TEST_CONFIG, ...overrides });

  const startProcess = async () => {
    const gate = await soleLeaderGate(backend.kv, { ttlSeconds: 5 });
    const ctx: MdsContext = {
      kv: backend.kv,
      gate,
      ids: new IdAllocator({ kv: backend.kv, gate, bundleSizes: config.idBundleSizes }),
      clock,
      logger: pino({ level: "silent" }),
      config,
    };
    const fs = new FsManager({ ctx, partitions, metaServers, spaces, probe });
    await fs.load();
    const tasks = fs.start(gate.signal);
    return { gate, ctx, fs, tasks };
  };

  const harness: FsHarness = {
    backend,
    clock,
    metaServers,
    partitions,
    spaces,
    probe,
    ...(await startProcess()),
    async restart(options = {}) {
      await harness.gate.close();
      if (options.reopenStore) await backend.reopen();
      Object.assign(harness, await startProcess());
    },
    async close() {
      await harness.gate.close();
      await backend.close();
    },
  };
  return harness;
}

/** A CreateFs request for an S3 fs on the run's MinIO. */
export function s3FsRequest(
  fsName: string,
  changes: Partial<Omit<CreateFsRequest, "$typeName">> = {},
): CreateFsRequest {
  const s3 = inject("s3");
  return create(CreateFsRequestSchema, {
    fsName,
    blockSize: 1n << 20n,
    capacity: 100n << 30n,
    owner: "alice",
    enableSumInDir: false,
    recycleTimeHours: 24,
    detail: {
      case: "s3Info",
      value: {
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        accessKey: s3.accessKey,
        secretKey: s3.secretKey,
        region: s3.region,
        blockSize: 4n << 20n,
        chunkSize: 64n << 20n,
      },
    },
    ...changes,
  });
}

/** A CreateFs request for a VOLUME fs. */
export function volumeFsRequest(fsName: string, volumeName = `${fsName}-vol`): CreateFsRequest {
  return create(CreateFsRequestSchema, {
    fsName,
    blockSize: 4096n,
    capacity: 1n << 30n,
    owner: "bob",
    detail: {
      case: "volumeInfo",
      value: {
        volumeName,
        volumeSize: 1n << 30n,
        blockSize: 4096,
        extentGroupSize: 1n << 20n,
      },
    },
  });
}

/** A mount point. */
export function mountpoint(hostname: string, port: number, path: string, cto = true): Mountpoint {
  return create(MountpointSchema, { hostname, port, path, cto });
}

/** Advances the manual clock in steps until `promise` settles (for waits inside the MDS). */
export async function advanceUntilSettled<T>(
  clock: ManualClock,
  promise: Promise<T>,
  stepMs = 10,
): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  while (!settled) {
    await clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return watched;
}

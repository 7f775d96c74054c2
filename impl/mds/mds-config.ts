/**
 * The tunables of one MDS process, with the defaults the spec comments state (mds.proto,
 * topology.proto, heartbeat.proto) or Curve's defaults where the spec leaves them to the server
 * configuration. Every duration is in milliseconds unless its name says otherwise.
 */

/** The counters of `IdAllocator` (id-allocator.ts); each is cluster-wide and starts at 1. */
export type IdCounter =
  | "fs"
  | "partition"
  | "chunk"
  | "metaserver"
  | "chunkserver"
  | "pool"
  | "zone"
  | "copyset";

/** Everything an MDS can be configured with. */
export interface MdsConfig {
  // --- leader election (DESIGN §1) ---
  /** TTL of the leader's etcd lease, in whole seconds. A dead leader is replaced after this. */
  readonly electionTtlSeconds: number;
  /** After a failed campaign (etcd unreachable), try again after this long. */
  readonly campaignRetryMs: number;

  // --- mount sessions (MdsService.MountFs / RefreshSession) ---
  /** A mount point not refreshed for this long is removed. */
  readonly sessionTtlMs: number;
  /** How often clients are told to refresh: `sessionTtlMs` / 5. */
  readonly refreshIntervalMs: number;
  /**
   * How often the leader looks for expired sessions. At most `sessionTtlMs`, so that an expired
   * mount point goes no later than 2 × `sessionTtlMs` after its last renewal (the spec's bound).
   */
  readonly sessionScanIntervalMs: number;

  // --- rename lock (MdsService.GetLatestTxId / CommitTx) ---
  /** How long a rename lock is held without renewal. */
  readonly txLockTtlMs: number;
  /** How long GetLatestTxId waits for a lock held by another owner. */
  readonly txLockWaitMs: number;
  /** How often a waiting GetLatestTxId looks at the lock again. */
  readonly txLockRetryMs: number;

  // --- file systems ---
  /** Partitions CreateFs makes for a new fs (Curve's CreatePartitionNumber). */
  readonly partitionsPerFs: number;
  /** How often the leader advances the deletion of DELETING file systems. */
  readonly fsDeletionIntervalMs: number;
  /** ListFs page size when the request gives 0. */
  readonly listFsDefaultPageSize: number;
  /** Deadline of the S3 probe of CreateFs (a put and a delete). */
  readonly s3ProbeTimeoutMs: number;

  // --- topology and heartbeats (topology.proto, heartbeat.proto) ---
  /** Inode ids per partition: 2^20. */
  readonly inodeIdsPerPartition: number;
  /** Most partitions one copyset hosts. */
  readonly maxPartitionsPerCopyset: number;
  /** Most copysets one server hosts. */
  readonly maxCopysetsPerServer: number;
  /** Interval at which servers are asked to send heartbeats. */
  readonly heartbeatIntervalMs: number;
  /** A server silent for this long is UNSTABLE (three missed heartbeats). */
  readonly serverUnstableAfterMs: number;
  /** A server silent for this long is OFFLINE and its copysets are repaired. */
  readonly serverOfflineAfterMs: number;
  /** Whether the MDS replaces OFFLINE members of copysets (CHANGE_PEER in heartbeat replies). */
  readonly repairOfflineServers: boolean;
  /** How often the leader re-evaluates server liveness. */
  readonly livenessScanIntervalMs: number;

  // --- ids ---
  /** Ids reserved from etcd per compare-and-swap, per counter (Curve: chunk 1000, fs 100). */
  readonly idBundleSizes: Readonly<Record<IdCounter, number>>;

  // --- MDS → metaserver calls (metaserver-client.ts) ---
  /** Deadline of one call to one metaserver. */
  readonly metaServerCallTimeoutMs: number;
  /**
   * Attempts per logical call, across members and leader hints. With 3 members and the retry
   * interval between rounds, enough to outlast the first election of a copyset the MDS has
   * just created (a Raft election timeout is 1–2 s), so CreateFs does not fail on a new one.
   */
  readonly metaServerCallAttempts: number;
  /** No new attempt of a logical call starts after this long (bounds calls to hung servers). */
  readonly metaServerCallBudgetMs: number;
  /** Pause between rounds of attempts when no member knew a leader. */
  readonly metaServerRetryIntervalMs: number;
}

/** The defaults. */
export const defaultMdsConfig: MdsConfig = {
  electionTtlSeconds: 5,
  campaignRetryMs: 500,

  sessionTtlMs: 20_000,
  refreshIntervalMs: 4_000,
  sessionScanIntervalMs: 10_000,

  txLockTtlMs: 5_000,
  txLockWaitMs: 300,
  txLockRetryMs: 30,

  partitionsPerFs: 12,
  fsDeletionIntervalMs: 10_000,
  listFsDefaultPageSize: 100,
  s3ProbeTimeoutMs: 10_000,

  inodeIdsPerPartition: 2 ** 20,
  maxPartitionsPerCopyset: 128,
  maxCopysetsPerServer: 100,
  heartbeatIntervalMs: 10_000,
  serverUnstableAfterMs: 30_000,
  serverOfflineAfterMs: 1_800_000,
  repairOfflineServers: true,
  livenessScanIntervalMs: 5_000,

  idBundleSizes: {
    fs: 100,
    partition: 100,
    chunk: 1000,
    metaserver: 10,
    chunkserver: 10,
    pool: 10,
    zone: 10,
    copyset: 100,
  },

  metaServerCallTimeoutMs: 5_000,
  metaServerCallAttempts: 45,
  metaServerCallBudgetMs: 10_000,
  metaServerRetryIntervalMs: 200,
};

/** Overrides for `withOverrides`: any subset, `idBundleSizes` merged per counter. */
export type MdsConfigOverrides = Partial<Omit<MdsConfig, "idBundleSizes">> & {
  readonly idBundleSizes?: Partial<Record<IdCounter, number>>;
};

/** `base` with `overrides` applied (undefined values are ignored). */
export function withOverrides(
  overrides: MdsConfigOverrides = {},
  base: MdsConfig = defaultMdsConfig,
): MdsConfig {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as MdsConfigOverrides;
  return {
    ...base,
    ...defined,
    idBundleSizes: { ...base.idBundleSizes, ...defined.idBundleSizes },
  };
}

/**
 * How a core is set up. Time is counted in ticks: the runtime calls `tick()` at a fixed period
 * (the spec's defaults: election timeout 1000 ms, heartbeats every 100 ms, so a 100 ms tick with
 * `electionTicks: 10, heartbeatTicks: 1`).
 */
import type { LogStorage } from "./log-storage.js";
import type { Random } from "./prng.js";
import type { ForcedConf, NodeId } from "./types.js";

/** How the leader confirms a linearizable read (see read-index.ts). */
export type ReadMode = "read-index" | "lease";

export interface RaftConfig {
  /** This node's address inside the group. */
  readonly id: NodeId;
  readonly storage: LogStorage;
  /** Seeded randomness for election timeouts. */
  readonly random: Random;
  /**
   * The election timeout T in ticks (default 10). Followers campaign after a random time in
   * [T, 2T) without hearing from a leader; leaders check their quorum every T.
   */
  readonly electionTicks?: number;
  /** Ticks between a leader's heartbeats (default 1). */
  readonly heartbeatTicks?: number;
  /** Run a pre-vote before every election (default true; the spec requires it). */
  readonly preVote?: boolean;
  /**
   * Check quorum and leader lease (default true; the spec requires them): a leader steps down
   * when a majority has not answered within T, and a node that heard from a leader within T
   * refuses votes unless the election is a leadership transfer.
   */
  readonly checkQuorum?: boolean;
  /** Default "read-index"; "lease" needs `checkQuorum`. */
  readonly readMode?: ReadMode;
  /** Lease mode: ticks by which the lease is cut short to allow for clock drift (default 2). */
  readonly leaseDriftTicks?: number;
  /** Entries per AppendEntries (default 1024, the spec's limit). */
  readonly maxEntriesPerAppend?: number;
  /** Data bytes per AppendEntries before it is cut (default 1 MiB); one larger entry goes alone. */
  readonly maxBytesPerAppend?: number;
  /** AppendEntries in flight per follower in replicate state (default 256). */
  readonly maxInflightAppends?: number;
  /** Data bytes of committed entries handed out per Ready (default 64 MiB; at least one entry). */
  readonly maxCommittedBytesPerReady?: number;
  /** A new peer is added once within this many entries of the leader's last index (default 1000). */
  readonly catchUpMargin?: number;
  /** A new peer that makes no progress for this many ticks is given up (default 10 T). */
  readonly catchUpTimeoutTicks?: number;
  /** The largest configuration (default 16, the spec's limit). */
  readonly maxVoters?: number;
  /**
   * The state machine's applied index on restart (default: the snapshot's index). Committed
   * entries after it are handed out again.
   */
  readonly applied?: number;
  /** The configuration a ResetPeer forced before a restart (see `Raft.forceConfiguration`). */
  readonly forcedConf?: ForcedConf;
}

export type ResolvedConfig = Required<Omit<RaftConfig, "forcedConf">> &
  Pick<RaftConfig, "forcedConf">;

export function resolveConfig(config: RaftConfig): ResolvedConfig {
  const electionTicks = config.electionTicks ?? 10;
  const resolved: ResolvedConfig = {
    electionTicks,
    heartbeatTicks: 1,
    preVote: true,
    checkQuorum: true,
    readMode: "read-index",
    leaseDriftTicks: 2,
    maxEntriesPerAppend: 1024,
    maxBytesPerAppend: 1024 * 1024,
    maxInflightAppends: 256,
    maxCommittedBytesPerReady: 64 * 1024 * 1024,
    catchUpMargin: 1000,
    catchUpTimeoutTicks: 10 * electionTicks,
    maxVoters: 16,
    applied: config.storage.snapshot().meta.index,
    ...withoutUndefined(config),
  };
  const positive: (keyof ResolvedConfig)[] = [
    "electionTicks",
    "heartbeatTicks",
    "maxEntriesPerAppend",
    "maxBytesPerAppend",
    "maxInflightAppends",
    "maxCommittedBytesPerReady",
    "catchUpTimeoutTicks",
    "maxVoters",
  ];
  for (const key of positive) {
    const value = resolved[key];
    if (typeof value !== "number" || !(value > 0)) {
      throw new RangeError(`raft config: ${key} must be positive, got ${String(value)}`);
    }
  }
  if (resolved.id === "") throw new RangeError("raft config: id must not be empty");
  if (resolved.heartbeatTicks >= resolved.electionTicks) {
    throw new RangeError("raft config: heartbeatTicks must be below electionTicks");
  }
  if (resolved.readMode === "lease") {
    if (!resolved.checkQuorum) throw new RangeError("raft config: lease reads need checkQuorum");
    if (resolved.leaseDriftTicks < 0 || resolved.leaseDriftTicks >= resolved.electionTicks) {
      throw new RangeError("raft config: leaseDriftTicks must be in [0, electionTicks)");
    }
  }
  return resolved;
}

function withoutUndefined(config: RaftConfig): RaftConfig {
  return Object.fromEntries(
    Object.entries(config).filter(([, value]) => value !== undefined),
  ) as unknown as RaftConfig;
}

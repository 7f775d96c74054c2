import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { HeartbeatService } from "../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { TopologyService } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { SpaceAllocService } from "../../impl/gen/curve/space/v1/space_pb.js";
import type { S3Endpoint } from "../providers/types.js";
import type { Protocol } from "./protocol.js";
import type { RunnerPeer } from "./raft-peers.js";
import type { PartitionSource } from "./target.js";

/** What the steps of a case get: typed clients of the target over one protocol. */
export interface CaseContext {
  readonly protocol: Protocol;
  /** The transport to the MDS leader (for calls made from a method descriptor). */
  readonly mdsTransport: Transport;
  readonly mds: Client<typeof MdsService>;
  readonly topology: Client<typeof TopologyService>;
  readonly heartbeat: Client<typeof HeartbeatService>;
  readonly space: Client<typeof SpaceAllocService>;
  /** Base URLs of the target's metaservers, as given to the runner (may be empty). */
  readonly metaserverUrls: readonly string[];
  /** Base URLs of the target's chunkservers, as given to the runner (may be empty). */
  readonly chunkserverUrls: readonly string[];
  /** How metaserver cases get a partition (see `PartitionSource`). */
  readonly partitionSource: PartitionSource;
  /** The target's bucket (present when the case requires `s3`). */
  readonly s3: S3Endpoint | undefined;
  /** A traced transport to any server of the target ("http://host:port"), over this protocol. */
  transportTo(url: string): Transport;
  /**
   * A name valid under the spec's name rule (`^([a-z0-9]+-?)+$`) that no other case, protocol
   * or run uses: the target's state outlives each case.
   */
  unique(prefix: string): string;
  /**
   * A number in [1, 2^31) that no other call of this run returns, for ids the runner picks
   * itself (copysets it creates, file systems of runner-made partitions). Runs differ by their
   * random base; a collision with an earlier run's id is possible but unlikely.
   */
  uniqueNumber(): number;
  /** The two Raft peers the runner plays (started on first use, shared by the whole run). */
  runnerPeers(): Promise<readonly [RunnerPeer, RunnerPeer]>;
  /**
   * A fixture made on first use and kept for the rest of the run in this protocol (e.g. the
   * copyset that hosts runner-made partitions); a failed make is retried by the next case.
   */
  once<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** Builds the context of one protocol; `runId` keeps names of separate runs apart. */
export function createCaseContext(parts: {
  protocol: Protocol;
  mdsTransport: Transport;
  metaserverUrls: readonly string[];
  chunkserverUrls: readonly string[];
  partitionSource: PartitionSource;
  transportTo: (url: string) => Transport;
  s3: S3Endpoint | undefined;
  runId: string;
  numbers: () => number;
  runnerPeers: () => Promise<readonly [RunnerPeer, RunnerPeer]>;
}): CaseContext {
  const { protocol, mdsTransport, s3, runId } = parts;
  let counter = 0;
  const fixtures = new Map<string, Promise<unknown>>();
  const protocolTag = protocol.replace("-", "");
  return {
    protocol,
    mdsTransport,
    mds: createClient(MdsService, mdsTransport),
    topology: createClient(TopologyService, mdsTransport),
    heartbeat: createClient(HeartbeatService, mdsTransport),
    space: createClient(SpaceAllocService, mdsTransport),
    metaserverUrls: parts.metaserverUrls,
    chunkserverUrls: parts.chunkserverUrls,
    partitionSource: parts.partitionSource,
    s3,
    transportTo: parts.transportTo,
    unique: (prefix) => `${prefix}-${runId}-${protocolTag}-${++counter}`,
    uniqueNumber: parts.numbers,
    runnerPeers: parts.runnerPeers,
    once<T>(key: string, make: () => Promise<T>): Promise<T> {
      let fixture = fixtures.get(key) as Promise<T> | undefined;
      if (fixture === undefined) {
        fixture = make();
        fixtures.set(key, fixture);
        fixture.catch(() => fixtures.delete(key));
      }
      return fixture;
    },
  };
}

/** The number source shared by the protocols of one run: a random base, then +1 per call. */
export function runNumbers(runId: string): () => number {
  // 2^20 runs' worth of room below 2^31: the base is the run id's low 20 bits × 1024.
  let next = (Number.parseInt(runId.slice(-5), 16) % (1 << 20)) * 1024 + 1;
  return () => next++;
}

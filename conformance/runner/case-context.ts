import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { HeartbeatService } from "../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { TopologyService } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { SpaceAllocService } from "../../impl/gen/curve/space/v1/space_pb.js";
import type { S3Endpoint } from "../providers/types.js";
import type { Protocol } from "./protocol.js";

/** What the steps of a case get: typed clients of the target over one protocol. */
export interface CaseContext {
  readonly protocol: Protocol;
  /** The transport to the MDS leader (for calls made from a method descriptor). */
  readonly mdsTransport: Transport;
  readonly mds: Client<typeof MdsService>;
  readonly topology: Client<typeof TopologyService>;
  readonly heartbeat: Client<typeof HeartbeatService>;
  readonly space: Client<typeof SpaceAllocService>;
  /** The target's bucket (present when the case requires `s3`). */
  readonly s3: S3Endpoint | undefined;
  /**
   * A name valid under the spec's name rule (`^([a-z0-9]+-?)+$`) that no other case, protocol
   * or run uses: the target's state outlives each case.
   */
  unique(prefix: string): string;
}

/** Builds the context of one protocol; `runId` keeps names of separate runs apart. */
export function createCaseContext(parts: {
  protocol: Protocol;
  mdsTransport: Transport;
  s3: S3Endpoint | undefined;
  runId: string;
}): CaseContext {
  const { protocol, mdsTransport, s3, runId } = parts;
  let counter = 0;
  const protocolTag = protocol.replace("-", "");
  return {
    protocol,
    mdsTransport,
    mds: createClient(MdsService, mdsTransport),
    topology: createClient(TopologyService, mdsTransport),
    heartbeat: createClient(HeartbeatService, mdsTransport),
    space: createClient(SpaceAllocService, mdsTransport),
    s3,
    unique: (prefix) => `${prefix}-${runId}-${protocolTag}-${++counter}`,
  };
}

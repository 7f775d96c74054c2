/**
 * A conformance case: one rule of the spec, checked through the public RPCs of a target.
 *
 * Cases are data: a stable id, the service and RPC they cover, the spec sentence they check
 * (quoted from the proto comment), what the target must offer, and their steps. The runner runs
 * each case once per protocol.
 */
import type { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import type { CaseContext } from "./case-context.js";

/**
 * What a case needs from the target besides an MDS:
 * - `metaserver`: metaservers registered with the MDS (CreateFs needs them for partitions and
 *   the root inode);
 * - `chunkserver`: chunkservers registered with the MDS;
 * - `s3`: a bucket the target can reach, for the storage settings of an S3 fs.
 */
export type Requirement = "metaserver" | "chunkserver" | "s3";

export interface ConformanceCase {
  /** Stable, `<service>.<rpc>.<rule>` in snake_case, e.g. `mds.create_fs.invalid_name`. */
  readonly id: string;
  /** The fully qualified service, e.g. `curve.mds.v1.MdsService`. */
  readonly service: string;
  /** The RPC's name as in the proto, e.g. `CreateFs`. */
  readonly rpc: string;
  /** The sentence of the proto comment the case checks, quoted. */
  readonly spec: string;
  readonly requires: readonly Requirement[];
  /** The error reasons the case expects at least once (for coverage.json). */
  readonly reasons: readonly ErrorReason[];
  /** The steps; throws (usually a `CaseFailure`) when the target breaks the rule. */
  readonly run: (ctx: CaseContext) => Promise<void>;
}

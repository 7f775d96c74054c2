import type { S3Endpoint } from "../providers/types.js";
import type { Requirement } from "./case.js";

/**
 * Where metaserver cases get a partition to work on:
 * - `mds`: the way every cluster gives partitions, CreateFs on the MDS (which places the fs's
 *   partitions on registered metaservers), then ListPartitions for the route;
 * - `runner`: the metaservers are not registered with the MDS, so the runner makes a one-member
 *   copyset on the first metaserver (CopysetService) and a partition in it (CreatePartition),
 *   as an MDS would. Cases that need the fs in the MDS too (chunk ids, rename tx ids) still
 *   create it through the MDS.
 */
export type PartitionSource = "mds" | "runner";

/** The servers under test. */
export interface Target {
  /** One line for the run log. */
  readonly description: string;
  /** Base URLs ("http://host:port") of the MDS processes; the first one that leads is used. */
  readonly mdsUrls: readonly string[];
  readonly metaserverUrls: readonly string[];
  readonly chunkserverUrls: readonly string[];
  readonly partitionSource: PartitionSource;
  /** A bucket the target can reach, for S3 file systems (absent: S3 cases are skipped). */
  readonly s3: S3Endpoint | undefined;
  /** What the target offers; a case that needs anything else is skipped. */
  readonly offers: ReadonlySet<Requirement>;
  /** Stops what the runner started for this target. */
  close(): Promise<void>;
}

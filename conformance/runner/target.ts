import type { S3Endpoint } from "../providers/types.js";
import type { Requirement } from "./case.js";

/** The servers under test. */
export interface Target {
  /** One line for the run log. */
  readonly description: string;
  /** Base URLs ("http://host:port") of the MDS processes; the first one that leads is used. */
  readonly mdsUrls: readonly string[];
  readonly metaserverUrls: readonly string[];
  readonly chunkserverUrls: readonly string[];
  /** A bucket the target can reach, for S3 file systems (absent: S3 cases are skipped). */
  readonly s3: S3Endpoint | undefined;
  /** What the target offers; a case that needs anything else is skipped. */
  readonly offers: ReadonlySet<Requirement>;
  /** Stops what the runner started for this target. */
  close(): Promise<void>;
}

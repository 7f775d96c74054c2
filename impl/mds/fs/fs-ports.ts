/**
 * What the file-system life cycle needs from other areas of the MDS, as narrow ports: the
 * partitions of an fs (owned by the topology) and the space of a VOLUME fs (owned by
 * SpaceAllocService). mds-server.ts binds them to those areas; tests may bind doubles.
 */
import type { FsType, PartitionInfo, VolumeInfo } from "../../gen/curve/common/v1/common_pb.js";
import type { CopysetLocation } from "../metaserver-client.js";

/** The partitions of file systems, as recorded by the topology. */
export interface FsPartitions {
  /**
   * Makes sure a NEW fs has its initial `count` partitions, created on the metaservers, and
   * returns them (resumable: a second call completes what a failed one left). Fails with
   * NOT_ENOUGH_SERVERS or LEADER_UNKNOWN.
   */
  createInitial(fsId: number, fsType: FsType, count: number): Promise<PartitionInfo[]>;
  /** Every partition recorded for the fs, created on the metaservers or not, by ascending id. */
  list(fsId: number): Promise<PartitionInfo[]>;
  /** Where the partition's copyset lives (members and last known leader). */
  locate(partition: PartitionInfo): Promise<CopysetLocation>;
  /** Records the partition DELETING (one-way). */
  markDeleting(partition: PartitionInfo): Promise<void>;
  /** Forgets the partition (its metaservers removed it). */
  remove(partition: PartitionInfo): Promise<void>;
}

/** The space allocator of VOLUME file systems. */
export interface VolumeSpaces {
  /** Creates the space of a VOLUME fs (idempotent); CreateFs does it before INITED. */
  init(fsId: number, volume: VolumeInfo): Promise<void>;
  /** Destroys the space of a VOLUME fs whose deletion finishes (idempotent). */
  destroy(fsId: number): Promise<void>;
}

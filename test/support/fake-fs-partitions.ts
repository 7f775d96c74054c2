/**
 * A FAKE of the topology's partition port (FsPartitions) for unit tests of the fs life cycle:
 * partitions in memory, placed on one made-up copyset and created on a FakeMetaServerClient,
 * with ranges of 2^20 ids starting at 0. It can be told to fail like the topology does
 * (NOT_ENOUGH_SERVERS) after creating some partitions.
 */
import { create } from "@bufbuild/protobuf";
import { CurveError } from "../../impl/errors.js";
import {
  type FsType,
  type PartitionInfo,
  PartitionInfoSchema,
  PartitionStatus,
} from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import type { FsPartitions } from "../../impl/mds/fs/fs-ports.js";
import type { CopysetLocation } from "../../impl/mds/metaserver-client.js";
import type { FakeMetaServerClient } from "./fake-metaserver-client.js";

const IDS_PER_PARTITION = 2n ** 20n;
const LOCATION: CopysetLocation = {
  poolId: 1,
  copysetId: 1,
  members: ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"],
};

export class FakeFsPartitions implements FsPartitions {
  readonly records = new Map<number, PartitionInfo>();
  #nextId = 1;
  /** When set, creation fails with NOT_ENOUGH_SERVERS after this many new partitions. */
  failAfter: number | undefined;

  constructor(private readonly metaServers: FakeMetaServerClient) {}

  async createInitial(fsId: number, fsType: FsType, count: number): Promise<PartitionInfo[]> {
    let created = 0;
    while (this.#of(fsId).length < count) {
      if (this.failAfter !== undefined && created >= this.failAfter) {
        throw new CurveError(ErrorReason.NOT_ENOUGH_SERVERS, "fake: no room for a partition");
      }
      const index = BigInt(this.#of(fsId).length);
      const info = create(PartitionInfoSchema, {
        fsId,
        poolId: LOCATION.poolId,
        copysetId: LOCATION.copysetId,
        partitionId: this.#nextId++,
        start: index * IDS_PER_PARTITION,
        end: (index + 1n) * IDS_PER_PARTITION - 1n,
        status: PartitionStatus.READ_WRITE,
      });
      this.records.set(info.partitionId, info);
      await this.metaServers.createPartition(LOCATION, info, fsType);
      created++;
    }
    return this.#of(fsId);
  }

  async list(fsId: number): Promise<PartitionInfo[]> {
    return this.#of(fsId);
  }

  async locate(): Promise<CopysetLocation> {
    return LOCATION;
  }

  async markDeleting(partition: PartitionInfo): Promise<void> {
    const record = this.records.get(partition.partitionId);
    if (record)
      this.records.set(record.partitionId, { ...record, status: PartitionStatus.DELETING });
  }

  async remove(partition: PartitionInfo): Promise<void> {
    this.records.delete(partition.partitionId);
  }

  #of(fsId: number): PartitionInfo[] {
    return [...this.records.values()]
      .filter((p) => p.fsId === fsId)
      .sort((a, b) => a.partitionId - b.partitionId);
  }
}

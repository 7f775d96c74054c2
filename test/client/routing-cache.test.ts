import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { RoutingCache } from "../../impl/client/routing-cache.js";
import { PartitionInfoSchema, PartitionStatus } from "../../impl/gen/curve/common/v1/common_pb.js";
import { CopysetSchema } from "../../impl/gen/curve/mds/v1/cluster_pb.js";
import { PartitionRouteSchema } from "../../impl/gen/curve/mds/v1/topology_pb.js";

const SIZE = 1n << 20n;

function route(
  partitionId: number,
  index: bigint,
  copysetId: number,
  extra: { txId?: bigint; status?: PartitionStatus; leader?: string } = {},
) {
  return create(PartitionRouteSchema, {
    partition: create(PartitionInfoSchema, {
      fsId: 1,
      poolId: 1,
      copysetId,
      partitionId,
      start: index * SIZE,
      end: (index + 1n) * SIZE - 1n,
      txId: extra.txId ?? 0n,
      status: extra.status ?? PartitionStatus.READ_WRITE,
    }),
    copyset: create(CopysetSchema, {
      poolId: 1,
      copysetId,
      peers: [1, 2, 3].map((i) => ({ id: i, address: `10.0.${copysetId}.${i}:6701` })),
      ...(extra.leader ? { leader: { id: 0, address: extra.leader } } : {}),
    }),
  });
}

describe("RoutingCache", () => {
  it("routes an inode id to the partition whose range holds it", () => {
    const cache = new RoutingCache();
    cache.replaceAll([route(7, 2n, 3), route(5, 0n, 1), route(6, 1n, 2)]);
    expect(cache.partitionOf(1n)?.partitionId).toBe(5);
    expect(cache.partitionOf(SIZE - 1n)?.partitionId).toBe(5);
    expect(cache.partitionOf(SIZE)?.partitionId).toBe(6);
    expect(cache.partitionOf(3n * SIZE - 1n)?.partitionId).toBe(7);
    expect(cache.partitionOf(3n * SIZE)).toBeUndefined();
  });

  it("picks only READ_WRITE partitions for new inodes and reports the read-only ones", () => {
    const cache = new RoutingCache();
    cache.replaceAll([route(1, 0n, 1), route(2, 1n, 1, { status: PartitionStatus.READ_ONLY })]);
    cache.markReadOnly(1);
    expect(cache.pickWritable(() => 0.99)).toBeUndefined();
    expect(cache.readOnlyIds()).toEqual([1, 2]);
    cache.merge([route(3, 2n, 2)]);
    expect(cache.pickWritable(() => 0)?.partitionId).toBe(3);
  });

  it("never moves a partition back from READ_ONLY when an older listing says READ_WRITE", () => {
    const cache = new RoutingCache();
    cache.replaceAll([route(1, 0n, 1)]);
    cache.markReadOnly(1);
    cache.replaceAll([route(1, 0n, 1)]);
    expect(cache.byId(1)?.status).toBe(PartitionStatus.READ_ONLY);
  });

  it("only raises tx ids, also across a reload with an older MDS view", () => {
    const cache = new RoutingCache();
    cache.replaceAll([route(1, 0n, 1, { txId: 4n }), route(2, 1n, 1)]);
    cache.learnTxIds([
      { partitionId: 1, txId: 3n },
      { partitionId: 2, txId: 9n },
    ]);
    expect(cache.knownTxIds()).toEqual([
      { partitionId: 1, txId: 4n },
      { partitionId: 2, txId: 9n },
    ]);
    cache.replaceAll([route(1, 0n, 1, { txId: 4n }), route(2, 1n, 1, { txId: 2n })]);
    expect(cache.byId(2)?.txId).toBe(9n);
  });

  it("keeps a leader learned from a call over the MDS's report while it is still a member", () => {
    const cache = new RoutingCache();
    cache.replaceAll([route(1, 0n, 4, { leader: "10.0.4.1:6701" })]);
    expect(cache.copyset(1, 4)?.leader).toBe("10.0.4.1:6701");
    cache.setLeader(1, 4, "10.0.4.3:6701");
    cache.replaceAll([route(1, 0n, 4, { leader: "10.0.4.1:6701" })]);
    expect(cache.copyset(1, 4)?.leader).toBe("10.0.4.3:6701");
    cache.setLeader(1, 4, "10.9.9.9:6701");
    cache.replaceAll([route(1, 0n, 4, { leader: "10.0.4.2:6701" })]);
    expect(cache.copyset(1, 4)?.leader).toBe("10.0.4.2:6701");
  });
});

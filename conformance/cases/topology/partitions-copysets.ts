/** CreatePartitions, ListPartitions, GetCopysets. */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { TopologyService } from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, poolWithZone, UNKNOWN_FS_ID, UNKNOWN_ID } from "../fixtures.js";

const m = TopologyService.method;

export const partitionCopysetCases: ConformanceCase[] = [
  rejects({
    id: "topology.create_partitions.unknown_fs",
    method: m.createPartitions,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: { fsId: UNKNOWN_FS_ID, count: 1 },
    expect: fsNotFound,
  }),
  rejects({
    id: "topology.create_partitions.count_zero",
    method: m.createPartitions,
    spec: "The number of READ_WRITE partitions the fs should have at least after the call: 1 to 64.",
    request: { fsId: UNKNOWN_FS_ID, count: 0 },
    expect: invalidArgument("count"),
  }),
  rejects({
    id: "topology.create_partitions.count_too_large",
    method: m.createPartitions,
    spec: "The number of READ_WRITE partitions the fs should have at least after the call: 1 to 64.",
    request: { fsId: UNKNOWN_FS_ID, count: 65 },
    expect: invalidArgument("count"),
  }),
  rejects({
    id: "topology.create_partitions.duplicate_read_only_ids",
    method: m.createPartitions,
    spec: "Partitions of this fs that the caller found read-only; at most 1024, each once, each greater than 0.",
    request: { fsId: UNKNOWN_FS_ID, count: 1, readOnlyPartitionIds: [3, 3] },
    expect: invalidArgument("read_only_partition_ids"),
  }),
  steps({
    id: "topology.create_partitions.repeat_creates_none",
    method: m.createPartitions,
    spec: "Idempotent: a repeat, or a concurrent call by another client, finds enough READ_WRITE partitions and creates none.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const first = await ctx.topology.createPartitions({ fsId: fs.fsId, count: 3 });
      const again = await ctx.topology.createPartitions({ fsId: fs.fsId, count: 3 });
      check(first.partitions.length >= 3, `${first.partitions.length} partitions for count 3`);
      check(again.createdCount === 0, `the repeat created ${again.createdCount}`);
    },
  }),
  rejects({
    id: "topology.list_partitions.unknown_fs",
    method: m.listPartitions,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: { fsId: UNKNOWN_FS_ID },
    expect: fsNotFound,
  }),
  rejects({
    id: "topology.list_partitions.page_size_too_large",
    method: m.listPartitions,
    spec: "The maximum number of partitions to return: 0 means the server default (1000); at most 10000.",
    request: { fsId: UNKNOWN_FS_ID, pageSize: 10001 },
    expect: invalidArgument("page_size"),
  }),
  steps({
    id: "topology.list_partitions.first_range_starts_at_zero",
    method: m.listPartitions,
    spec: "the first partition of an fs is [0, 1048575] … in ascending order of `start`",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const { partitions } = await ctx.topology.listPartitions({ fsId: fs.fsId });
      const starts = partitions.map((p) => p.partition?.start ?? -1n);
      check(starts[0] === 0n, `the first partition starts at ${starts[0]}`);
      check(
        starts.every((s, i) => i === 0 || s > (starts[i - 1] ?? 0n)),
        "starts not ascending",
      );
    },
  }),
  rejects({
    id: "topology.get_copysets.unknown_pool",
    method: m.getCopysets,
    spec: "`not_found` ERROR_REASON_POOL_NOT_FOUND: no pool has this id.",
    request: { poolId: UNKNOWN_ID, copysetIds: [1] },
    expect: { code: Code.NotFound, reason: ErrorReason.POOL_NOT_FOUND },
  }),
  rejects({
    id: "topology.get_copysets.no_ids",
    method: m.getCopysets,
    spec: "The copysets wanted: 1 to 1000 ids, each once, each greater than 0.",
    request: { poolId: UNKNOWN_ID, copysetIds: [] },
    expect: invalidArgument("copyset_ids"),
  }),
  steps({
    id: "topology.get_copysets.unknown_ids_missing_not_error",
    method: m.getCopysets,
    spec: "Ids that name no copyset of the pool are returned in `missing_copyset_ids` instead …; they are not an error.",
    run: async (ctx) => {
      const { poolId } = await poolWithZone(ctx);
      const reply = await ctx.topology.getCopysets({ poolId, copysetIds: [UNKNOWN_ID, 7] });
      check(reply.copysets.length === 0, `${reply.copysets.length} copysets in an empty pool`);
      check(
        reply.missingCopysetIds.join(",") === `${UNKNOWN_ID},7`,
        `missing_copyset_ids [${reply.missingCopysetIds.join(",")}], expected the request's order`,
      );
    },
  }),
];

import { MdsService } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { fsNotFound, invalidArgument } from "../expected.js";
import { createS3Fs, UNKNOWN_FS_ID } from "../fixtures.js";

const method = MdsService.method.allocateS3Chunk;

export const allocateS3ChunkCases: ConformanceCase[] = [
  rejects({
    id: "mds.allocate_s3_chunk.unknown_fs",
    method,
    spec: "`not_found` ERROR_REASON_FS_NOT_FOUND: no fs has this id.",
    request: { fsId: UNKNOWN_FS_ID, count: 1 },
    expect: fsNotFound,
  }),
  rejects({
    id: "mds.allocate_s3_chunk.count_zero",
    method,
    spec: "How many ids to hand out: 1 to 1000.",
    request: { fsId: UNKNOWN_FS_ID, count: 0 },
    expect: invalidArgument("count"),
  }),
  rejects({
    id: "mds.allocate_s3_chunk.count_too_large",
    method,
    spec: "How many ids to hand out: 1 to 1000.",
    request: { fsId: UNKNOWN_FS_ID, count: 1001 },
    expect: invalidArgument("count"),
  }),
  rejects({
    id: "mds.allocate_s3_chunk.zero_fs_id",
    method,
    spec: "The fs the ids are for … Greater than 0.",
    request: { fsId: 0, count: 1 },
    expect: invalidArgument("fs_id"),
  }),
  steps({
    id: "mds.allocate_s3_chunk.ranges_never_overlap",
    method,
    spec: "An id is never handed out twice … The first id; the caller owns `begin_chunk_id` to `begin_chunk_id + count - 1`. At least 1.",
    requires: ["metaserver", "s3"],
    run: async (ctx) => {
      const fs = await createS3Fs(ctx);
      const a = await ctx.mds.allocateS3Chunk({ fsId: fs.fsId, count: 10 });
      const b = await ctx.mds.allocateS3Chunk({ fsId: fs.fsId, count: 10 });
      check(a.beginChunkId >= 1n && b.beginChunkId >= 1n, "a chunk id below 1");
      const apart =
        a.beginChunkId + 10n <= b.beginChunkId || b.beginChunkId + 10n <= a.beginChunkId;
      check(apart, `ranges overlap: ${a.beginChunkId}+10 and ${b.beginChunkId}+10`);
    },
  }),
];

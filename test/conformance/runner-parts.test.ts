/**
 * Pure parts of the runner the black-box cases rely on: the log a runner peer keeps when it
 * follows the target (Raft's AppendEntries rules), which server answers which service, the
 * requirements a case gets from its service, and the run's number source.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { noOps } from "../../conformance/cases/raft/black-box-group.js";
import { runNumbers } from "../../conformance/runner/case-context.js";
import { steps } from "../../conformance/runner/define-case.js";
import { FollowerLog } from "../../conformance/runner/raft-peers.js";
import { roleOfService } from "../../conformance/runner/server-role.js";
import { MetaServerService } from "../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import {
  AppendEntriesRequestSchema,
  RaftService,
  RejectReason,
} from "../../impl/gen/curve/raft/v1/raft_pb.js";

function append(fields: {
  term: bigint;
  prev?: [bigint, bigint];
  terms?: bigint[];
  commit?: bigint;
}) {
  const [prevLogIndex, prevLogTerm] = fields.prev ?? [0n, 0n];
  return create(AppendEntriesRequestSchema, {
    term: fields.term,
    prevLogIndex,
    prevLogTerm,
    entries: noOps(prevLogIndex + 1n, fields.terms ?? []),
    leaderCommit: fields.commit ?? 0n,
  });
}

describe("FollowerLog (a runner peer following the target)", () => {
  it("appends after a matching prefix and commits up to min(leader_commit, match)", () => {
    const log = new FollowerLog();
    const first = log.append(append({ term: 1n, terms: [1n, 1n, 1n], commit: 9n }));
    expect(first).toMatchObject({ success: true, matchIndex: 3n });
    expect(log.commit).toBe(3n);
    const heartbeat = log.append(append({ term: 1n, prev: [1n, 1n], commit: 9n }));
    expect(heartbeat).toMatchObject({ success: true, matchIndex: 1n });
    expect(log.commit).toBe(3n);
  });

  it("truncates a conflicting suffix and keeps matching entries", () => {
    const log = new FollowerLog();
    log.append(append({ term: 1n, terms: [1n, 1n, 1n] }));
    log.append(append({ term: 2n, prev: [1n, 1n], terms: [2n] }));
    expect(log.entries.map((e) => e.term)).toEqual([1n, 2n]);
    log.append(append({ term: 2n, terms: [1n] }));
    expect(log.entries.map((e) => e.term)).toEqual([1n, 2n]);
  });

  it("refuses a stale term and a missing prefix with the back-off hint", () => {
    const log = new FollowerLog();
    log.append(append({ term: 3n, terms: [1n, 3n] }));
    expect(log.append(append({ term: 2n }))).toMatchObject({
      success: false,
      rejectReason: RejectReason.STALE_TERM,
      term: 3n,
    });
    expect(log.append(append({ term: 3n, prev: [5n, 2n] }))).toMatchObject({
      success: false,
      rejectReason: RejectReason.LOG_MISMATCH,
      rejectHintIndex: 1n,
      rejectHintTerm: 1n,
    });
  });
});

describe("routing and requirements", () => {
  it("sends metaserver and Raft services to a metaserver, chunk services to a chunkserver", () => {
    expect(roleOfService("curve.metaserver.v1.MetaServerService")).toBe("metaserver");
    expect(roleOfService("curve.raft.v1.CliService")).toBe("metaserver");
    expect(roleOfService("curve.chunk.v1.ChunkService")).toBe("chunkserver");
    expect(roleOfService("curve.mds.v1.MdsService")).toBe("mds");
  });

  it("a case of a metaserver service requires a metaserver besides what it lists", () => {
    const run = async () => {};
    const meta = steps({
      id: "a.b.c",
      method: MetaServerService.method.getInode,
      spec: "",
      requires: ["s3"],
      run,
    });
    const raft = steps({ id: "a.b.d", method: RaftService.method.preVote, spec: "", run });
    expect(meta.requires).toEqual(["metaserver", "s3"]);
    expect(raft.requires).toEqual(["metaserver"]);
  });

  it("numbers of one run are distinct and below 2^31", () => {
    const next = runNumbers("ffffffff");
    const numbers = Array.from({ length: 1000 }, () => next());
    expect(new Set(numbers).size).toBe(1000);
    expect(Math.max(...numbers)).toBeLessThan(2 ** 31);
    expect(Math.min(...numbers)).toBeGreaterThan(0);
  });
});

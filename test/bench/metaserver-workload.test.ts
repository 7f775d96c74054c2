/**
 * The `rpc` and `meta` suites' moving parts against a real 3-replica metaserver copyset (run
 * here in the test process instead of a child): the cluster module's fixtures, and each
 * metadata operation of the client workload doing what it claims — creates add entries, stats
 * and lookups find the fixture's files, a readdir lists the whole directory, unlinks remove
 * exactly their share and fail once it is used up. No figure is asserted.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPhase } from "../../bench/harness/load.js";
import type { Workload } from "../../bench/harness/workload.js";
import {
  createWorkload,
  type MetaserverClientParams,
} from "../../bench/remote/metaserver-client.js";
import * as cluster from "../../bench/remote/metaserver-cluster.js";

let dir = "";
let running: cluster.MetaserverCluster;
let fixture: cluster.Directory;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "curve-bench-test-"));
  running = await cluster.start({ dir });
  fixture = await cluster.makeDirectory({ name: "fixture", files: 30 });
});

afterAll(async () => {
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
});

async function withWorkload<T>(
  params: Omit<MetaserverClientParams, "url" | "fsId" | "partitionId">,
  use: (workload: Workload) => Promise<T>,
  index = 0,
): Promise<T> {
  const workload = await createWorkload(
    { url: running.leaderUrl, fsId: running.fsId, partitionId: running.partitionId, ...params },
    { index, callers: 4 },
  );
  try {
    return await use(workload);
  } finally {
    await workload.close();
  }
}

describe("metaserver cluster fixtures", () => {
  it("makes a directory of distinct files, listed in full", async () => {
    expect(fixture.fileInodeIds).toHaveLength(30);
    expect(new Set(fixture.fileInodeIds).size).toBe(30);
    expect(await cluster.countEntries({ inodeId: fixture.inodeId })).toBe(30);
    expect(cluster.fsyncs()).toBeGreaterThan(0);
  });

  it("sizes one file's records from what the leader stores", async () => {
    const bytes = await cluster.recordBytes({
      dirInodeId: fixture.inodeId,
      name: "f0",
      inodeId: fixture.fileInodeIds[0] ?? 0n,
    });
    expect(bytes).toBeGreaterThan(20);
    expect(bytes).toBeLessThan(1000);
  });
});

describe("metaserver client workload", () => {
  it("stats, lookups and readdirs succeed on the fixture", async () => {
    const shared = { dirInodeId: fixture.inodeId, fileInodeIds: fixture.fileInodeIds };
    for (const op of ["stat", "lookup", "readdir"] as const) {
      const result = await withWorkload({ ...shared, op, pageSize: 7 }, (workload) =>
        runPhase((caller, seq) => workload.run(caller, seq), 4, { ops: 40 }),
      );
      expect({ op, ops: result.ops, errors: result.errors }).toEqual({ op, ops: 40, errors: 0 });
    }
  });

  it("a readdir that lists another count fails", async () => {
    const result = await withWorkload(
      {
        op: "readdir",
        dirInodeId: fixture.inodeId,
        fileInodeIds: fixture.fileInodeIds.slice(1),
      },
      (workload) => runPhase((caller, seq) => workload.run(caller, seq), 1, { ops: 1 }),
    );
    expect(result.errors).toBe(1);
    expect(result.firstError).toContain("30 entries, expected 29");
  });

  it("creates fill a directory; unlinks of two processes empty exactly their shares", async () => {
    const target = await cluster.makeDirectory({ name: "creates", files: 0 });
    const created = await withWorkload(
      { op: "create", dirInodeId: target.inodeId, tag: "t" },
      (w) => runPhase((caller, seq) => w.run(caller, seq), 4, { ops: 21 }),
    );
    expect(created.errors).toBe(0);
    expect(await cluster.countEntries({ inodeId: target.inodeId })).toBe(21);

    // Every process lists before any unlinks (the pool sets all up before the warm-up):
    // process 0 owns entries 0, 2, …, 20 (11), process 1 the other 10.
    const unlinkers = await Promise.all(
      [0, 1].map((index) =>
        createWorkload(
          {
            url: running.leaderUrl,
            fsId: running.fsId,
            partitionId: running.partitionId,
            op: "unlink",
            dirInodeId: target.inodeId,
            processes: 2,
          },
          { index, callers: 2 },
        ),
      ),
    );
    try {
      const [first, second] = await Promise.all(
        unlinkers.map((w, index) =>
          runPhase((caller, seq) => w.run(caller, seq), 2, { ops: index === 0 ? 11 : 12 }),
        ),
      );
      expect(first?.errors).toBe(0);
      expect(second?.ops).toBe(10);
      expect(second?.firstError).toContain("no file left");
    } finally {
      await Promise.all(unlinkers.map((w) => w.close()));
    }
    expect(await cluster.countEntries({ inodeId: target.inodeId })).toBe(0);
  });
});

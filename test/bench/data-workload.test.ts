/**
 * The `data` suite's sequential loader on the real S3 (MinIO) of the test run: a put phase
 * writes exactly its objects, a get phase of the same prefix reads them back, a get of objects
 * never written fails per operation; through the client SDK on a local cluster, files written
 * in blocks read back whole; the shapes add up to the sizes the suite promises.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { KIB, MIB } from "../../bench/baselines/s3.js";
import { clientSequential, close, mount, s3Sequential } from "../../bench/remote/data-workload.js";
import * as cluster from "../../bench/remote/local-cluster-server.js";
import { dataShapes, warmupShape } from "../../bench/suites/data.js";

const s3 = inject("s3");
const prefix = `bench-test/${Date.now()}`;
const dirs: string[] = [];

afterAll(async () => {
  // The client unmounts through the MDS: close it before the cluster stops.
  await close();
  await cluster.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("data workload", () => {
  it("puts objects one after another, then gets the same ones back", async () => {
    const args = { s3, prefix, objectBytes: 64 * KIB, objects: 5 };
    const put = await s3Sequential({ ...args, op: "put" });
    expect({ ops: put.result.ops, errors: put.result.errors }).toEqual({ ops: 5, errors: 0 });
    expect(put.cpuMicros).toBeGreaterThan(0);
    const get = await s3Sequential({ ...args, op: "get" });
    expect({ ops: get.result.ops, errors: get.result.errors }).toEqual({ ops: 5, errors: 0 });
    expect(get.result.endedAtMs).toBeGreaterThanOrEqual(get.result.startedAtMs);
  });

  it("a get of objects that were never put fails each operation", async () => {
    const get = await s3Sequential({
      s3,
      prefix: `${prefix}/missing`,
      objectBytes: KIB,
      objects: 3,
      op: "get",
    });
    expect(get.result.ops).toBe(0);
    expect(get.result.errors).toBe(3);
  });

  it("writes files in blocks through the client SDK and reads them back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "curve-bench-data-"));
    dirs.push(dir);
    const { mdsUrls } = await cluster.start({ dir, s3 });
    await mount({ mdsUrls, s3, fsName: `bench-test-${Date.now() % 100000}` });
    const args = { prefix: "f", files: 2, fileBytes: 300 * KIB, blockBytes: 128 * KIB };
    // 300 KiB in 128 KiB calls: 3 calls per file, the last one short.
    const wrote = await clientSequential({ ...args, op: "write" });
    expect({ ops: wrote.result.ops, errors: wrote.result.errors }).toEqual({ ops: 6, errors: 0 });
    const read = await clientSequential({ ...args, op: "read" });
    expect({ ops: read.result.ops, errors: read.result.errors }).toEqual({ ops: 6, errors: 0 });
    // Reading on past the 300 KiB written: the third call gets 44 KiB, the fourth nothing.
    const longer = await clientSequential({ ...args, op: "read", files: 1, fileBytes: 400 * KIB });
    expect({ ops: longer.result.ops, errors: longer.result.errors }).toEqual({ ops: 2, errors: 2 });
    expect(longer.result.firstError).toContain(`${44 * KIB} of ${128 * KIB} bytes`);
  });

  it("shapes: 1 GiB in 4 MiB blocks and 1,000 files of 100 KiB; quick 64 MiB and 100 files", () => {
    const bytes = (quick: boolean) =>
      dataShapes(quick).map((shape) => ({
        name: shape.name,
        total: shape.files * shape.fileBytes,
        block: shape.blockBytes,
      }));
    expect(bytes(false)).toEqual([
      { name: "large", total: 1024 * MIB, block: 4 * MIB },
      { name: "small", total: 1000 * 100 * KIB, block: 100 * KIB },
    ]);
    expect(bytes(true)).toEqual([
      { name: "large", total: 64 * MIB, block: 4 * MIB },
      { name: "small", total: 100 * 100 * KIB, block: 100 * KIB },
    ]);
  });

  it("warm-ups are a tenth of a shape, under its block size", () => {
    const [large, small] = dataShapes(false);
    expect(warmupShape(large as never)).toMatchObject({ files: 1, fileBytes: 104 * MIB });
    expect(warmupShape(small as never)).toMatchObject({ files: 100, fileBytes: 100 * KIB });
    const [quickLarge] = dataShapes(true);
    expect(warmupShape(quickLarge as never)).toMatchObject({ files: 1, fileBytes: 8 * MIB });
  });
});

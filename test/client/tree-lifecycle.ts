/**
 * The content checks every data test runs on its own cluster, in order: a tree written and read
 * back by sha256, random ranges overwritten and read back, every process restarted on the same
 * data directory and the tree read back by a new client, and by a second client.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { FileSystem } from "../../impl/client/index.js";
import type { ClientCluster } from "./client-cluster.js";
import { mismatches, overwriteRanges, type TreeFile, writeTree } from "./file-tree.js";

export interface TreeLifecycle {
  /** Starts the cluster the checks run on. */
  readonly start: () => Promise<ClientCluster>;
  readonly fsName: string;
  readonly files: TreeFile[];
  /** Seed and largest length of the overwritten ranges. */
  readonly overwrite: { readonly seed: number; readonly maxLength: number };
}

const LONG = { timeout: 600_000 };

export function checkTreeLifecycle(plan: TreeLifecycle): void {
  let env: ClientCluster;
  let fs: FileSystem;
  let files = plan.files;
  const mountPoint = `/mnt/${plan.fsName}`;

  beforeAll(async () => {
    env = await plan.start();
    fs = await env.mountNew(plan.fsName, mountPoint);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("reads back every file as written", LONG, async () => {
    await writeTree(fs, files);
    expect(await mismatches(fs, files)).toEqual([]);
  });

  it("reads back every file after random ranges were overwritten", LONG, async () => {
    files = await overwriteRanges(fs, files, plan.overwrite.seed, plan.overwrite.maxLength);
    expect(await mismatches(fs, files)).toEqual([]);
  });

  it("reads back every file after every process restarted on the same data", LONG, async () => {
    await fs.umount();
    await env.restart();
    fs = await env.client.mount(plan.fsName, { mountPoint });
    expect(await mismatches(fs, files)).toEqual([]);
  });

  it("a second client reads the same bytes", LONG, async () => {
    const other = await env.newClient();
    const fs2 = await other.mount(plan.fsName, { mountPoint: `${mountPoint}-second` });
    expect(await mismatches(fs2, files)).toEqual([]);
    await fs2.umount();
  });
}

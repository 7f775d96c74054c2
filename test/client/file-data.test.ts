/**
 * File contents through the SDK on a local cluster with the embedded object store: 200 files of
 * random sizes up to 2 MiB plus files one byte either side of the block (4 MiB) and chunk
 * (64 MiB) sizes, through the checks of tree-lifecycle.ts.
 */
import { describe } from "vitest";
import { startClientCluster } from "./client-cluster.js";
import { planTree } from "./file-tree.js";
import { checkTreeLifecycle } from "./tree-lifecycle.js";

const MiB = 1024 * 1024;

describe("file data on the embedded store", () => {
  checkTreeLifecycle({
    start: () => startClientCluster(),
    fsName: "data",
    files: planTree(7, 200, 2 * MiB, 10, [
      4 * MiB - 1,
      4 * MiB,
      4 * MiB + 1,
      64 * MiB - 1,
      64 * MiB + 1,
    ]),
    overwrite: { seed: 11, maxLength: 6 * MiB },
  });
});

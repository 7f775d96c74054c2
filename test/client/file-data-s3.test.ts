/**
 * File contents through the SDK on real dependencies: a local cluster whose MDS keeps its state
 * in etcd and whose file data goes to the run's S3 server (MinIO), in a bucket of its own; 40
 * files plus one of 100 MiB, through the checks of tree-lifecycle.ts.
 */
import { randomBytes } from "node:crypto";
import { describe, inject } from "vitest";
import { S3ObjectStore } from "../../impl/storage/s3-object-store.js";
import { startClientCluster } from "./client-cluster.js";
import { planTree } from "./file-tree.js";
import { checkTreeLifecycle } from "./tree-lifecycle.js";

const MiB = 1024 * 1024;
const s3 = inject("s3");
const etcd = inject("etcd");

/**
 * Test files share the S3 server, and object names start with the fs id, which every cluster
 * numbers from 1: this cluster gets a bucket of its own.
 */
async function ownBucket(): Promise<string> {
  const bucket = `curve-client-${randomBytes(4).toString("hex")}`;
  const store = new S3ObjectStore({
    bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
  });
  await store.ensureBucket();
  await store.close();
  return bucket;
}

describe("file data on etcd and MinIO", () => {
  checkTreeLifecycle({
    start: async () =>
      startClientCluster({
        etcdEndpoints: etcd.endpoints,
        etcdNamespace: `/client-data-s3-${randomBytes(4).toString("hex")}/`,
        s3: {
          endpoint: s3.endpoint,
          bucket: await ownBucket(),
          accessKey: s3.accessKey,
          secretKey: s3.secretKey,
          region: s3.region,
        },
      }),
    fsName: "data-s3",
    files: planTree(21, 40, 2 * MiB, 4, [4 * MiB + 1, 100 * MiB + 3]),
    overwrite: { seed: 23, maxLength: 5 * MiB },
  });
});

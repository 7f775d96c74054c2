import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { S3ObjectStore } from "../../../impl/storage/s3-object-store.js";
import { itMatchesTheByteArrayModel } from "./file-data-model.js";
import { itRunsTheScenarios, MiB, realLayoutClient } from "./file-data-scenarios.js";

/** The MinIO server the vitest global setup started (see test/support). */
const s3 = inject("s3");

/** Test files share the bucket: this file's objects are named under these fs ids only. */
const MODEL_FS = 700_000 + randomInt(100_000);
const SCENARIO_FS = MODEL_FS + 100_000;

function openStore(bucket = s3.bucket): S3ObjectStore {
  return new S3ObjectStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
  });
}

let store: S3ObjectStore;

beforeAll(() => {
  store = openStore();
});

afterAll(async () => {
  for (const fsId of [MODEL_FS, SCENARIO_FS]) {
    let page = await store.list({ prefix: `${fsId}_` });
    while (page.objects.length > 0) {
      await store.deleteMany(page.objects.map((o) => o.key));
      if (!page.continuation) break;
      page = await store.list({ prefix: `${fsId}_` });
    }
  }
  await store.close();
});

describe("the data path on MinIO", () => {
  itMatchesTheByteArrayModel({ store: () => store, fsId: MODEL_FS, numRuns: 12, maxOps: 25 });

  itRunsTheScenarios({
    store: () => store,
    fsId: SCENARIO_FS,
    sizes: [4 * MiB - 1, 4 * MiB + 1, 64 * MiB + 1],
  });

  it("a bucket that does not exist fails the flush with STORAGE_FAILURE and commits nothing", async () => {
    const missing = openStore(`curve-rpc-missing-${randomUUID().slice(0, 8)}`);
    const { client, port } = realLayoutClient(missing, SCENARIO_FS);
    port.createFile(1n);
    const file = await client.open(1n);
    await file.write(0, randomBytes(5 * MiB));
    await expect(file.flush()).rejects.toMatchObject({ reason: ErrorReason.STORAGE_FAILURE });
    expect(port.commits).toHaveLength(0);
    await missing.close();
  });
});

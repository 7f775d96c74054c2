import { randomBytes, randomUUID } from "node:crypto";
import { DeleteBucketCommand, ListMultipartUploadsCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freeLoopbackPort } from "../../conformance/providers/free-port.js";
import type { ObjectStore } from "../../impl/storage/object-store.js";
import {
  ObjectStoreFailureError,
  ObjectStoreUnavailableError,
} from "../../impl/storage/object-store-errors.js";
import { S3ObjectStore, type S3ObjectStoreConfig } from "../../impl/storage/s3-object-store.js";
import { describeObjectStoreContract } from "./object-store-contract.js";

const MiB = 1024 * 1024;

/** Small parts keep the multipart cases fast and make 64 MiB + 1 a 13-part upload. */
const TEST_MULTIPART = { thresholdBytes: 8 * MiB, partSizeBytes: 5 * MiB };

/** Test files share the bucket; everything this file writes lives under this prefix. */
const FILE_PREFIX = `s3-object-store-test-${randomUUID().slice(0, 8)}/`;

/** The S3 server the vitest global setup started for the whole run (see test/support). */
const s3 = inject("s3");

function openStore(overrides: Partial<S3ObjectStoreConfig> = {}): S3ObjectStore {
  return new S3ObjectStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    multipart: TEST_MULTIPART,
    ...overrides,
  });
}

describeObjectStoreContract("S3ObjectStore", {
  open: async () => openStore(),
  keyPrefix: `${FILE_PREFIX}contract/`,
});

describe("S3ObjectStore specifics", () => {
  let store: S3ObjectStore;

  beforeAll(() => {
    store = openStore();
  });

  afterAll(async () => {
    const page = await store.list({ prefix: `${FILE_PREFIX}specific/` });
    await store.deleteMany(page.objects.map((object) => object.key));
    await store.close();
  });

  it("an object above the multipart threshold is stored in parts", async () => {
    const key = `${FILE_PREFIX}specific/multipart`;
    const put = await store.put(key, randomBytes(64 * MiB + 1));
    // S3's ETag of a multipart object is "<md5 of the part md5s>-<part count>".
    expect(put.etag).toMatch(/-13$/);
  });

  it("a multipart upload whose stream fails is aborted on the server", async () => {
    const key = `${FILE_PREFIX}specific/aborted`;
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(12 * MiB);
      throw new Error("disk read failed");
    }
    await expect(store.put(key, { stream: failing(), length: 64 * MiB })).rejects.toThrow(
      "disk read failed",
    );
    const client = rawClient();
    const uploads = await client.send(
      new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: key }),
    );
    client.destroy();
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it("ensureBucket creates a missing bucket, and then succeeds again", async () => {
    const bucket = `curve-rpc-ensure-${randomUUID().slice(0, 8)}`;
    const fresh = openStore({ bucket });
    await fresh.ensureBucket();
    await fresh.ensureBucket();
    expect(await fresh.list({ prefix: "" })).toEqual({ objects: [] });
    await fresh.close();
    const client = rawClient();
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  });

  it("wrong credentials are a failure that retrying cannot fix", async () => {
    const denied = openStore({
      credentials: { accessKeyId: s3.accessKey, secretAccessKey: "wrong-secret-key" },
    });
    const error = await denied.head(`${FILE_PREFIX}specific/x`).catch((e: unknown) => e);
    await denied.close();
    expect(error).toBeInstanceOf(ObjectStoreFailureError);
    expect((error as ObjectStoreFailureError).retryable).toBe(false);
  });
});

describe("S3ObjectStore with its endpoint down", () => {
  let down: ObjectStore;

  beforeAll(async () => {
    // A port nobody listens on: connections are refused at once.
    const port = await freeLoopbackPort();
    down = openStore({ endpoint: `http://127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await down.close();
  });

  it.each([
    ["get", (s: ObjectStore) => s.get("k")],
    ["ranged get", (s: ObjectStore) => s.get("k", { offset: 0, length: 1 })],
    ["head", (s: ObjectStore) => s.head("k")],
    ["put", (s: ObjectStore) => s.put("k", Buffer.from("x"))],
    ["multipart put", (s: ObjectStore) => s.put("k", new Uint8Array(9 * MiB))],
    ["delete", (s: ObjectStore) => s.delete("k")],
    ["list", (s: ObjectStore) => s.list({ prefix: "" })],
  ])("%s fails with the retryable ObjectStoreUnavailableError", async (_label, call) => {
    const error = await call(down).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
    expect((error as ObjectStoreUnavailableError).retryable).toBe(true);
  });

  it("a batch delete reports every key as unavailable", async () => {
    const { failures } = await down.deleteMany(["a", "b"]);
    expect(failures.map((f) => f.key).sort()).toEqual(["a", "b"]);
    for (const { error } of failures) expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
  });
});

function rawClient(): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

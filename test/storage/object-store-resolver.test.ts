import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { ObjectNotFoundError } from "../../impl/storage/object-store-errors.js";
import {
  isLocalEndpoint,
  localEndpoint,
  ObjectStoreResolver,
} from "../../impl/storage/object-store-resolver.js";

const s3 = inject("s3");
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "resolver-"));
  dirs.push(dir);
  return dir;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (value: string) => new TextEncoder().encode(value);

describe("ObjectStoreResolver", () => {
  it("maps a file:// endpoint to a local store shared by every resolver on the machine", async () => {
    const endpoint = localEndpoint(await tempDir());
    expect(isLocalEndpoint(endpoint)).toBe(true);
    const writer = new ObjectStoreResolver();
    const reader = new ObjectStoreResolver();
    const address = { endpoint, bucket: "curve", accessKey: "local", region: "" };
    await (await writer.storeFor(address)).put("7_5_1_0_0", bytes("block"));
    expect(text(await (await reader.storeFor(address)).get("7_5_1_0_0"))).toBe("block");
    expect(await writer.storeFor(address)).toBe(await writer.storeFor(address));
    await Promise.all([writer.close(), reader.close()]);
  });

  it("keeps buckets of one local endpoint apart", async () => {
    const endpoint = localEndpoint(await tempDir());
    const resolver = new ObjectStoreResolver();
    const a = await resolver.storeFor({ endpoint, bucket: "aaa", accessKey: "k", region: "" });
    const b = await resolver.storeFor({ endpoint, bucket: "bbb", accessKey: "k", region: "" });
    await a.put("x", bytes("1"));
    await expect(b.head("x")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await resolver.close();
  });

  it("reaches a real S3 bucket with the secret from its configuration", async () => {
    const resolver = new ObjectStoreResolver({
      secrets: [{ accessKey: s3.accessKey, secretKey: s3.secretKey, endpoint: s3.endpoint }],
      env: {},
    });
    const store = await resolver.storeFor({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKey: s3.accessKey,
      region: s3.region,
    });
    const key = `resolver-test-${randomUUID()}`;
    await store.put(key, bytes("through S3"));
    expect(text(await store.get(key))).toBe("through S3");
    await store.delete(key);
    await resolver.close();
  });

  it("falls back to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for a matching access key", async () => {
    const resolver = new ObjectStoreResolver({
      env: { AWS_ACCESS_KEY_ID: s3.accessKey, AWS_SECRET_ACCESS_KEY: s3.secretKey },
    });
    const store = await resolver.storeFor({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKey: s3.accessKey,
      region: s3.region,
    });
    await expect(store.head(`resolver-test-absent-${randomUUID()}`)).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    await resolver.close();
  });

  it("refuses an S3 endpoint without a known secret, and unsupported endpoints, with S3_INFO_INVALID", async () => {
    const resolver = new ObjectStoreResolver({ env: {} });
    const reasonOf = async (endpoint: string) => {
      const failure = await resolver
        .storeFor({ endpoint, bucket: "curve", accessKey: "nobody", region: "" })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CurveError);
      return (failure as CurveError).reason;
    };
    expect(await reasonOf(s3.endpoint)).toBe(ErrorReason.S3_INFO_INVALID);
    expect(await reasonOf("ftp://example.com")).toBe(ErrorReason.S3_INFO_INVALID);
  });
});

/**
 * CreateFs step (1): check that the storage settings of a new fs work before anything is
 * stored. For S3: write a probe object `.curve-probe-<fs_name>` (1 KiB, within the spec's
 * 4 KiB) with the request's endpoint, region and credentials, then delete it. A `file://`
 * endpoint (the embedded local store of `curve-rpc up`, see object-store-resolver.ts) is
 * probed the same way, on the local directory the MDS opens for it.
 */
import { CurveError } from "../../errors.js";
import type { S3Info } from "../../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { ObjectStore } from "../../storage/object-store.js";
import { isLocalEndpoint, ObjectStoreResolver } from "../../storage/object-store-resolver.js";
import { S3ObjectStore } from "../../storage/s3-object-store.js";

/** Checks storage settings; fails with S3_INFO_INVALID / VOLUME_INFO_INVALID. */
export interface StorageProbe {
  probeS3(s3: S3Info, fsName: string): Promise<void>;
}

/** The probe body: 1 KiB of "a", as Curve writes. */
const PROBE_BODY = new Uint8Array(1024).fill("a".charCodeAt(0));

/** The probe over real S3 (S3ObjectStore) or a local store, bounded by `timeoutMs`. */
export function s3StorageProbe(timeoutMs: number): StorageProbe {
  return {
    async probeS3(s3, fsName) {
      let store: ObjectStore;
      try {
        store = await openProbedStore(s3, timeoutMs);
      } catch (error) {
        throw probeFailed(s3, fsName, error);
      }
      const key = `.curve-probe-${fsName}`;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          (async () => {
            await store.put(key, PROBE_BODY);
            await store.delete(key);
          })(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } catch (error) {
        throw probeFailed(s3, fsName, error);
      } finally {
        clearTimeout(timer);
        await store.close().catch(() => undefined);
      }
    },
  };
}

async function openProbedStore(s3: S3Info, timeoutMs: number): Promise<ObjectStore> {
  if (isLocalEndpoint(s3.endpoint)) {
    // A resolver of its own: the probe closes the store it used.
    return new ObjectStoreResolver({ secrets: [] }).storeFor(s3);
  }
  return new S3ObjectStore({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region || "us-east-1",
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    // A wrong endpoint must fail fast, not after the SDK's retries.
    maxAttempts: 1,
    connectTimeoutMs: Math.min(3000, timeoutMs),
    idleTimeoutMs: timeoutMs,
  });
}

function probeFailed(s3: S3Info, fsName: string, error: unknown): CurveError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CurveError(
    ErrorReason.S3_INFO_INVALID,
    `the S3 probe of bucket "${s3.bucket}" at ${s3.endpoint} failed: ${reason}`,
    { cause: error, metadata: { fs_name: fsName } },
  );
}

import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { bodyParts } from "./object-body.js";
import type { ObjectBody, PutResult } from "./object-store.js";
import { ObjectStoreFailureError } from "./object-store-errors.js";
import { runConcurrently } from "./run-concurrently.js";
import { toObjectStoreError } from "./s3-errors.js";

const MiB = 1024 * 1024;

/** S3 refuses parts smaller than this (except the last one). */
export const MIN_PART_SIZE_BYTES = 5 * MiB;

/** S3 allows at most this many parts per upload. */
const MAX_PARTS = 10_000;

/** How an `S3ObjectStore` uploads large objects. */
export interface MultipartOptions {
  /**
   * Objects larger than this many bytes are uploaded in parts. Default 64 MiB: the data path
   * writes one object per 4 MiB block, so file data always goes up in one request (one round
   * trip, no upload state on the server), while snapshots and other large blobs get parts that
   * can be sent in parallel and never resend more than one part on a failure.
   */
  readonly thresholdBytes: number;
  /**
   * Bytes per part (at least 5 MiB). Default 16 MiB: with 4 parts in flight a stream upload holds
   * 64 MiB of buffers, and 10,000 parts reach 156 GiB; larger objects get larger parts.
   */
  readonly partSizeBytes: number;
  /** Parts uploaded at once. Default 4. */
  readonly concurrency: number;
}

export const DEFAULT_MULTIPART_OPTIONS: MultipartOptions = {
  thresholdBytes: 64 * MiB,
  partSizeBytes: 16 * MiB,
  concurrency: 4,
};

/** Where a multipart upload goes. */
export interface MultipartTarget {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
}

/**
 * Uploads `body` (of `length` bytes) in parts. On any failure — a part, the body stream, the
 * completion — the upload is aborted so the server drops the parts already stored, and the
 * object under `key` stays as it was.
 */
export async function uploadMultipart(
  target: MultipartTarget,
  body: ObjectBody,
  length: number,
  options: MultipartOptions,
): Promise<PutResult> {
  const { client, bucket, key } = target;
  const created = await client
    .send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))
    .catch((error: unknown) => Promise.reject(toObjectStoreError(error)));
  const uploadId = created.UploadId;
  if (!uploadId) throw new ObjectStoreFailureError("S3: CreateMultipartUpload gave no upload id");
  const upload = { Bucket: bucket, Key: key, UploadId: uploadId };
  try {
    const parts: CompletedPart[] = [];
    const partSize = partSizeFor(length, options.partSizeBytes);
    await runConcurrently(bodyParts(body, partSize), options.concurrency, async (part, index) => {
      const PartNumber = index + 1;
      const command = new UploadPartCommand({ ...upload, PartNumber, Body: part });
      const { ETag } = await client.send(command);
      parts[index] = { PartNumber, ETag };
    });
    const completed = await client.send(
      new CompleteMultipartUploadCommand({ ...upload, MultipartUpload: { Parts: parts } }),
    );
    return { etag: unquoteEtag(completed.ETag), size: length };
  } catch (error) {
    // Best effort: if the server is down the abort fails too, and the server's own lifecycle
    // rules (or a later abort) must reclaim the parts; the caller's error matters more.
    await client.send(new AbortMultipartUploadCommand(upload)).catch(() => undefined);
    throw toObjectStoreError(error);
  }
}

/** The configured part size, grown when needed to stay within S3's 10,000 parts. */
export function partSizeFor(length: number, configured: number): number {
  return Math.max(configured, Math.ceil(length / MAX_PARTS));
}

/** S3 returns ETags in double quotes; callers compare them as opaque strings. */
export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? "").replace(/^"|"$/g, "");
}

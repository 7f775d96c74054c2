import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Readable } from "node:stream";
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { resolveListLimit, resolveRange, validateRange } from "./object-arguments.js";
import { bodyLength, checkedChunks } from "./object-body.js";
import { validateKeyPrefix, validateObjectKey } from "./object-key.js";
import type {
  ByteRange,
  DeleteFailure,
  DeleteManyResult,
  ListPage,
  ListRequest,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PutResult,
  SizedStream,
} from "./object-store.js";
import { InvalidObjectArgumentError, ObjectStoreUnavailableError } from "./object-store-errors.js";
import { runConcurrently } from "./run-concurrently.js";
import { batchDeleteError, toObjectStoreError } from "./s3-errors.js";
import {
  DEFAULT_MULTIPART_OPTIONS,
  MIN_PART_SIZE_BYTES,
  type MultipartOptions,
  unquoteEtag,
  uploadMultipart,
} from "./s3-multipart-upload.js";

/** S3 accepts at most this many keys per DeleteObjects request. */
const DELETE_BATCH_SIZE = 1000;

/** DeleteObjects requests in flight during one `deleteMany`. */
const DELETE_CONCURRENCY = 4;

/** S3's limit for a single PutObject; the multipart threshold may not exceed it. */
const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/** Static S3 credentials. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** How to reach a bucket. Only `bucket` is required. */
export interface S3ObjectStoreConfig {
  readonly bucket: string;
  /** Any S3-compatible endpoint, e.g. `http://127.0.0.1:9000`; absent means AWS S3 itself. */
  readonly endpoint?: string;
  /** Default `us-east-1`, which is also what MinIO answers to by default. */
  readonly region?: string;
  /**
   * Absent: the SDK's default chain, which reads `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
   * (and `AWS_SESSION_TOKEN`) from the environment first.
   */
  readonly credentials?: S3Credentials;
  /**
   * Default true: `http://host/bucket/key`. Virtual-hosted style needs a DNS name per bucket,
   * which MinIO, Ceph and most self-hosted endpoints do not have.
   */
  readonly forcePathStyle?: boolean;
  readonly multipart?: Partial<MultipartOptions>;
  /**
   * Sockets kept per endpoint. Default 64: enough for the client's parallel block writes and
   * multipart parts, while bounding what one process can open against a shared server.
   */
  readonly maxSockets?: number;
  /** Give up connecting after this long. Default 3 s: a loopback or LAN connect takes < 10 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Give up on a request whose socket stays silent this long. Default 30 s. An idle timeout,
   * not a total one, so a large transfer that keeps moving is never cut off.
   */
  readonly idleTimeoutMs?: number;
  /** Attempts per request, SDK retries included. Default 3 (the SDK's own default). */
  readonly maxAttempts?: number;
}

/**
 * The production `ObjectStore`: a bucket on any S3-compatible server, through
 * `@aws-sdk/client-s3`.
 *
 * Request checksums are sent only where S3 requires them (`WHEN_REQUIRED`): with the SDK's
 * default, stream bodies go out with aws-chunked framing, which several S3-compatible servers
 * store verbatim as the object's content.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly region: string;
  private readonly multipart: MultipartOptions;

  constructor(config: S3ObjectStoreConfig) {
    this.bucket = config.bucket;
    this.region = config.region ?? "us-east-1";
    this.multipart = resolveMultipartOptions(config.multipart);
    this.client = createClient(config, this.region);
  }

  /** Creates the bucket unless it already exists (idempotent; for setup code and tests). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (httpStatusOf(error) !== 404) throw toObjectStoreError(error);
    }
    const location =
      this.region === "us-east-1"
        ? undefined
        : { LocationConstraint: this.region as BucketLocationConstraint };
    try {
      await this.client.send(
        new CreateBucketCommand({ Bucket: this.bucket, CreateBucketConfiguration: location }),
      );
    } catch (error) {
      // Another process created it between our two calls.
      if (errorNameOf(error) !== "BucketAlreadyOwnedByYou") throw toObjectStoreError(error);
    }
  }

  async put(key: string, body: ObjectBody): Promise<PutResult> {
    validateObjectKey(key);
    const length = bodyLength(body);
    if (length > this.multipart.thresholdBytes) {
      const target = { client: this.client, bucket: this.bucket, key };
      return uploadMultipart(target, body, length, this.multipart);
    }
    return body instanceof Uint8Array ? this.putBytes(key, body) : this.putStream(key, body);
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    validateObjectKey(key);
    if (!range) return this.getBytes(key);
    validateRange(range);
    // HTTP cannot express an empty range; check existence and bounds instead.
    if (range.length === 0) return this.emptyRead(key, range);
    return this.getBytes(key, range);
  }

  async head(key: string): Promise<ObjectInfo> {
    validateObjectKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: unquoteEtag(out.ETag),
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (error) {
      throw toObjectStoreError(error, key);
    }
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw toObjectStoreError(error);
    }
  }

  async deleteMany(keys: readonly string[]): Promise<DeleteManyResult> {
    for (const key of keys) validateObjectKey(key);
    const failures: DeleteFailure[] = [];
    const batches = chunk([...new Set(keys)], DELETE_BATCH_SIZE);
    await runConcurrently(batches, DELETE_CONCURRENCY, async (batch) => {
      failures.push(...(await this.deleteBatch(batch)));
    });
    return { failures };
  }

  async list(request: ListRequest): Promise<ListPage> {
    validateKeyPrefix(request.prefix);
    const limit = resolveListLimit(request.limit);
    try {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: request.prefix === "" ? undefined : request.prefix,
          MaxKeys: limit,
          ContinuationToken: request.continuation,
        }),
      );
      const objects = (out.Contents ?? []).map(
        (entry): ObjectInfo => ({
          key: entry.Key ?? "",
          size: entry.Size ?? 0,
          etag: unquoteEtag(entry.ETag),
          lastModified: entry.LastModified ?? new Date(0),
        }),
      );
      const continuation = out.IsTruncated ? out.NextContinuationToken : undefined;
      return continuation === undefined ? { objects } : { objects, continuation };
    } catch (error) {
      if (request.continuation !== undefined && errorNameOf(error) === "InvalidArgument") {
        throw new InvalidObjectArgumentError(
          `not a continuation token of this store: ${request.continuation}`,
          { cause: error },
        );
      }
      throw toObjectStoreError(error);
    }
  }

  /** Closes the pooled sockets. */
  async close(): Promise<void> {
    this.client.destroy();
  }

  private async putBytes(key: string, body: Uint8Array): Promise<PutResult> {
    try {
      const out = await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }),
      );
      return { etag: unquoteEtag(out.ETag), size: body.byteLength };
    } catch (error) {
      throw toObjectStoreError(error);
    }
  }

  /**
   * The SDK pipes a stream body into the request without watching the stream for errors, so a
   * failed (or wrongly sized) stream would leave the request waiting for bytes until the idle
   * timeout. Aborting the request on the stream's error closes the connection at once, and the
   * server discards the incomplete object.
   */
  private async putStream(key: string, body: SizedStream): Promise<PutResult> {
    const abort = new AbortController();
    let streamError: unknown;
    const stream = Readable.from(checkedChunks(body), { objectMode: false });
    stream.once("error", (error) => {
      streamError = error;
      abort.abort(error);
    });
    try {
      const out = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: stream,
          ContentLength: body.length,
        }),
        { abortSignal: abort.signal },
      );
      return { etag: unquoteEtag(out.ETag), size: body.length };
    } catch (error) {
      stream.destroy();
      throw toObjectStoreError(streamError ?? error);
    }
  }

  private async getBytes(key: string, range?: ByteRange): Promise<Uint8Array> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range && `bytes=${range.offset}-${range.offset + range.length - 1}`,
        }),
      );
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array(0);
      if (!range || out.ContentRange !== undefined) return bytes;
      // A 200 instead of a 206: the server sent the whole object (some do for empty objects).
      const { start, end } = resolveRange(key, range, bytes.byteLength);
      return bytes.subarray(start, end);
    } catch (error) {
      if (range && httpStatusOf(error) === 416) return this.emptyRead(key, range);
      throw toObjectStoreError(error, key);
    }
  }

  /**
   * A range that returns no bytes: S3 answers 416 for any range starting at or after the end,
   * but our contract returns an empty result when it starts exactly at the end.
   */
  private async emptyRead(key: string, range: ByteRange): Promise<Uint8Array> {
    const { size } = await this.head(key);
    const { start, end } = resolveRange(key, range, size);
    if (start !== end) {
      // Only reachable when the object grew between the GET and the HEAD.
      throw new ObjectStoreUnavailableError(`S3: ${JSON.stringify(key)} changed while being read`);
    }
    return new Uint8Array(0);
  }

  /** Deletes up to 1,000 keys; never throws, every key not confirmed deleted is a failure. */
  private async deleteBatch(keys: readonly string[]): Promise<DeleteFailure[]> {
    try {
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          // Quiet: the response lists only the keys that failed.
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      return (out.Errors ?? []).map((entry) => ({
        key: entry.Key ?? "",
        error: batchDeleteError(entry.Code, entry.Message),
      }));
    } catch (error) {
      const mapped = toObjectStoreError(error);
      return keys.map((key) => ({ key, error: mapped }));
    }
  }
}

function createClient(config: S3ObjectStoreConfig, region: string): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: config.maxSockets ?? 64 };
  return new S3Client({
    endpoint: config.endpoint,
    region,
    credentials: config.credentials,
    forcePathStyle: config.forcePathStyle ?? true,
    maxAttempts: config.maxAttempts ?? 3,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: config.connectTimeoutMs ?? 3_000,
      socketTimeout: config.idleTimeoutMs ?? 30_000,
    },
  });
}

function resolveMultipartOptions(overrides: Partial<MultipartOptions> = {}): MultipartOptions {
  const options = { ...DEFAULT_MULTIPART_OPTIONS, ...overrides };
  const { thresholdBytes, partSizeBytes, concurrency } = options;
  if (!Number.isSafeInteger(thresholdBytes) || thresholdBytes < 0) {
    throw new RangeError(`multipart threshold must be a non-negative integer: ${thresholdBytes}`);
  }
  if (thresholdBytes > MAX_SINGLE_PUT_BYTES) {
    throw new RangeError(
      `multipart threshold above S3's 5 GiB single-put limit: ${thresholdBytes}`,
    );
  }
  if (!Number.isSafeInteger(partSizeBytes) || partSizeBytes < MIN_PART_SIZE_BYTES) {
    throw new RangeError(`multipart part size must be at least 5 MiB: ${partSizeBytes}`);
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`multipart concurrency must be at least 1: ${concurrency}`);
  }
  return options;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
}

function errorNameOf(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

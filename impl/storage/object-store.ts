/**
 * The seam between curve-rpc and the place file data lives (DESIGN §3, §5): an S3 bucket in
 * production, a local directory for `curve-rpc up` and fast tests.
 *
 * Contract shared by every implementation (checked by test/storage/object-store-contract.ts):
 * - Keys follow `validateObjectKey` (object-key.ts); a bad key, prefix, range or page limit is an
 *   `InvalidObjectArgumentError` thrown before any IO.
 * - A missing object is an `ObjectNotFoundError` from get and head; delete of a missing object
 *   succeeds, so every operation is idempotent and safe to repeat after an
 *   `ObjectStoreUnavailableError`.
 * - A put is atomic: readers see the old object or the new one, never a mix, and a failed put
 *   leaves the old object (or no object) in place.
 * - Listing is in bytewise (UTF-8) key order, every key exactly once across the pages.
 */

/**
 * The bytes of a put: in memory, or a stream whose total length the caller states up front
 * (S3 needs the length before the first byte; a stream that ends early or runs long fails the
 * put with `InvalidObjectArgumentError` and stores nothing).
 */
export type ObjectBody = Uint8Array | SizedStream;

/** A stream of bytes of a known total length, e.g. `{ stream: createReadStream(p), length }`. */
export interface SizedStream {
  readonly stream: AsyncIterable<Uint8Array>;
  readonly length: number;
}

/** A byte range `[offset, offset + length)` of an object. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** What a store knows about one object. */
export interface ObjectInfo {
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Opaque version tag: it changes whenever the object is replaced. (S3: the ETag without
   * quotes, an MD5 for single-part uploads and `<md5>-<parts>` for multipart; local: derived
   * from the file's identity, size and mtime.)
   */
  readonly etag: string;
  readonly lastModified: Date;
}

/** The outcome of a put. */
export interface PutResult {
  readonly etag: string;
  readonly size: number;
}

/** One page of a listing request. */
export interface ListRequest {
  /** Only keys that start with this string; "" lists everything. */
  readonly prefix: string;
  /** At most this many entries per page: 1..MAX_LIST_LIMIT, MAX_LIST_LIMIT when absent. */
  readonly limit?: number;
  /** The `continuation` of the previous page; absent for the first page. */
  readonly continuation?: string;
}

/** One page of a listing. */
export interface ListPage {
  /** In bytewise key order; may be shorter than the limit even when more keys follow. */
  readonly objects: readonly ObjectInfo[];
  /** Present exactly when more keys may follow: pass it back to get the next page. */
  readonly continuation?: string;
}

/** A key that a batch delete could not delete, with the reason. */
export interface DeleteFailure {
  readonly key: string;
  readonly error: Error;
}

/** The outcome of a batch delete: every key not listed here is gone. */
export interface DeleteManyResult {
  readonly failures: readonly DeleteFailure[];
}

/** The largest page a listing returns (S3's own maximum for ListObjectsV2). */
export const MAX_LIST_LIMIT = 1000;

/** Stores immutable blobs under string keys. */
export interface ObjectStore {
  /** Stores `body` under `key`, replacing any object there. */
  put(key: string, body: ObjectBody): Promise<PutResult>;

  /**
   * Reads a whole object, or the bytes `[offset, offset + length)` of it.
   *
   * Range contract: a range that runs past the end is truncated at the end (so the result may
   * be shorter than `length`, and is empty when `offset` equals the size); a range that starts
   * past the end (`offset > size`) is an `InvalidObjectArgumentError`. `offset` and `length`
   * are non-negative safe integers.
   */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;

  /** Size, etag and modification time of an object. */
  head(key: string): Promise<ObjectInfo>;

  /** Removes an object; removing a missing object succeeds. */
  delete(key: string): Promise<void>;

  /**
   * Removes any number of objects (S3 requests go out 1,000 keys at a time). Missing keys count
   * as deleted. Failures — per key, or of a whole request — are reported in the result instead
   * of thrown, so the caller knows exactly which keys to retry; only invalid keys throw.
   */
  deleteMany(keys: readonly string[]): Promise<DeleteManyResult>;

  /** One page of the objects whose keys start with `request.prefix`. */
  list(request: ListRequest): Promise<ListPage>;

  /** Releases sockets or file handles; the store is unusable afterwards. */
  close(): Promise<void>;
}

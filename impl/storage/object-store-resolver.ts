/**
 * The object store an fs's `S3Info` names, as a client or a metaserver reaches it.
 *
 * Two kinds of endpoint:
 * - `http://` / `https://`: an S3-compatible server (path style). The MDS never returns secret
 *   keys (mds.proto, "Secrets"), so the caller supplies them from its own configuration,
 *   matched by access key (and endpoint and bucket when the entry names them).
 * - `file:///absolute/dir`: the embedded local store of `curve-rpc up`; the bucket is a
 *   subdirectory. Every process on the machine that resolves the same `S3Info` reaches the same
 *   objects, which is what lets a client write blocks and a metaserver's trash task delete them.
 *
 * Stores are opened once per (endpoint, bucket, access key) and reused.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CurveError } from "../errors.js";
import type { S3Info } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { LocalObjectStore } from "./local-object-store.js";
import type { ObjectStore } from "./object-store.js";
import { S3ObjectStore } from "./s3-object-store.js";

/** A secret key from the caller's configuration, for the buckets it matches. */
export interface S3Secret {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Only for this endpoint; any endpoint when absent. */
  readonly endpoint?: string;
  /** Only for this bucket; any bucket when absent. */
  readonly bucket?: string;
}

/** The part of `S3Info` that decides which store is meant. */
export type ObjectStoreAddress = Pick<S3Info, "endpoint" | "bucket" | "accessKey" | "region"> & {
  /** Used when set (a CreateFs request carries it); otherwise looked up in the secrets. */
  readonly secretKey?: string;
};

export interface ObjectStoreResolverOptions {
  readonly secrets?: readonly S3Secret[];
  /**
   * Consulted after `secrets`: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` match any bucket
   * whose access key equals `AWS_ACCESS_KEY_ID`. Default `process.env`.
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** True for the embedded store's endpoints (`file:///…`). */
export function isLocalEndpoint(endpoint: string): boolean {
  return endpoint.startsWith("file:");
}

/** The `file://` endpoint for a local store rooted at the absolute directory `dir`. */
export function localEndpoint(dir: string): string {
  return new URL(`file://${dir.startsWith("/") ? "" : "/"}${dir}`).href;
}

export class ObjectStoreResolver {
  readonly #secrets: readonly S3Secret[];
  readonly #env: NodeJS.ProcessEnv;
  readonly #stores = new Map<string, Promise<ObjectStore>>();

  constructor(options: ObjectStoreResolverOptions = {}) {
    this.#secrets = options.secrets ?? [];
    this.#env = options.env ?? process.env;
  }

  /**
   * The store for `address`, opened on first use.
   * @throws CurveError S3_INFO_INVALID when the endpoint is neither http(s) nor file, or no
   *   secret key is known for an S3 endpoint.
   */
  storeFor(address: ObjectStoreAddress): Promise<ObjectStore> {
    const cacheKey = `${address.endpoint}\n${address.bucket}\n${address.accessKey}`;
    let store = this.#stores.get(cacheKey);
    if (store === undefined) {
      store = this.#open(address);
      this.#stores.set(cacheKey, store);
      // A failed open is not cached: a later call (after a config fix) tries again.
      store.catch(() => this.#stores.delete(cacheKey));
    }
    return store;
  }

  /** Closes every store opened so far. */
  async close(): Promise<void> {
    const stores = [...this.#stores.values()];
    this.#stores.clear();
    await Promise.allSettled(stores.map(async (store) => (await store).close()));
  }

  async #open(address: ObjectStoreAddress): Promise<ObjectStore> {
    if (isLocalEndpoint(address.endpoint)) {
      return LocalObjectStore.open(join(localRoot(address.endpoint), address.bucket));
    }
    if (!/^https?:\/\//.test(address.endpoint)) {
      throw invalid(`unsupported object store endpoint "${address.endpoint}"`);
    }
    return new S3ObjectStore({
      bucket: address.bucket,
      endpoint: address.endpoint,
      region: address.region || "us-east-1",
      credentials: { accessKeyId: address.accessKey, secretAccessKey: this.#secretFor(address) },
    });
  }

  #secretFor(address: ObjectStoreAddress): string {
    if (address.secretKey) return address.secretKey;
    const match = this.#secrets.find(
      (s) =>
        s.accessKey === address.accessKey &&
        (s.endpoint === undefined || s.endpoint === address.endpoint) &&
        (s.bucket === undefined || s.bucket === address.bucket),
    );
    if (match) return match.secretKey;
    const envSecret = this.#env.AWS_SECRET_ACCESS_KEY;
    if (this.#env.AWS_ACCESS_KEY_ID === address.accessKey && envSecret) return envSecret;
    throw invalid(
      `no secret key configured for access key "${address.accessKey}" of bucket "${address.bucket}" at ${address.endpoint}`,
    );
  }
}

function localRoot(endpoint: string): string {
  try {
    return fileURLToPath(endpoint);
  } catch {
    throw invalid(`"${endpoint}" is not an absolute file:// URL`);
  }
}

function invalid(message: string): CurveError {
  return new CurveError(ErrorReason.S3_INFO_INVALID, message);
}

/**
 * The entry point of the SDK: a connection to an MDS cluster, the management of file systems
 * (create, list, get, delete) and mounting.
 *
 * ```ts
 * const client = await CurveClient.connect({ mdsUrls: ["http://127.0.0.1:6700"] });
 * const fs = await client.mount("myfs", { mountPoint: "/mnt/myfs" });
 * await fs.mkdir("/a/b", { recursive: true });
 * await fs.writeFile("/a/b/hello.txt", new TextEncoder().encode("hi"));
 * await fs.umount();
 * await client.close();
 * ```
 *
 * Every call goes to the MDS leader with a deadline and the retries of retry-policy.ts.
 */
import { hostname } from "node:os";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampNow } from "@bufbuild/protobuf/wkt";
import type { S3InfoSchema } from "../gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { type FsInfo, type Mountpoint, MountpointSchema } from "../gen/curve/mds/v1/mds_pb.js";
import { ObjectStoreResolver } from "../storage/object-store-resolver.js";
import { reasonOf, toClientError } from "./client-error.js";
import { Connections } from "./connections.js";
import { FileSystem } from "./file-system.js";
import { MdsCaller } from "./mds-caller.js";
import { MountSession } from "./mount-session.js";
import { Namespace } from "./namespace.js";
import { PartitionCaller } from "./partition-caller.js";
import type { RetryOptions } from "./retry-policy.js";
import { RoutingCache } from "./routing-cache.js";

export interface CurveClientOptions {
  /** The MDS addresses ("http://host:port" or "host:port"); any of them, the leader is found. */
  readonly mdsUrls: readonly string[];
  /** Where file data is read and written (S3 secrets come from its configuration). */
  readonly objectStores?: ObjectStoreResolver;
  /** Deadline of one attempt of one RPC. Default 5000 ms. */
  readonly callTimeoutMs?: number;
  readonly retry?: RetryOptions;
  /**
   * The clock stamped on every write (times come from the client, DESIGN §2). Default the
   * system clock.
   */
  readonly now?: () => Timestamp;
}

/** The settings of a new S3 file system; the tools' defaults fill the rest. */
export interface CreateFsOptions {
  /** The bucket; `blockSize` default 4 MiB, `chunkSize` default 64 MiB. */
  readonly s3: MessageInitShape<typeof S3InfoSchema>;
  /** Block size reported to applications. Default 1 MiB. */
  readonly blockSize?: bigint;
  /** Quota in bytes. Default 100 GiB. */
  readonly capacity?: bigint;
  /** Default "curve-rpc". */
  readonly owner?: string;
  /** Default 0 (no recycle bin). */
  readonly recycleTimeHours?: number;
}

export interface MountOptions {
  /** The absolute directory the fs is mounted on (identifies the mount with host and port). */
  readonly mountPoint: string;
  /** Close-to-open consistency. Default true. */
  readonly cto?: boolean;
}

const MiB = 1024n * 1024n;
const GiB = 1024n * MiB;
const DEFAULT_CALL_TIMEOUT_MS = 5000;
/** mds.proto's default refresh interval, used if a server sends none. */
const DEFAULT_REFRESH_INTERVAL_MS = 4000;

export class CurveClient {
  readonly #connections = new Connections();
  readonly #mds: MdsCaller;
  readonly #objectStores: ObjectStoreResolver;
  readonly #options: CurveClientOptions;
  readonly #mounts = new Set<FileSystem>();

  private constructor(options: CurveClientOptions) {
    if (options.mdsUrls.length === 0) throw new RangeError("mdsUrls must name at least one MDS");
    this.#options = options;
    this.#mds = new MdsCaller(options.mdsUrls, this.#connections, this.#settings());
    this.#objectStores = options.objectStores ?? new ObjectStoreResolver();
  }

  /** A client of the MDS cluster at `mdsUrls`. Connections open on first use. */
  static async connect(options: CurveClientOptions): Promise<CurveClient> {
    return new CurveClient(options);
  }

  /** Creates an S3 file system (idempotent for identical settings) and returns it INITED. */
  async createFs(name: string, options: CreateFsOptions): Promise<FsInfo> {
    try {
      const response = await this.#mds.call(
        ({ mds }, timeoutMs) =>
          mds.createFs(
            {
              fsName: name,
              blockSize: options.blockSize ?? MiB,
              capacity: options.capacity ?? 100n * GiB,
              owner: options.owner ?? "curve-rpc",
              recycleTimeHours: options.recycleTimeHours ?? 0,
              detail: {
                case: "s3Info",
                value: { blockSize: 4n * MiB, chunkSize: 64n * MiB, ...options.s3 },
              },
            },
            { timeoutMs },
          ),
        true,
      );
      return required(response.fsInfo, name);
    } catch (error) {
      throw toClientError(error, "mkfs", name);
    }
  }

  /** Every file system of the cluster, in id order. */
  async listFs(): Promise<FsInfo[]> {
    const all: FsInfo[] = [];
    let pageToken = "";
    try {
      do {
        const page = await this.#mds.call(
          ({ mds }, timeoutMs) => mds.listFs({ pageSize: 1000, pageToken }, { timeoutMs }),
          true,
        );
        all.push(...page.fsInfos);
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
    } catch (error) {
      throw toClientError(error, "listfs");
    }
    return all;
  }

  /** One file system by name. */
  async getFs(name: string): Promise<FsInfo> {
    try {
      const response = await this.#mds.call(
        ({ mds }, timeoutMs) => mds.getFsInfo({ fsName: name }, { timeoutMs }),
        true,
      );
      return required(response.fsInfo, name);
    } catch (error) {
      throw toClientError(error, "getfs", name);
    }
  }

  /** Starts deleting an unmounted fs (its id pins the call, so a retry is safe). */
  async deleteFs(name: string): Promise<FsInfo> {
    const { fsId } = await this.getFs(name);
    try {
      const response = await this.#mds.call(
        ({ mds }, timeoutMs) => mds.deleteFs({ fsName: name, fsId }, { timeoutMs }),
        true,
      );
      return required(response.fsInfo, name);
    } catch (error) {
      throw toClientError(error, "rmfs", name);
    }
  }

  /** Mounts `fsName`: records the mount point, loads the routes and starts the session. */
  async mount(fsName: string, options: MountOptions): Promise<FileSystem> {
    const mountpoint = create(MountpointSchema, {
      hostname: hostname(),
      // "A port the client process serves on": this client serves none, so the pid stands in
      // for it — it tells two client processes on one host apart, which is its purpose.
      port: process.pid % 65536,
      path: options.mountPoint,
      cto: options.cto ?? true,
    });
    try {
      const response = await this.#mds.call(
        ({ mds }, timeoutMs) => mds.mountFs({ fsName, mountpoint }, { timeoutMs }),
        true,
      );
      const info = required(response.fsInfo, fsName);
      const cache = new RoutingCache();
      const partitions = new PartitionCaller(
        info.fsId,
        cache,
        this.#mds,
        this.#connections,
        this.#settings(),
      );
      const session = new MountSession(
        this.#mds,
        info.fsId,
        mountpoint,
        cache,
        response.refreshIntervalMs || DEFAULT_REFRESH_INTERVAL_MS,
      );
      await partitions.refreshRoutes().catch(async (error: unknown) => {
        // Do not leave a mount point behind that nobody will refresh or unmount.
        await this.#umountFs(fsName, mountpoint).catch(() => undefined);
        throw error;
      });
      session.start();
      const fs: FileSystem = new FileSystem({
        info,
        ns: new Namespace(info.fsId, partitions, this.#mds, this.#options.now ?? timestampNow),
        mds: this.#mds,
        session,
        objectStores: this.#objectStores,
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        unmount: () => this.#unmount(fs, session, fsName, mountpoint),
      });
      this.#mounts.add(fs);
      return fs;
    } catch (error) {
      throw toClientError(error, "mount", `${fsName}:${options.mountPoint}`);
    }
  }

  /** Unmounts whatever is still mounted and closes every connection and object store. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#mounts].map((fs) => fs.umount()));
    await this.#objectStores.close();
    this.#connections.close();
  }

  async #unmount(
    fs: FileSystem,
    session: MountSession,
    fsName: string,
    mountpoint: Mountpoint,
  ): Promise<void> {
    session.stop();
    this.#mounts.delete(fs);
    // Send the last used-bytes delta; the session ends right after anyway.
    await session.refresh().catch(() => undefined);
    await this.#umountFs(fsName, mountpoint);
  }

  async #umountFs(fsName: string, mountpoint: Mountpoint): Promise<void> {
    try {
      await this.#mds.call(
        ({ mds }, timeoutMs) => mds.umountFs({ fsName, mountpoint }, { timeoutMs }),
        true,
      );
    } catch (error) {
      // A retry after a lost reply, or an expired session: the mount point is gone either way.
      if (reasonOf(error) !== ErrorReason.MOUNTPOINT_NOT_FOUND) throw error;
    }
  }

  #settings() {
    return {
      callTimeoutMs: this.#options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      ...(this.#options.retry === undefined ? {} : { retry: this.#options.retry }),
    };
  }
}

function required(info: FsInfo | undefined, name: string): FsInfo {
  if (info === undefined) throw new Error(`the MDS answered without the fs ${name}`);
  return info;
}

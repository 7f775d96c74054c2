/**
 * The data path of one mounted fs: opens file data handles that share the fs's object layout,
 * its object store, one port to the metadata side and one bound on object store requests in
 * flight. The seam to the metadata side is described in file-data-port.ts.
 *
 * ```ts
 * const data = new FileDataClient({ layout, store, port });
 * const file = await data.open(inodeId);   // port.loadData → GetInode
 * await file.write(0, bytes);              // buffered
 * await file.close();                      // objects stored, then infos + length committed
 * ```
 */
import { type Timestamp, timestampNow } from "@bufbuild/protobuf/wkt";
import type { ObjectStore } from "../../storage/object-store.js";
import type { ObjectLayout } from "../../storage/s3-object-naming.js";
import { type FileDataContext, FileDataHandle } from "./file-data-handle.js";
import type { FileDataPort, FileDataSnapshot } from "./file-data-port.js";
import { TaskLimiter } from "./task-limiter.js";

const MiB = 1024 * 1024;

export interface FileDataClientOptions {
  /** The fs's chunk size, block size, id and object prefix scheme (from its `S3Info`). */
  readonly layout: ObjectLayout;
  /** Where the fs's objects live (ObjectStoreResolver). */
  readonly store: ObjectStore;
  readonly port: FileDataPort;
  /** Buffered bytes per open file before it flushes by itself. Default 64 MiB. */
  readonly writeBufferBytes?: number;
  /** Object store requests in flight across all open files. Default 8. */
  readonly concurrency?: number;
  /** Bytes per step of `FileDataHandle.readStream`. Default 8 MiB. */
  readonly readWindowBytes?: number;
  /** The clock for mtimes. Default the system clock. */
  readonly now?: () => Timestamp;
}

export class FileDataClient {
  private readonly context: FileDataContext;

  constructor(options: FileDataClientOptions) {
    const writeBufferBytes = options.writeBufferBytes ?? 64 * MiB;
    const readWindowBytes = options.readWindowBytes ?? 8 * MiB;
    for (const [name, value] of [
      ["writeBufferBytes", writeBufferBytes],
      ["readWindowBytes", readWindowBytes],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
      }
    }
    this.context = {
      layout: options.layout,
      store: options.store,
      port: options.port,
      limiter: new TaskLimiter(options.concurrency ?? 8),
      writeBufferBytes,
      readWindowBytes,
      now: options.now ?? timestampNow,
    };
  }

  /** Opens the data of a regular file, loading its length and chunk infos through the port. */
  async open(inodeId: bigint): Promise<FileDataHandle> {
    return this.openWith(inodeId, await this.context.port.loadData(inodeId));
  }

  /** Opens the data of a regular file whose length and infos the caller already holds. */
  openWith(inodeId: bigint, snapshot: FileDataSnapshot): FileDataHandle {
    return new FileDataHandle(this.context, inodeId, snapshot);
  }
}

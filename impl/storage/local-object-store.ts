import { randomUUID } from "node:crypto";
import type { BigIntStats } from "node:fs";
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  rename,
  rmdir,
  stat,
  unlink,
} from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { hexToKey, keyToHex, objectPath, walkObjects } from "./local-object-layout.js";
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
} from "./object-store.js";
import {
  InvalidObjectArgumentError,
  ObjectNotFoundError,
  ObjectStoreError,
  ObjectStoreFailureError,
  ObjectStoreUnavailableError,
} from "./object-store-errors.js";
import { runConcurrently } from "./run-concurrently.js";

/**
 * A temp file untouched for this long belongs to a put that crashed: an in-flight put refreshes
 * its mtime with every write, and no single write takes anywhere near an hour.
 */
const STALE_TEMP_FILE_MS = 60 * 60 * 1000;

/** Deletes in flight during `deleteMany`: enough to overlap the directory fsyncs. */
const DELETE_CONCURRENCY = 16;

/**
 * A rename into a directory that a concurrent delete just pruned fails with ENOENT; recreating
 * the directory and retrying wins unless deletes keep racing, which this bounds.
 */
const RENAME_ATTEMPTS = 5;

/** errno codes that say "try again later" rather than "something is broken". */
const TRANSIENT_FS_CODES = new Set(["EMFILE", "ENFILE", "EAGAIN", "EBUSY", "EINTR"]);

/**
 * The embedded object store of `curve-rpc up`: objects are files under a directory.
 *
 * Layout: `<root>/objects/` holds the objects (see local-object-layout.ts for how keys map to
 * paths without any path traversal); `<root>/tmp/` holds puts in progress. A put writes a temp
 * file, fsyncs it, renames it into place and fsyncs the directory, so after a crash an object is
 * either the old one or the new one, never torn. Several processes may share one root.
 */
export class LocalObjectStore implements ObjectStore {
  private constructor(
    private readonly objectsDir: string,
    private readonly tempDir: string,
  ) {}

  /** Opens (creating if needed) a store rooted at `root` and removes stale temp files. */
  static async open(root: string): Promise<LocalObjectStore> {
    const store = new LocalObjectStore(join(root, "objects"), join(root, "tmp"));
    await mkdir(store.objectsDir, { recursive: true });
    await mkdir(store.tempDir, { recursive: true });
    await store.removeStaleTempFiles();
    return store;
  }

  async put(key: string, body: ObjectBody): Promise<PutResult> {
    validateObjectKey(key);
    bodyLength(body);
    const tempPath = join(this.tempDir, randomUUID());
    try {
      const stats = await writeDurably(tempPath, body);
      await this.moveIntoPlace(tempPath, this.pathOf(key));
      return { etag: etagOf(stats), size: Number(stats.size) };
    } catch (error) {
      await unlink(tempPath).catch(() => undefined);
      throw toStoreError(error);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    validateObjectKey(key);
    if (range) validateRange(range);
    const file = await this.openForRead(key);
    try {
      if (!range) return await file.readFile();
      const { start, end } = resolveRange(key, range, (await file.stat()).size);
      return await readAt(file, start, end - start);
    } catch (error) {
      throw toStoreError(error);
    } finally {
      await file.close();
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    validateObjectKey(key);
    try {
      return infoOf(key, await stat(this.pathOf(key), { bigint: true }));
    } catch (error) {
      throw isMissing(error) ? new ObjectNotFoundError(key, { cause: error }) : toStoreError(error);
    }
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    await this.deleteValidKey(key);
  }

  async deleteMany(keys: readonly string[]): Promise<DeleteManyResult> {
    for (const key of keys) validateObjectKey(key);
    const failures: DeleteFailure[] = [];
    await runConcurrently(keys, DELETE_CONCURRENCY, async (key) => {
      await this.deleteValidKey(key).catch((error: unknown) => {
        failures.push({ key, error: toStoreError(error) });
      });
    });
    return { failures };
  }

  async list(request: ListRequest): Promise<ListPage> {
    validateKeyPrefix(request.prefix);
    const limit = resolveListLimit(request.limit);
    const afterHex =
      request.continuation === undefined ? undefined : parseContinuation(request.continuation);
    const objects: ObjectInfo[] = [];
    try {
      for await (const found of walkObjects(this.objectsDir, keyToHex(request.prefix), afterHex)) {
        if (objects.length === limit) return { objects, continuation: keyToHex(lastKey(objects)) };
        const info = await statIfPresent(found.path);
        if (info) objects.push(infoOf(hexToKey(found.hex), info));
      }
    } catch (error) {
      throw toStoreError(error);
    }
    return { objects };
  }

  /** Nothing to release: every call opens and closes its own files. */
  async close(): Promise<void> {}

  private pathOf(key: string): string {
    return join(this.objectsDir, objectPath(key));
  }

  private async openForRead(key: string): Promise<FileHandle> {
    try {
      return await open(this.pathOf(key), "r");
    } catch (error) {
      throw isMissing(error) ? new ObjectNotFoundError(key, { cause: error }) : toStoreError(error);
    }
  }

  private async moveIntoPlace(tempPath: string, finalPath: string): Promise<void> {
    const dir = dirname(finalPath);
    for (let attempt = 1; ; attempt++) {
      await this.createDirectoriesDurably(dir);
      try {
        await rename(tempPath, finalPath);
        break;
      } catch (error) {
        if (!isMissing(error) || attempt === RENAME_ATTEMPTS) throw error;
      }
    }
    await fsyncDirectory(dir);
  }

  /** `mkdir -p`, then fsyncs the parent of every directory it created, so the path survives. */
  private async createDirectoriesDurably(dir: string): Promise<void> {
    const firstCreated = await mkdir(dir, { recursive: true });
    if (firstCreated === undefined) return;
    for (let created = dir; ; created = dirname(created)) {
      await fsyncDirectory(dirname(created));
      if (created === firstCreated) return;
    }
  }

  private async deleteValidKey(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw toStoreError(error);
    }
    await fsyncDirectory(dirname(path)).catch(() => undefined);
    await this.pruneEmptyDirectories(dirname(path));
  }

  /** Removes directories emptied by a delete so that listings do not walk dead branches. */
  private async pruneEmptyDirectories(from: string): Promise<void> {
    for (let dir = from; relative(this.objectsDir, dir) !== ""; dir = dirname(dir)) {
      if (relative(this.objectsDir, dir).startsWith(`..${sep}`)) return;
      try {
        await rmdir(dir);
      } catch {
        return; // not empty (ENOTEMPTY/EEXIST) or already gone: either way, stop here
      }
    }
  }

  private async removeStaleTempFiles(): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.tempDir)) {
      const path = join(this.tempDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_TEMP_FILE_MS)
        await unlink(path).catch(() => undefined);
    }
  }
}

/** Writes a body to a new file, fsyncs it and returns its final stats. */
async function writeDurably(path: string, body: ObjectBody): Promise<BigIntStats> {
  const file = await open(path, "wx", 0o644);
  try {
    for await (const chunk of checkedChunks(body)) await writeAll(file, chunk);
    await file.sync();
    return await file.stat({ bigint: true });
  } finally {
    await file.close();
  }
}

async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let done = 0; done < chunk.byteLength; ) {
    const { bytesWritten } = await file.write(chunk, done, chunk.byteLength - done);
    done += bytesWritten;
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break; // the file cannot shrink (objects are replaced, not truncated)
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function statIfPresent(path: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    if (isMissing(error)) return undefined; // deleted since the walk saw it
    throw error;
  }
}

function infoOf(key: string, stats: BigIntStats): ObjectInfo {
  return {
    key,
    size: Number(stats.size),
    etag: etagOf(stats),
    lastModified: new Date(Number(stats.mtimeMs)),
  };
}

/**
 * Every put creates a new file, so (inode, size, mtime in ns) identifies one version of an
 * object without reading it back, like the ETags of nginx and Apache.
 */
function etagOf(stats: BigIntStats): string {
  return [stats.ino, stats.size, stats.mtimeNs].map((n) => n.toString(16)).join("-");
}

function lastKey(objects: readonly ObjectInfo[]): string {
  const last = objects[objects.length - 1];
  if (!last) throw new Error("lastKey of an empty page");
  return last.key;
}

/** Continuation tokens are the hex of the last key returned; anything else is not ours. */
function parseContinuation(token: string): string {
  if (!/^(?:[0-9a-f]{2})+$/.test(token) || token.length > 2 * 1024) {
    throw new InvalidObjectArgumentError(`not a continuation token of this store: ${token}`);
  }
  return token;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function toStoreError(error: unknown): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = `local object store: ${error instanceof Error ? error.message : String(error)}`;
  return code && TRANSIENT_FS_CODES.has(code)
    ? new ObjectStoreUnavailableError(message, { cause: error })
    : new ObjectStoreFailureError(message, { cause: error });
}

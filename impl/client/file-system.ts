/**
 * A mounted file system: POSIX-like operations on absolute paths. Paths are walked in
 * path-resolver.ts, the work on inode ids is in namespace.ts, renames in rename.ts, file data
 * in data/. Every failure is a ClientError naming `fsName:/path`.
 */
import { randomUUID } from "node:crypto";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import type { FsInfo } from "../gen/curve/mds/v1/mds_pb.js";
import { type Dentry, FileType, type InodeAttr } from "../gen/curve/metaserver/v1/inode_pb.js";
import type { ObjectStoreResolver } from "../storage/object-store-resolver.js";
import { ClientError, reasonOf, toClientError } from "./client-error.js";
import { FileDataClient } from "./data/file-data-client.js";
import { FileHandle, type OpenMode } from "./file-handle.js";
import { isSameOrInside, normalizePath, splitPath } from "./fs-path.js";
import type { MdsCaller } from "./mds-caller.js";
import { MetadataDataPort } from "./metadata-data-port.js";
import type { MountSession } from "./mount-session.js";
import type { Namespace } from "./namespace.js";
import { PathResolver, type ResolvedEntry, ROOT_INODE } from "./path-resolver.js";
import { renameEntry } from "./rename.js";
import { type FileKind, kindOf, type Stats, statsOf } from "./stats.js";

const DEFAULT_PAGE_SIZE = 1000;

/** One entry of a directory listing. */
export interface DirEntry {
  readonly name: string;
  readonly inodeId: bigint;
  readonly kind: FileKind;
}

/** A directory entry with its attributes (`ls -l`). */
export interface DirEntryWithStats extends DirEntry {
  /** Undefined when the inode vanished between the listing and the attribute read. */
  readonly stats: Stats | undefined;
}

/** Attributes `setattr` can change; absent ones stay. */
export interface SetAttr {
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly atimeMs?: number;
  readonly mtimeMs?: number;
}

/** What `statfs` reports (`df`). */
export interface FsStats {
  readonly blockSize: number;
  readonly capacityBytes: bigint;
  readonly usedBytes: bigint;
  readonly freeBytes: bigint;
  readonly inodes: bigint;
  readonly partitions: number;
}

/** `open` flags, as in Node: r, r+, w, w+, wx, wx+, a, a+, ax. */
export type OpenFlags = "r" | "r+" | "w" | "w+" | "wx" | "wx+" | "a" | "a+" | "ax";

export interface FileSystemDeps {
  readonly info: FsInfo;
  readonly ns: Namespace;
  readonly mds: MdsCaller;
  readonly session: MountSession;
  readonly objectStores: ObjectStoreResolver;
  readonly unmount: () => Promise<void>;
  readonly uid: number;
  readonly gid: number;
}

export class FileSystem {
  readonly name: string;
  readonly fsId: number;
  readonly #ns: Namespace;
  readonly #paths: PathResolver;
  readonly #deps: FileSystemDeps;
  /** One owner string per mount for the MDS rename lock. */
  readonly #lockOwner = randomUUID();
  #data: Promise<FileDataClient> | undefined;
  #unmounted = false;

  constructor(deps: FileSystemDeps) {
    this.#deps = deps;
    this.#ns = deps.ns;
    this.#paths = new PathResolver(deps.ns);
    this.name = deps.info.fsName;
    this.fsId = deps.info.fsId;
  }

  /** The fs as the MDS returned it at mount time. */
  get info(): FsInfo {
    return this.#deps.info;
  }

  /** Attributes of `path`, following a final symlink. */
  stat(path: string): Promise<Stats> {
    return this.#op("stat", path, async () => statsOf(await this.#paths.attrOf(path, true)));
  }

  /** Attributes of `path` itself, even when it is a symlink. */
  lstat(path: string): Promise<Stats> {
    return this.#op("lstat", path, async () => statsOf(await this.#paths.attrOf(path, false)));
  }

  /** Whether `path` exists (following symlinks). */
  async exists(path: string): Promise<boolean> {
    try {
      await this.stat(path);
      return true;
    } catch (error) {
      if (error instanceof ClientError && error.code === "ENOENT") return false;
      throw error;
    }
  }

  /** Creates a directory; with `recursive`, also its missing parents and no EEXIST. */
  mkdir(path: string, options: { recursive?: boolean; mode?: number } = {}): Promise<void> {
    return this.#op("mkdir", path, async () => {
      const mode = options.mode ?? 0o755;
      if (!options.recursive) {
        const { parent, name } = await this.#paths.parentOf(path, "mkdir");
        await this.#createNode(parent, name, { type: FileType.DIRECTORY, mode });
        return;
      }
      let dir = ROOT_INODE;
      for (const name of splitPath(path, "mkdir")) {
        dir = await this.#ensureDir(dir, name, mode);
      }
    });
  }

  /** Opens (and with w/a/x flags creates) a regular file. */
  open(path: string, flags: OpenFlags = "r", mode = 0o644): Promise<FileHandle> {
    return this.#op("open", path, async () => {
      const parsed = parseFlags(flags);
      const inodeId = await this.#openTarget(path, parsed, mode);
      const data = await (await this.#dataClient()).open(inodeId);
      if (parsed.truncate && data.length > 0) await data.truncate(0);
      return new FileHandle(data, inodeId, this.#display(path), parsed);
    });
  }

  /** Creates or replaces a file with `data`. */
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const file = await this.open(path, "w");
    try {
      await file.write(data, 0);
    } finally {
      await file.close();
    }
  }

  /** The whole content of a file. */
  async readFile(path: string): Promise<Uint8Array> {
    const file = await this.open(path, "r");
    try {
      return await file.read(0, file.length);
    } finally {
      await file.close();
    }
  }

  /** The entries of a directory, in name order, page by page. */
  async *readdir(path: string, pageSize = DEFAULT_PAGE_SIZE): AsyncGenerator<DirEntry> {
    for await (const page of this.#pages(path, pageSize)) {
      for (const d of page) yield { name: d.name, inodeId: d.inodeId, kind: kindOf(d.type) };
    }
  }

  /** Like readdir, with each entry's attributes (one batched call per partition and page). */
  async *readdirWithStats(
    path: string,
    pageSize = DEFAULT_PAGE_SIZE,
  ): AsyncGenerator<DirEntryWithStats> {
    for await (const page of this.#pages(path, pageSize)) {
      const attrs = await this.#op("readdir", path, () =>
        this.#ns.attrs(page.map((d) => d.inodeId)),
      );
      for (const d of page) {
        const attr = attrs.get(d.inodeId);
        yield {
          name: d.name,
          inodeId: d.inodeId,
          kind: kindOf(d.type),
          stats: attr === undefined ? undefined : statsOf(attr),
        };
      }
    }
  }

  /** Removes a non-directory entry; the inode goes to the trash at its last link. */
  unlink(path: string): Promise<void> {
    return this.#op("unlink", path, async () => {
      const { parent, name } = await this.#paths.parentOf(path, "unlink");
      const dentry = await this.#ns.lookup(parent, name);
      if (dentry.type === FileType.DIRECTORY) throw new ClientError("EISDIR");
      await this.#removeEntry(dentry);
    });
  }

  /** Removes an empty directory. */
  rmdir(path: string): Promise<void> {
    return this.#op("rmdir", path, async () => {
      if (splitPath(path, "rmdir").length === 0) throw new ClientError("EBUSY");
      const { parent, name } = await this.#paths.parentOf(path, "rmdir");
      const dentry = await this.#ns.lookup(parent, name);
      if (dentry.type !== FileType.DIRECTORY) throw new ClientError("ENOTDIR");
      if (await this.#ns.hasEntries(dentry.inodeId)) throw new ClientError("ENOTEMPTY");
      await this.#removeEntry(dentry);
    });
  }

  /** Removes a file, or with `recursive` a whole tree (`rm -r`). */
  rm(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    return this.#op("rm", path, async () => {
      const stats = await this.lstat(path);
      if (stats.kind !== "directory") return this.unlink(path);
      if (!options.recursive) throw new ClientError("EISDIR");
      const children: string[] = [];
      for await (const entry of this.readdir(path)) children.push(entry.name);
      const base = normalizePath(path);
      for (const child of children) await this.rm(`${base === "/" ? "" : base}/${child}`, options);
      return this.rmdir(path);
    });
  }

  /** Renames `from` to `to`, replacing a file or an empty directory there (POSIX rename). */
  rename(from: string, to: string): Promise<void> {
    return this.#op("rename", from, async () => {
      const source = normalizePath(from);
      const target = normalizePath(to);
      if (source === "/" || target === "/") throw new ClientError("EBUSY");
      if (source === target) return;
      if (isSameOrInside(target, source)) {
        throw new ClientError("EINVAL", { detail: `cannot move ${from} into itself` });
      }
      const src = await this.#paths.parentOf(source, "rename");
      const dst = await this.#paths.parentOf(target, "rename").catch((error: unknown) => {
        throw toClientError(error, "rename", this.#display(to));
      });
      await renameEntry(
        { ns: this.#ns, mds: this.#deps.mds, lockOwner: this.#lockOwner },
        src,
        dst,
      );
    });
  }

  /** Creates a symlink at `path` pointing to `target`. */
  symlink(target: string, path: string): Promise<void> {
    return this.#op("symlink", path, async () => {
      if (target === "" || Buffer.byteLength(target) > 4095) throw new ClientError("EINVAL");
      const { parent, name } = await this.#paths.parentOf(path, "symlink");
      await this.#createNode(parent, name, {
        type: FileType.SYMLINK,
        mode: 0o777,
        symlinkTarget: target,
      });
    });
  }

  /** The target of a symlink. */
  readlink(path: string): Promise<string> {
    return this.#op("readlink", path, async () => {
      const attr = await this.#paths.attrOf(path, false);
      if (attr.type !== FileType.SYMLINK) throw new ClientError("EINVAL");
      return attr.symlinkTarget;
    });
  }

  /** Sets a file's length (shrinking drops data, growing reads as zeros). */
  truncate(path: string, length: number): Promise<void> {
    return this.#op("truncate", path, async () => {
      const file = await this.open(path, "r+");
      try {
        await file.truncate(length);
      } finally {
        await file.close();
      }
    });
  }

  /** Changes mode, owner or times (chmod, chown, utimes); ctime becomes now. */
  setattr(path: string, changes: SetAttr): Promise<Stats> {
    return this.#op("setattr", path, async () => {
      const attr = await this.#paths.attrOf(path, true);
      const updated = await this.#ns.updateInode(attr.inodeId, {
        ...(changes.mode === undefined ? {} : { mode: changes.mode & 0o7777 }),
        ...(changes.uid === undefined ? {} : { uid: changes.uid }),
        ...(changes.gid === undefined ? {} : { gid: changes.gid }),
        ...(changes.atimeMs === undefined ? {} : { atime: timestampFromMs(changes.atimeMs) }),
        ...(changes.mtimeMs === undefined ? {} : { mtime: timestampFromMs(changes.mtimeMs) }),
        ctime: this.#ns.time(),
      });
      return statsOf(updated);
    });
  }

  /** The value of an extended attribute. @throws ENODATA when it is not set */
  getxattr(path: string, name: string): Promise<Uint8Array> {
    return this.#op("getxattr", path, async () => {
      const value = (await this.#paths.attrOf(path, true)).xattrs[name];
      if (value === undefined) throw new ClientError("ENODATA");
      return value;
    });
  }

  /** The names of a node's extended attributes, sorted. */
  listxattr(path: string): Promise<string[]> {
    return this.#op("listxattr", path, async () =>
      Object.keys((await this.#paths.attrOf(path, true)).xattrs).sort(),
    );
  }

  /** Sets an extended attribute. */
  setxattr(path: string, name: string, value: Uint8Array): Promise<void> {
    return this.#op("setxattr", path, () =>
      this.#changeXattrs(path, (xattrs) => {
        xattrs[name] = value;
      }),
    );
  }

  /** Removes an extended attribute. @throws ENODATA when it is not set */
  removexattr(path: string, name: string): Promise<void> {
    return this.#op("removexattr", path, () =>
      this.#changeXattrs(path, (xattrs) => {
        if (!(name in xattrs)) throw new ClientError("ENODATA");
        delete xattrs[name];
      }),
    );
  }

  /** Capacity and usage of the fs (statfs/df), fresh from the MDS. */
  statfs(): Promise<FsStats> {
    return this.#op("statfs", "/", async () => {
      const session = await this.#deps.session.refresh();
      await this.#ns.partitions.refreshRoutes();
      const partitions = this.#ns.partitions.cache.partitions();
      const used = session.usedBytes;
      return {
        blockSize: Number(this.#deps.info.blockSize),
        capacityBytes: session.capacity,
        usedBytes: used,
        freeBytes: session.capacity > used ? session.capacity - used : 0n,
        inodes: partitions.reduce((sum, p) => sum + p.inodeCount, 0n),
        partitions: partitions.length,
      };
    });
  }

  /** Ends the session and removes the mount point. The handle is unusable afterwards. */
  async umount(): Promise<void> {
    if (this.#unmounted) return;
    this.#unmounted = true;
    await this.#op("umount", "/", () => this.#deps.unmount());
  }

  // --- internals ---

  async #op<T>(syscall: string, path: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof ClientError && error.path !== "") throw error;
      if (error instanceof ClientError) {
        throw new ClientError(error.code, {
          syscall,
          path: this.#display(path),
          reason: error.reason,
          cause: error,
        });
      }
      throw toClientError(error, syscall, this.#display(path));
    }
  }

  #display(path: string): string {
    return `${this.name}:${path}`;
  }

  async #createNode(
    parent: bigint,
    name: string,
    init: { type: FileType; mode: number; symlinkTarget?: string },
  ): Promise<InodeAttr> {
    return this.#ns.createNode(parent, name, { ...init, uid: this.#deps.uid, gid: this.#deps.gid });
  }

  /** The directory `name` in `dir`, created when missing (mkdir -p). */
  async #ensureDir(dir: bigint, name: string, mode: number): Promise<bigint> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await this.#ns.find(dir, name);
      if (existing !== undefined) {
        if (existing.type !== FileType.DIRECTORY) throw new ClientError("ENOTDIR");
        return existing.inodeId;
      }
      try {
        return (await this.#createNode(dir, name, { type: FileType.DIRECTORY, mode })).inodeId;
      } catch (error) {
        // Another client created it meanwhile: use theirs.
        if (reasonOf(error) !== ErrorReason.DENTRY_ALREADY_EXISTS) throw error;
      }
    }
    throw new ClientError("EAGAIN");
  }

  /** The inode `open` works on, created when the flags say so. */
  async #openTarget(path: string, flags: ParsedFlags, mode: number): Promise<bigint> {
    let resolved: ResolvedEntry | undefined;
    try {
      resolved = await this.#paths.resolve(path, true);
    } catch (error) {
      if (!(flags.create && reasonOf(error) === ErrorReason.DENTRY_NOT_FOUND)) throw error;
      const { parent, name } = await this.#paths.parentOf(path, "open");
      try {
        return (await this.#createNode(parent, name, { type: FileType.REGULAR, mode })).inodeId;
      } catch (createError) {
        if (flags.exclusive || reasonOf(createError) !== ErrorReason.DENTRY_ALREADY_EXISTS) {
          throw createError;
        }
        resolved = await this.#paths.resolve(path, true);
      }
    }
    if (resolved === undefined || resolved.type === FileType.DIRECTORY)
      throw new ClientError("EISDIR");
    if (flags.create && flags.exclusive) throw new ClientError("EEXIST");
    if (resolved.type !== FileType.REGULAR) throw new ClientError("EINVAL");
    return resolved.inodeId;
  }

  async *#pages(path: string, pageSize: number): AsyncGenerator<Dentry[]> {
    const dir = await this.#op("readdir", path, async () => {
      const resolved = await this.#paths.resolve(path, true);
      if (resolved !== undefined && resolved.type !== FileType.DIRECTORY)
        throw new ClientError("ENOTDIR");
      return resolved?.inodeId ?? ROOT_INODE;
    });
    let pageToken = "";
    let txId: bigint | undefined;
    do {
      const page = await this.#op("readdir", path, () =>
        this.#ns.listPage(dir, pageToken, pageSize, txId),
      );
      txId = page.txId;
      pageToken = page.nextPageToken;
      if (page.dentries.length > 0) yield page.dentries;
    } while (pageToken !== "");
  }

  /** DeleteDentry, then one link less on the inode (curve-protos §7.8 unlink/rmdir). */
  async #removeEntry(dentry: Dentry): Promise<void> {
    await this.#ns.deleteDentry(dentry);
    const attr = await this.#ns.getAttr(dentry.inodeId).catch(() => undefined);
    if (attr === undefined) return;
    const after = await this.#ns.dropLink(attr);
    if (after.nlink === 0 && attr.type === FileType.REGULAR) {
      this.#deps.session.addUsedBytes(-Number(attr.length));
    }
  }

  async #changeXattrs(
    path: string,
    change: (xattrs: Record<string, Uint8Array>) => void,
  ): Promise<void> {
    const attr = await this.#paths.attrOf(path, true);
    const xattrs = { ...attr.xattrs };
    change(xattrs);
    await this.#ns.updateInode(attr.inodeId, {
      xattrs: { entries: xattrs },
      ctime: this.#ns.time(),
    });
  }

  #dataClient(): Promise<FileDataClient> {
    if (this.#data === undefined) {
      this.#data = this.#openDataClient();
      this.#data.catch(() => {
        this.#data = undefined;
      });
    }
    return this.#data;
  }

  async #openDataClient(): Promise<FileDataClient> {
    const info = this.#deps.info;
    if (info.detail.case !== "s3Info") {
      throw new ClientError("EINVAL", { detail: `fs ${info.fsName} is not an S3 file system` });
    }
    const s3 = info.detail.value;
    const store = await this.#deps.objectStores.storeFor(s3);
    const port = new MetadataDataPort(this.#ns, this.#deps.mds, (bytes) =>
      this.#deps.session.addUsedBytes(bytes),
    );
    return new FileDataClient({
      layout: {
        fsId: info.fsId,
        chunkSize: Number(s3.chunkSize),
        blockSize: Number(s3.blockSize),
        prefix: s3.objectPrefix,
      },
      store,
      port,
      now: () => this.#ns.time(),
    });
  }
}

interface ParsedFlags extends OpenMode {
  readonly create: boolean;
  readonly exclusive: boolean;
  readonly truncate: boolean;
}

function parseFlags(flags: OpenFlags): ParsedFlags {
  const kind = flags[0];
  const plus = flags.endsWith("+");
  return {
    read: kind === "r" || plus,
    write: kind !== "r" || plus,
    append: kind === "a",
    create: kind === "w" || kind === "a",
    exclusive: flags.includes("x"),
    truncate: kind === "w",
  };
}

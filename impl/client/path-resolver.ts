/**
 * Walks absolute paths of a mounted fs to inode ids: one GetDentry per component from the root
 * (inode 1), in the partition of each parent, following symlinks the way Linux does (at most
 * 40 in one walk, relative targets resolved from the link's directory).
 */
import { FileType, type InodeAttr } from "../gen/curve/metaserver/v1/inode_pb.js";
import { ClientError } from "./client-error.js";
import { resolveAgainst, splitPath } from "./fs-path.js";
import type { Namespace } from "./namespace.js";

/** The root directory of every fs (mds.proto). */
export const ROOT_INODE = 1n;
/** Linux's limit on symlinks followed in one lookup (ELOOP beyond). */
const MAX_SYMLINKS = 40;

/** Where a path leads: the entry's directory, its name, and the inode it names. */
export interface ResolvedEntry {
  readonly parent: bigint;
  readonly name: string;
  readonly inodeId: bigint;
  readonly type: FileType;
}

export class PathResolver {
  constructor(private readonly ns: Namespace) {}

  /**
   * The entry `path` names, or undefined for the root (which has no entry). `followLast`
   * follows a final symlink. @throws DENTRY_NOT_FOUND, ClientError ENOTDIR / ELOOP
   */
  async resolve(path: string, followLast: boolean): Promise<ResolvedEntry | undefined> {
    let pending = splitPath(path);
    let dir = ROOT_INODE;
    let dirPath = "/";
    let symlinks = 0;
    while (pending.length > 0) {
      const [name, ...rest] = pending as [string, ...string[]];
      pending = rest;
      const dentry = await this.ns.lookup(dir, name);
      const last = pending.length === 0;
      if (dentry.type === FileType.SYMLINK && (!last || followLast)) {
        if (++symlinks > MAX_SYMLINKS) throw new ClientError("ELOOP");
        const target = (await this.ns.getAttr(dentry.inodeId)).symlinkTarget;
        pending = [...splitPath(resolveAgainst(dirPath, target)), ...pending];
        dir = ROOT_INODE;
        dirPath = "/";
        continue;
      }
      if (last) return { parent: dir, name, inodeId: dentry.inodeId, type: dentry.type };
      if (dentry.type !== FileType.DIRECTORY) throw new ClientError("ENOTDIR");
      dir = dentry.inodeId;
      dirPath = `${dirPath === "/" ? "" : dirPath}/${name}`;
    }
    return undefined;
  }

  /** The attributes of what `path` names. */
  async attrOf(path: string, followLast: boolean): Promise<InodeAttr> {
    const resolved = await this.resolve(path, followLast);
    return this.ns.getAttr(resolved?.inodeId ?? ROOT_INODE);
  }

  /**
   * The directory that holds (or will hold) the last component of `path`, and that name.
   * @throws ClientError EEXIST for the root, ENOTDIR when the parent is not a directory
   */
  async parentOf(path: string, syscall: string): Promise<{ parent: bigint; name: string }> {
    const parts = splitPath(path, syscall);
    const name = parts.pop();
    if (name === undefined) throw new ClientError("EEXIST");
    const dir = await this.resolve(`/${parts.join("/")}`, true);
    if (dir !== undefined && dir.type !== FileType.DIRECTORY) throw new ClientError("ENOTDIR");
    return { parent: dir?.inodeId ?? ROOT_INODE, name };
  }
}

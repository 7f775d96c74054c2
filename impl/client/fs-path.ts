/**
 * Paths inside a mounted file system, and the `NAME:/a/b` form the `fs` command uses. Pure.
 *
 * Paths are absolute, '/'-separated; "." and empty components are dropped and ".." removes the
 * previous component (lexically, as a shell's `cd -L` does: this client resolves symlinks only
 * when it walks the tree). A component is 1 to 255 bytes of UTF-8 without NUL — the spec's
 * limit on dentry names (metaserver.proto, "Limits").
 */
import { ClientError } from "./client-error.js";

/** The longest dentry name the spec accepts, in UTF-8 bytes. */
export const NAME_MAX_BYTES = 255;
/** The longest path the client accepts, in UTF-8 bytes (Linux's PATH_MAX). */
export const PATH_MAX_BYTES = 4096;

/**
 * The components of an absolute path, normalised. Throws EINVAL for a relative path or a NUL,
 * ENAMETOOLONG for an over-long component or path.
 */
export function splitPath(path: string, syscall = "resolve"): string[] {
  if (!path.startsWith("/")) {
    throw new ClientError("EINVAL", { syscall, path, detail: "path must be absolute" });
  }
  if (path.includes("\0")) throw new ClientError("EINVAL", { syscall, path });
  if (Buffer.byteLength(path) > PATH_MAX_BYTES) {
    throw new ClientError("ENAMETOOLONG", { syscall, path });
  }
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      parts.pop();
      continue;
    }
    if (Buffer.byteLength(part) > NAME_MAX_BYTES) {
      throw new ClientError("ENAMETOOLONG", { syscall, path });
    }
    parts.push(part);
  }
  return parts;
}

/** The normalised form of an absolute path ("/" for the root). */
export function normalizePath(path: string): string {
  return `/${splitPath(path).join("/")}`;
}

/** Joins a directory path and a relative or absolute path (e.g. a symlink target). */
export function resolveAgainst(directory: string, target: string): string {
  return target.startsWith("/") ? target : `${directory.replace(/\/+$/, "")}/${target}`;
}

/** `a` is `b` or lies below it (both normalised). */
export function isSameOrInside(a: string, b: string): boolean {
  return a === b || b === "/" || a.startsWith(`${b}/`);
}

/** A path in the form `NAME:/a/b`: the fs name and the absolute path. */
export interface RemotePath {
  readonly fsName: string;
  readonly path: string;
}

/** True when `arg` is written as `NAME:/path` (or `NAME:` for the root). */
export function isRemotePath(arg: string): boolean {
  return /^[a-z0-9-]+:(\/|$)/.test(arg);
}

/** Parses `NAME:/a/b` (also `NAME:` = `NAME:/`). Throws EINVAL for anything else. */
export function parseRemotePath(arg: string): RemotePath {
  const match = /^([a-z0-9-]+):(.*)$/.exec(arg);
  if (!match) {
    throw new ClientError("EINVAL", { path: arg, detail: "expected NAME:/path" });
  }
  const rest = match[2] as string;
  if (rest !== "" && !rest.startsWith("/")) {
    throw new ClientError("EINVAL", { path: arg, detail: "the path after NAME: must be absolute" });
  }
  return { fsName: match[1] as string, path: normalizePath(rest === "" ? "/" : rest) };
}

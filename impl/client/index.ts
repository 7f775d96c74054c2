/** The client SDK: connect to an MDS cluster, manage file systems, mount and use them. */
export { ClientError, ERRNO_TEXT, type Errno, toClientError } from "./client-error.js";
export {
  type CreateFsOptions,
  CurveClient,
  type CurveClientOptions,
  type MountOptions,
} from "./curve-client.js";
export { FileHandle } from "./file-handle.js";
export {
  type DirEntry,
  type DirEntryWithStats,
  FileSystem,
  type FsStats,
  type OpenFlags,
  type SetAttr,
} from "./file-system.js";
export { isRemotePath, normalizePath, parseRemotePath, type RemotePath } from "./fs-path.js";
export { DEFAULT_RETRY, type RetryOptions } from "./retry-policy.js";
export { type FileKind, modeString, type Stats } from "./stats.js";

/**
 * The two error types of Raft storage. `DataCorruptionError` means bytes on disk are not what
 * this code wrote: the node must not start or serve from them, and an operator has to decide
 * (restore from a peer, drop the replica). `StorageError` means the caller asked for something the
 * storage cannot give (a compacted index, an out-of-order chunk) or that the storage has failed.
 */

export type CorruptionReason =
  /** A record or file fails its CRC-32C. */
  | "checksum"
  /** Records or segments break the index/term order (a gap, an overlap, a term that falls). */
  | "sequence"
  /** A field holds a value this code never writes (length, type, an unsafe integer). */
  | "malformed"
  /** A file ends before its header says it should. */
  | "truncated"
  /** A snapshot or hard-state file does not start with its magic number. */
  | "bad-magic"
  /** A snapshot or hard-state file has a format version this code cannot read. */
  | "bad-version";

export class DataCorruptionError extends Error {
  override readonly name = "DataCorruptionError";
  constructor(
    readonly reason: CorruptionReason,
    /** The damaged file. */
    readonly path: string,
    /** Where in the file the damage was found, when known. */
    readonly offset: number | undefined,
    message: string,
  ) {
    super(`${path}${offset === undefined ? "" : `@${offset}`}: ${message}`);
  }
}

export type StorageErrorReason =
  /** The index is at or below the snapshot: its entry was compacted away. */
  | "compacted"
  /** The index is beyond the last entry. */
  | "unavailable"
  /** Appended entries do not follow the log (a gap, a falling term). */
  | "not-contiguous"
  /** Compaction past the newest durable snapshot. */
  | "not-snapshotted"
  /** An entry larger than a record can hold. */
  | "too-large"
  /** A snapshot chunk that starts after the bytes received so far. */
  | "chunk-out-of-order"
  /** The storage was closed. */
  | "closed"
  /** An earlier write or fsync failed; the storage refuses further work (see `cause`). */
  | "failed";

export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly reason: StorageErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

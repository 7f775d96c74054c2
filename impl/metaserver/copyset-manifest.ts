/**
 * The durable list of copysets a metaserver hosts, `<dataDir>/copysets.json`: what the server
 * reopens at start. The Raft log keeps each group's state but not the bootstrap peers a group
 * must be reopened with (RaftHost wants the same peers on every open), nor which group
 * directories are live, so this file is the server's own record.
 *
 * Format: versioned JSON, a newline, and the CRC-32C of the JSON bytes in hex (as the Raft
 * forced-conf file). Replaced whole, atomically and durably (temp file, fsync, rename, fsync
 * directory) before CreateCopysetNode answers. A file that fails its checksum, version or shape
 * is DATA_CORRUPTED: starting without it would silently drop copysets.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import type { NodeId } from "../raft/core/index.js";
import { crc32c } from "../storage/crc32c.js";
import { replaceFileDurably } from "../storage/embedded/durable-file.js";

export const COPYSET_MANIFEST_FILE = "copysets.json";
const VERSION = 1;

/** One hosted copyset replica and the bootstrap peers its group was created with. */
export interface CopysetManifestEntry {
  readonly poolId: number;
  readonly copysetId: number;
  readonly peers: readonly NodeId[];
}

function crcHex(bytes: Uint8Array): string {
  return crc32c(bytes).toString(16).padStart(8, "0");
}

/** The file's bytes for `entries`. */
export function encodeCopysetManifest(entries: readonly CopysetManifestEntry[]): Buffer {
  const json = Buffer.from(
    JSON.stringify({
      v: VERSION,
      copysets: entries.map((e) => ({
        poolId: e.poolId,
        copysetId: e.copysetId,
        peers: [...e.peers],
      })),
    }),
    "utf8",
  );
  return Buffer.concat([json, Buffer.from(`\n${crcHex(json)}`, "utf8")]);
}

const isId = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= 0xffffffff;

/**
 * Decodes the file's bytes.
 * @throws CurveError DATA_CORRUPTED when truncated, of another version, failing its checksum or
 * malformed.
 */
export function decodeCopysetManifest(buf: Buffer, path: string): CopysetManifestEntry[] {
  const corrupt = (what: string) =>
    new CurveError(ErrorReason.DATA_CORRUPTED, `copyset manifest ${path} is unreadable (${what})`, {
      metadata: { path },
    });
  const newline = buf.lastIndexOf(0x0a);
  if (newline < 0) throw corrupt("truncated");
  const json = buf.subarray(0, newline);
  if (crcHex(json) !== buf.subarray(newline + 1).toString("utf8")) throw corrupt("checksum");
  let body: unknown;
  try {
    body = JSON.parse(json.toString("utf8"));
  } catch {
    throw corrupt("malformed");
  }
  if (typeof body !== "object" || body === null) throw corrupt("malformed");
  const { v, copysets } = body as Record<string, unknown>;
  if (v !== VERSION) throw corrupt("bad version");
  if (!Array.isArray(copysets)) throw corrupt("malformed");
  return copysets.map((item: unknown) => {
    if (typeof item !== "object" || item === null) throw corrupt("malformed");
    const { poolId, copysetId, peers } = item as Record<string, unknown>;
    if (
      !isId(poolId) ||
      !isId(copysetId) ||
      !Array.isArray(peers) ||
      !peers.every((p): p is string => typeof p === "string")
    ) {
      throw corrupt("malformed");
    }
    return { poolId, copysetId, peers: [...peers] };
  });
}

/** The manifest of one data directory; writes are serialized. */
export class CopysetManifest {
  private entries: CopysetManifestEntry[];
  /** The last write: each write starts after it so files replace in order. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    entries: CopysetManifestEntry[],
  ) {
    this.entries = entries;
  }

  /**
   * Loads `<dataDir>/copysets.json` (empty when absent: a new server).
   * @throws CurveError DATA_CORRUPTED when the file is damaged.
   */
  static async load(dataDir: string): Promise<CopysetManifest> {
    const path = join(dataDir, COPYSET_MANIFEST_FILE);
    // A temp file left by a crash before its rename is not the manifest.
    await rm(join(dataDir, `.${COPYSET_MANIFEST_FILE}.tmp`), { force: true });
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new CopysetManifest(path, []);
      throw error;
    }
    return new CopysetManifest(path, decodeCopysetManifest(buf, path));
  }

  /** The listed copysets, in the order they were added. */
  list(): readonly CopysetManifestEntry[] {
    return this.entries;
  }

  /**
   * Records a copyset (replacing its entry if the peers differ) and resolves once the file is
   * durable. A no-op when the same entry is listed.
   */
  async add(entry: CopysetManifestEntry): Promise<void> {
    const same = (e: CopysetManifestEntry) =>
      e.poolId === entry.poolId && e.copysetId === entry.copysetId;
    const existing = this.entries.find(same);
    if (
      existing !== undefined &&
      existing.peers.length === entry.peers.length &&
      existing.peers.every((p, i) => p === entry.peers[i])
    ) {
      // An earlier add may still be writing it: wait for that write to be durable.
      return this.writing;
    }
    this.entries = [...this.entries.filter((e) => !same(e)), { ...entry, peers: [...entry.peers] }];
    const bytes = encodeCopysetManifest(this.entries);
    const write = this.writing.catch(() => {}).then(() => replaceFileDurably(this.path, bytes));
    this.writing = write;
    return write;
  }

  /** Forgets a copyset (a purged replica) and resolves once the file is durable. */
  async remove(poolId: number, copysetId: number): Promise<void> {
    const kept = this.entries.filter((e) => e.poolId !== poolId || e.copysetId !== copysetId);
    if (kept.length === this.entries.length) return this.writing;
    this.entries = kept;
    const bytes = encodeCopysetManifest(kept);
    const write = this.writing.catch(() => {}).then(() => replaceFileDurably(this.path, bytes));
    this.writing = write;
    return write;
  }
}

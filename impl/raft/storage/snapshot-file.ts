/**
 * One snapshot file: a header naming the Raft position it captures, the state machine's payload,
 * and a trailing checksum.
 *
 *   offset    size  field
 *   0         4     magic "CRSN"
 *   4         2     format version (1)
 *   6         2     reserved, 0
 *   8         4     meta length M
 *   12        M     meta: index u64, term u64, voter count u32, then per voter u16 length + UTF-8
 *   12+M      8     payload length P (u64)
 *   20+M      P     payload (opaque to Raft: the state machine's serialisation)
 *   20+M+P    4     CRC-32C of bytes [0, 20 + M + P)
 *
 * Files are written to a temp name, fsynced and renamed, so a snapshot file under its final name
 * is always complete; the checksum catches damage afterwards. Transfer to a follower streams the
 * file's bytes unchanged, and the follower runs the same verification before installing it.
 */
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32c } from "../../storage/crc32c.js";
import type { Snapshot, SnapshotMeta } from "../core/types.js";
import { padIndex, readU64, writeU64 } from "./bytes.js";
import { type CorruptionReason, DataCorruptionError, StorageError } from "./errors.js";
import { readAt, writeFully } from "./file-io.js";
import type { FsyncBatcher } from "./fsync-batcher.js";

const MAGIC = 0x4e535243; // "CRSN" read as a little-endian u32
export const SNAPSHOT_FORMAT_VERSION = 1;
const PREFIX_BYTES = 12;
const PAYLOAD_LENGTH_BYTES = 8;
const CRC_BYTES = 4;
/** A membership list is a few peers; anything near this is damage, not a header. */
const MAX_META_BYTES = 1024 * 1024;
/** Verification reads the file in pieces of this size. */
const READ_CHUNK_BYTES = 1024 * 1024;

export const SNAPSHOT_NAME = /^snap-(\d{20})\.snap$/;

export function snapshotFileName(index: number): string {
  return `snap-${padIndex(index)}.snap`;
}

/** Where a verified snapshot file keeps its parts. */
export interface SnapshotLayout {
  readonly meta: SnapshotMeta;
  readonly payloadOffset: number;
  readonly payloadLength: number;
  /** The whole file, header to checksum. */
  readonly size: number;
}

/** Header bytes up to and including the payload length. */
function encodeHeader(meta: SnapshotMeta, payloadLength: number): Buffer {
  const voters = meta.conf.voters.map((v) => Buffer.from(v, "utf8"));
  const metaBytes = 20 + voters.reduce((n, v) => n + 2 + v.length, 0);
  const buf = Buffer.alloc(PREFIX_BYTES + metaBytes + PAYLOAD_LENGTH_BYTES);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt16LE(SNAPSHOT_FORMAT_VERSION, 4);
  buf.writeUInt32LE(metaBytes, 8);
  writeU64(buf, 12, meta.index);
  writeU64(buf, 20, meta.term);
  buf.writeUInt32LE(voters.length, 28);
  let at = 32;
  for (const v of voters) {
    buf.writeUInt16LE(v.length, at);
    v.copy(buf, at + 2);
    at += 2 + v.length;
  }
  writeU64(buf, at, payloadLength);
  return buf;
}

function corrupt(reason: CorruptionReason, path: string, offset: number | undefined, what: string) {
  return new DataCorruptionError(reason, path, offset, `snapshot ${what}`);
}

/** Reads and checks the header (magic, version, structure) without touching the payload. */
async function readHeader(file: FileHandle, path: string, size: number): Promise<SnapshotLayout> {
  if (size < PREFIX_BYTES) throw corrupt("truncated", path, size, "is shorter than its header");
  const prefix = await readAt(file, 0, PREFIX_BYTES);
  if (prefix.readUInt32LE(0) !== MAGIC) throw corrupt("bad-magic", path, 0, "has a wrong magic");
  const version = prefix.readUInt16LE(4);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw corrupt("bad-version", path, 4, `has format version ${version}`);
  }
  const metaBytes = prefix.readUInt32LE(8);
  if (metaBytes < 20 || metaBytes > MAX_META_BYTES) {
    throw corrupt("malformed", path, 8, `declares ${metaBytes} meta bytes`);
  }
  const payloadOffset = PREFIX_BYTES + metaBytes + PAYLOAD_LENGTH_BYTES;
  if (size < payloadOffset + CRC_BYTES) {
    throw corrupt("truncated", path, size, "is shorter than its header");
  }
  const rest = await readAt(file, PREFIX_BYTES, metaBytes + PAYLOAD_LENGTH_BYTES);
  const payloadLength = readU64(rest, metaBytes);
  if (payloadLength === undefined) throw corrupt("malformed", path, 12 + metaBytes, "length");
  const expectedSize = payloadOffset + payloadLength + CRC_BYTES;
  if (size !== expectedSize) {
    const reason = size < expectedSize ? "truncated" : "malformed";
    throw corrupt(reason, path, size, `has ${size} bytes, its header says ${expectedSize}`);
  }
  return { meta: decodeMeta(rest, metaBytes, path), payloadOffset, payloadLength, size };
}

function decodeMeta(buf: Buffer, metaBytes: number, path: string): SnapshotMeta {
  const malformed = () => corrupt("malformed", path, PREFIX_BYTES, "meta is malformed");
  const index = readU64(buf, 0);
  const term = readU64(buf, 8);
  if (index === undefined || term === undefined) throw malformed();
  const count = buf.readUInt32LE(16);
  const voters: string[] = [];
  let at = 20;
  for (let k = 0; k < count; k++) {
    if (at + 2 > metaBytes) throw malformed();
    const length = buf.readUInt16LE(at);
    if (at + 2 + length > metaBytes) throw malformed();
    voters.push(buf.toString("utf8", at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (at !== metaBytes) throw malformed();
  return { index, term, conf: { voters } };
}

/**
 * Checks a whole snapshot file: magic, version, structure, then the checksum over every byte.
 * @throws DataCorruptionError naming what is wrong.
 */
export async function verifySnapshotFile(path: string): Promise<SnapshotLayout> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const layout = await readHeader(file, path, size);
    const covered = size - CRC_BYTES;
    let crc = 0;
    for (let at = 0; at < covered; at += READ_CHUNK_BYTES) {
      crc = crc32c(await readAt(file, at, Math.min(READ_CHUNK_BYTES, covered - at)), crc);
    }
    if (crc !== (await readAt(file, covered, CRC_BYTES)).readUInt32LE(0)) {
      throw corrupt("checksum", path, covered, "fails its checksum");
    }
    return layout;
  } finally {
    await file.close();
  }
}

/** Verifies the file and returns its meta and payload. */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  const layout = await verifySnapshotFile(path);
  const file = await open(path, "r");
  try {
    return {
      meta: layout.meta,
      data: await readAt(file, layout.payloadOffset, layout.payloadLength),
    };
  } finally {
    await file.close();
  }
}

/** Writes a snapshot file atomically: temp file, fsync, rename to `path`, fsync the directory. */
export async function writeSnapshotFile(
  path: string,
  meta: SnapshotMeta,
  payload: Uint8Array,
  fsync: FsyncBatcher,
): Promise<void> {
  const header = encodeHeader(meta, payload.byteLength);
  const trailer = Buffer.alloc(CRC_BYTES);
  trailer.writeUInt32LE(crc32c(payload, crc32c(header)), 0);
  const temp = `${path}.tmp`;
  const file = await open(temp, "w");
  try {
    await writeFully(file, header, 0);
    await writeFully(file, payload, header.length);
    await writeFully(file, trailer, header.length + payload.byteLength);
    await fsync.fsync(file);
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  await fsync.fsyncDir(dirname(path));
}

/**
 * Serves a snapshot file to a follower in pieces. Holding the file open keeps its bytes readable
 * even if a newer snapshot replaces it meanwhile.
 */
export class SnapshotChunkReader {
  private constructor(
    private readonly file: FileHandle,
    readonly meta: SnapshotMeta,
    /** Total bytes to transfer. */
    readonly size: number,
  ) {}

  static async open(path: string): Promise<SnapshotChunkReader> {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      const layout = await readHeader(file, path, size);
      return new SnapshotChunkReader(file, layout.meta, size);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Up to `maxBytes` bytes from `offset`; `done` when they reach the end of the file. */
  async read(offset: number, maxBytes: number): Promise<{ data: Uint8Array; done: boolean }> {
    const length = Math.max(0, Math.min(maxBytes, this.size - offset));
    const data = await readAt(this.file, offset, length);
    return { data, done: offset + data.length >= this.size };
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/**
 * Receives a snapshot file in pieces into a temp file. Chunks must arrive in order; a chunk that
 * repeats bytes already received (a retransmission) is accepted and its new part kept. finish()
 * verifies the whole file before it gets its final name.
 */
export class SnapshotChunkWriter {
  private received = 0;
  private finished = false;

  private constructor(
    private readonly file: FileHandle,
    private readonly tempPath: string,
    private readonly fsync: FsyncBatcher,
  ) {}

  /** Starts receiving into `tempPath` (in the directory the snapshot will live in). */
  static async create(tempPath: string, fsync: FsyncBatcher): Promise<SnapshotChunkWriter> {
    return new SnapshotChunkWriter(await open(tempPath, "w"), tempPath, fsync);
  }

  /** Bytes received so far: the offset the next chunk should start at. */
  get offset(): number {
    return this.received;
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    this.assertOpen();
    if (offset > this.received) {
      throw new StorageError(
        "chunk-out-of-order",
        `snapshot chunk at ${offset}, but only ${this.received} bytes were received`,
      );
    }
    const fresh = bytes.subarray(this.received - offset);
    if (fresh.length === 0) return;
    const at = this.received;
    this.received += fresh.length;
    await writeFully(this.file, fresh, at);
  }

  /**
   * Makes the received file durable, verifies it, and renames it to `finalPath(meta)`.
   * @throws DataCorruptionError when the bytes do not form a valid snapshot, or whatever
   * `finalPath` throws to refuse it; either way the temp file is removed.
   */
  async finish(finalPath: (meta: SnapshotMeta) => string): Promise<SnapshotMeta> {
    this.assertOpen();
    this.finished = true;
    try {
      await this.fsync.fsync(this.file);
    } finally {
      await this.file.close();
    }
    let meta: SnapshotMeta;
    let path: string;
    try {
      meta = (await verifySnapshotFile(this.tempPath)).meta;
      path = finalPath(meta);
    } catch (error) {
      await rm(this.tempPath, { force: true });
      throw error;
    }
    await rename(this.tempPath, path);
    await this.fsync.fsyncDir(dirname(path));
    return meta;
  }

  /** Gives up the transfer and removes what was received. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.file.close();
    await rm(this.tempPath, { force: true });
  }

  private assertOpen(): void {
    if (this.finished) throw new StorageError("closed", "snapshot transfer already finished");
  }
}

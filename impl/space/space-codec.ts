/**
 * The stored form of a space (keys under `spaceKey(fsId, …)`, keys.ts):
 *
 * | key                                   | value                                                  |
 * |---------------------------------------|--------------------------------------------------------|
 * | `<fs>/meta`                           | JSON {v:1, generation, seq, volume{volumeName, volumeSize, blockSize, extentGroupSize}}: the space exists; `seq` is the last committed change |
 * | `<fs>/<gen>/shard/<index>`            | binary: the free runs of blocks [index·SHARD_BLOCKS, +SHARD_BLOCKS) as of change `appliedSeq`; an absent shard is wholly free as of change 0 |
 * | `<fs>/<gen>/change/<seq>`             | JSON {v:1, kind: "allocate" \| "free", runs: [[start, length]…]} in blocks: a committed change not yet folded into the shards |
 * | `<fs>/<gen>/request/<request id>`     | JSON {v:1, kind, fingerprint, atMs, extents: [[offset, length]…], freedBytes}: a stored AllocateSpace / DeallocateSpace result for request_id replay |
 *
 * `gen` is a random generation per InitSpace, so the leftovers of an uninited space can never
 * be mistaken for the state of a new one. Shard values: byte 0 is the format (1 = runs as
 * varint pairs (gap since the previous run's end, length) relative to the shard, 2 = a bitmap
 * with a set bit per free block), then `appliedSeq` as a varint, then the body. The smaller
 * form is written; a shard of SHARD_BLOCKS blocks is at most 512 KiB as a bitmap.
 */
import { decodeVersioned, encodeVersioned } from "../mds/versioned-json.js";
import type { VolumeGeometry } from "./extent-allocator.js";
import type { BlockRun } from "./free-extent-map.js";

/** Blocks per stored shard of the free map: 2^22, so its bitmap is 512 KiB at most. */
export const SHARD_BLOCKS = 2 ** 22;

const VERSION = 1;
const RUNS_FORMAT = 1;
const BITMAP_FORMAT = 2;

/** The volume as stored (VolumeInfo's fields). */
export interface StoredVolume extends VolumeGeometry {
  readonly volumeName: string;
}

/** The `meta` record. */
export interface SpaceMeta {
  readonly generation: string;
  /** The last committed change (0: none yet). */
  readonly seq: number;
  readonly volume: StoredVolume;
}

/** A committed change, in blocks. */
export interface SpaceChange {
  readonly kind: "allocate" | "free";
  readonly runs: readonly BlockRun[];
}

/** A stored request_id result. */
export interface StoredRequest {
  readonly kind: "allocate" | "free";
  /** What identifies "an identical request". */
  readonly fingerprint: string;
  /** Wall-clock ms of the call that stored it. */
  readonly atMs: number;
  /** AllocateSpace: the extents returned (bytes). */
  readonly extents: readonly (readonly [bigint, bigint])[];
  /** DeallocateSpace: the bytes freed. */
  readonly freedBytes: bigint;
}

/** A decoded shard. */
export interface StoredShard {
  readonly appliedSeq: number;
  /** Free runs relative to the shard's first block. */
  readonly runs: readonly BlockRun[];
}

function json(value: object): Uint8Array {
  return encodeVersioned(VERSION, value);
}

function parse(value: Uint8Array): Record<string, unknown> {
  return decodeVersioned(VERSION, value);
}

export function encodeMeta(meta: SpaceMeta): Uint8Array {
  const { volume } = meta;
  return json({
    generation: meta.generation,
    seq: meta.seq,
    volume: {
      volumeName: volume.volumeName,
      volumeSize: volume.volumeSize.toString(),
      blockSize: volume.blockSize,
      extentGroupSize: volume.extentGroupSize.toString(),
    },
  });
}

export function decodeMeta(value: Uint8Array): SpaceMeta {
  const r = parse(value);
  const v = r.volume as Record<string, unknown>;
  return {
    generation: String(r.generation),
    seq: Number(r.seq),
    volume: {
      volumeName: String(v.volumeName),
      volumeSize: BigInt(String(v.volumeSize)),
      blockSize: Number(v.blockSize),
      extentGroupSize: BigInt(String(v.extentGroupSize)),
    },
  };
}

export function encodeChange(change: SpaceChange): Uint8Array {
  return json({ kind: change.kind, runs: change.runs.map((r) => [r.start, r.length]) });
}

export function decodeChange(value: Uint8Array): SpaceChange {
  const r = parse(value);
  const kind = r.kind === "allocate" ? "allocate" : "free";
  const runs = (r.runs as [number, number][]).map(([start, length]) => ({ start, length }));
  return { kind, runs };
}

export function encodeRequest(request: StoredRequest): Uint8Array {
  return json({
    kind: request.kind,
    fingerprint: request.fingerprint,
    atMs: request.atMs,
    extents: request.extents.map(([o, l]) => [o.toString(), l.toString()]),
    freedBytes: request.freedBytes.toString(),
  });
}

export function decodeRequest(value: Uint8Array): StoredRequest {
  const r = parse(value);
  return {
    kind: r.kind === "allocate" ? "allocate" : "free",
    fingerprint: String(r.fingerprint),
    atMs: Number(r.atMs),
    extents: (r.extents as [string, string][]).map(([o, l]) => [BigInt(o), BigInt(l)] as const),
    freedBytes: BigInt(String(r.freedBytes)),
  };
}

/** Encodes a shard of `shardBlocks` blocks in its smaller form. */
export function encodeShard(shard: StoredShard, shardBlocks: number): Uint8Array {
  const runs = new VarintWriter();
  runs.byte(RUNS_FORMAT);
  runs.varint(shard.appliedSeq);
  let end = 0;
  for (const run of shard.runs) {
    runs.varint(run.start - end);
    runs.varint(run.length);
    end = run.start + run.length;
  }
  const bitmapBytes = Math.ceil(shardBlocks / 8);
  if (runs.length <= bitmapBytes + 8) return runs.bytes();
  const bitmap = new VarintWriter();
  bitmap.byte(BITMAP_FORMAT);
  bitmap.varint(shard.appliedSeq);
  const bits = new Uint8Array(bitmapBytes);
  for (const run of shard.runs) {
    for (let b = run.start; b < run.start + run.length; b++) bits[b >> 3] |= 1 << (b & 7);
  }
  bitmap.append(bits);
  return bitmap.bytes();
}

export function decodeShard(value: Uint8Array, shardBlocks: number): StoredShard {
  const reader = new VarintReader(value);
  const format = reader.byte();
  const appliedSeq = reader.varint();
  const runs: BlockRun[] = [];
  if (format === RUNS_FORMAT) {
    let end = 0;
    while (!reader.done()) {
      const start = end + reader.varint();
      const length = reader.varint();
      runs.push({ start, length });
      end = start + length;
    }
  } else if (format === BITMAP_FORMAT) {
    const bits = reader.rest();
    let start = -1;
    for (let b = 0; b <= shardBlocks; b++) {
      const free = b < shardBlocks && ((bits[b >> 3] ?? 0) >> (b & 7)) & 1;
      if (free && start < 0) start = b;
      if (!free && start >= 0) {
        runs.push({ start, length: b - start });
        start = -1;
      }
    }
  } else {
    throw new Error(`unknown shard format ${format}`);
  }
  return { appliedSeq, runs };
}

class VarintWriter {
  #chunks: number[] = [];
  #tail: Uint8Array[] = [];

  get length(): number {
    return this.#chunks.length + this.#tail.reduce((n, c) => n + c.length, 0);
  }

  byte(value: number): void {
    this.#chunks.push(value & 0xff);
  }

  /** Unsigned LEB128 of a safe integer. */
  varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.#chunks.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.#chunks.push(v);
  }

  append(bytes: Uint8Array): void {
    this.#tail.push(bytes);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    out.set(this.#chunks);
    let at = this.#chunks.length;
    for (const chunk of this.#tail) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

class VarintReader {
  readonly #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  done(): boolean {
    return this.#at >= this.#bytes.length;
  }

  byte(): number {
    const value = this.#bytes[this.#at++];
    if (value === undefined) throw new Error("truncated shard");
    return value;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
  }

  rest(): Uint8Array {
    const rest = this.#bytes.subarray(this.#at);
    this.#at = this.#bytes.length;
    return rest;
  }
}

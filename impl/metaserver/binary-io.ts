/**
 * Little-endian binary writer and reader for the log-entry envelope and the copyset snapshot.
 * Fixed-width fields keep the encoding deterministic (same values, same bytes) and cheap.
 */

import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** Appends fixed-width values to a growing buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  u16(value: number): this {
    this.reserve(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
    return this;
  }

  u64(value: bigint | number): this {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(value), true);
    this.length += 8;
    return this;
  }

  /** A signed 64-bit value (protobuf Timestamp seconds may be negative). */
  i64(value: bigint | number): this {
    this.reserve(8);
    this.view.setBigInt64(this.length, BigInt(value), true);
    this.length += 8;
    return this;
  }

  /** Length-prefixed (u32) bytes. */
  bytes(value: Uint8Array): this {
    this.u32(value.length);
    this.raw(value);
    return this;
  }

  /** Length-prefixed UTF-8. */
  string(value: string): this {
    return this.bytes(utf8.encode(value));
  }

  raw(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** The bytes written so far (a view, valid until the next write). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** Reads what ByteWriter wrote; any read past the end is a typed DATA_CORRUPTED error. */
export class ByteReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): number {
    if (this.offset + count > this.bytes.length) {
      throw new CurveError(ErrorReason.DATA_CORRUPTED, `${this.what} is truncated`, {
        metadata: { offset: String(this.offset) },
      });
    }
    const at = this.offset;
    this.offset += count;
    return at;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  bytesField(): Uint8Array {
    const length = this.u32();
    const at = this.need(length);
    return this.bytes.slice(at, at + length);
  }

  string(): string {
    const length = this.u32();
    const at = this.need(length);
    try {
      return utf8Strict.decode(this.bytes.subarray(at, at + length));
    } catch (cause) {
      throw new CurveError(ErrorReason.DATA_CORRUPTED, `${this.what} holds invalid UTF-8`, {
        cause,
      });
    }
  }

  rest(): Uint8Array {
    return this.bytes.subarray(this.need(this.remaining));
  }
}

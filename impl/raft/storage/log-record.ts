/**
 * The encoding of one log entry in a segment file.
 *
 *   offset  size  field
 *   0       4     body length L (u32 LE) = 17 + data length
 *   4       4     CRC-32C of bytes [0, 4) followed by the body [8, 8 + L)
 *   8       8     index (u64 LE)
 *   16      8     term (u64 LE)
 *   24      1     entry type (core/types.ts EntryType)
 *   25      L-17  data
 *
 * The CRC covers the length too, so a flipped length bit is caught rather than sending the reader
 * to a wrong offset. Records carry their own index so a segment can be checked for gaps and
 * overlaps without trusting its file name alone.
 */

import { crc32c } from "../../storage/crc32c.js";
import { type Entry, EntryType } from "../core/types.js";
import { readU64, writeU64 } from "./bytes.js";

export const RECORD_HEADER_BYTES = 8;
const BODY_FIXED_BYTES = 17;
export const MIN_RECORD_BYTES = RECORD_HEADER_BYTES + BODY_FIXED_BYTES;
/** Far above any Raft entry we send (braft caps a whole AppendEntries body at 512 KiB). */
export const MAX_ENTRY_DATA_BYTES = 256 * 1024 * 1024;

export function recordSize(entry: Entry): number {
  return MIN_RECORD_BYTES + entry.data.byteLength;
}

/** Writes the record of `entry` into `buf` at `offset`; `buf` must have recordSize(entry) bytes. */
export function encodeRecord(entry: Entry, buf: Buffer, offset: number): void {
  const end = offset + recordSize(entry);
  buf.writeUInt32LE(BODY_FIXED_BYTES + entry.data.byteLength, offset);
  writeU64(buf, offset + 8, entry.index);
  writeU64(buf, offset + 16, entry.term);
  buf[offset + 24] = entry.type;
  buf.set(entry.data, offset + MIN_RECORD_BYTES);
  const crc = crc32c(buf.subarray(offset + 8, end), crc32c(buf.subarray(offset, offset + 4)));
  buf.writeUInt32LE(crc, offset + 4);
}

export type DecodedRecord =
  | { readonly ok: true; readonly entry: Entry; readonly size: number }
  | {
      readonly ok: false;
      /**
       * incomplete: the buffer ends inside the record; malformed: a field no writer produces;
       * checksum: the CRC does not match.
       */
      readonly problem: "incomplete" | "malformed" | "checksum";
    };

/** Decodes the record at `offset`. The entry's data is a view into `buf`, not a copy. */
export function decodeRecord(buf: Buffer, offset: number): DecodedRecord {
  if (buf.length - offset < RECORD_HEADER_BYTES) return { ok: false, problem: "incomplete" };
  const bodyLength = buf.readUInt32LE(offset);
  if (bodyLength < BODY_FIXED_BYTES || bodyLength > BODY_FIXED_BYTES + MAX_ENTRY_DATA_BYTES) {
    return { ok: false, problem: "malformed" };
  }
  const end = offset + RECORD_HEADER_BYTES + bodyLength;
  if (end > buf.length) return { ok: false, problem: "incomplete" };
  const crc = crc32c(buf.subarray(offset + 8, end), crc32c(buf.subarray(offset, offset + 4)));
  if (crc !== buf.readUInt32LE(offset + 4)) return { ok: false, problem: "checksum" };
  const index = readU64(buf, offset + 8);
  const term = readU64(buf, offset + 16);
  const type = buf[offset + 24];
  if (index === undefined || term === undefined || !isEntryType(type)) {
    return { ok: false, problem: "malformed" };
  }
  const data = buf.subarray(offset + MIN_RECORD_BYTES, end);
  return { ok: true, entry: { index, term, type, data }, size: end - offset };
}

function isEntryType(value: number): value is EntryType {
  return value === EntryType.Normal || value === EntryType.ConfChange || value === EntryType.NoOp;
}

/**
 * The snapshot of a copyset's Raft group: a small checksummed header with the copyset's epoch,
 * then the `CopysetState` snapshot (which has its own magic, version and checksum). The epoch
 * lives here rather than in the partition state because it is the group's configuration
 * version, counted from committed membership entries, not something an op changes.
 */
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { crc32c } from "../storage/crc32c.js";
import { ByteReader, ByteWriter } from "./binary-io.js";

const MAGIC = new TextEncoder().encode("CRVEPOCH");
const FORMAT_VERSION = 1;
/** Magic, version, epoch, then the CRC-32C of those. */
const HEADER_BYTES = MAGIC.length + 4 + 8;

export function encodeEpochSnapshot(epoch: bigint, state: Uint8Array): Uint8Array {
  const header = new ByteWriter().raw(MAGIC).u32(FORMAT_VERSION).u64(epoch).finish();
  return new ByteWriter().raw(header).u32(crc32c(header)).raw(state).finish();
}

/** @throws CurveError DATA_CORRUPTED when the header's magic, version or checksum is wrong. */
export function decodeEpochSnapshot(bytes: Uint8Array): { epoch: bigint; body: Uint8Array } {
  const reader = new ByteReader(bytes, "copyset snapshot header");
  const header = bytes.subarray(0, HEADER_BYTES);
  if (!MAGIC.every((b) => reader.u8() === b)) {
    throw new CurveError(ErrorReason.DATA_CORRUPTED, "not a copyset snapshot (bad magic)");
  }
  const version = reader.u32();
  if (version !== FORMAT_VERSION) {
    throw new CurveError(
      ErrorReason.DATA_CORRUPTED,
      `copyset snapshot format ${version} is not known here`,
    );
  }
  const epoch = reader.u64();
  if (reader.u32() !== crc32c(header)) {
    throw new CurveError(ErrorReason.DATA_CORRUPTED, "copyset snapshot header checksum mismatch");
  }
  return { epoch, body: reader.rest() };
}

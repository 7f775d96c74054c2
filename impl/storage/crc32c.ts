/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the one checksum of everything we write
 * to disk: Raft log records, hard state and snapshots, the embedded KV store's log and snapshot.
 * Chosen over zlib's CRC-32 for its better error detection on
 * storage-sized blocks; iSCSI, ext4 metadata and LevelDB use it for the same reason.
 *
 * Slice-by-8: eight 256-entry tables let the loop consume eight bytes per step, about five times
 * faster in V8 than the one-table loop. Every append checksums its payload, so this is hot.
 */
const POLYNOMIAL = 0x82f63b78;

const tables: Uint32Array[] = (() => {
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    t[0][n] = c >>> 0;
  }
  // t[s][n] is the CRC of byte n followed by s zero bytes.
  for (let s = 1; s < 8; s++) {
    for (let n = 0; n < 256; n++) t[s][n] = (t[0][t[s - 1][n] & 0xff] ^ (t[s - 1][n] >>> 8)) >>> 0;
  }
  return t;
})();

/**
 * The CRC-32C of `bytes`, continuing from `previous` (the CRC of the bytes before them), so
 * `crc32c(b, crc32c(a))` equals the CRC of `a` followed by `b`.
 */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables;
  let crc = ~previous;
  let i = 0;
  const fast = bytes.length - 8;
  for (; i <= fast; i += 8) {
    const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * File offsets → chunk indexes, and the spec's request limits for chunk infos (inode.proto,
 * metaserver.proto). Pure.
 */

/** Most infos one `S3ChunkInfoAppend` may carry. */
export const MAX_INFOS_PER_APPEND = 256;
/** Most chunk indexes one commit (`AppendS3ChunkInfo` / `UpdateInode`) may name. */
export const MAX_APPENDS_PER_COMMIT = 256;
/** Most chunk ids one `AllocateS3Chunk` hands out. */
export const MAX_CHUNK_IDS_PER_ALLOCATION = 1000;

/** A byte range that lies inside one chunk. */
export interface ChunkPiece {
  readonly chunkIndex: number;
  /** File offset of the first byte. */
  readonly offset: number;
  readonly length: number;
}

/** The chunk index of a file offset. */
export function chunkIndexOf(offset: number, chunkSize: number): number {
  return Math.floor(offset / chunkSize);
}

/** The range [offset, offset + length) cut at chunk boundaries, in file order. */
export function splitAtChunks(offset: number, length: number, chunkSize: number): ChunkPiece[] {
  const pieces: ChunkPiece[] = [];
  const end = offset + length;
  let position = offset;
  while (position < end) {
    const chunkIndex = chunkIndexOf(position, chunkSize);
    const pieceEnd = Math.min(end, (chunkIndex + 1) * chunkSize);
    pieces.push({ chunkIndex, offset: position, length: pieceEnd - position });
    position = pieceEnd;
  }
  return pieces;
}

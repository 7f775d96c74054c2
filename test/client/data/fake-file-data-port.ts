/**
 * FakeFileDataPort: an in-memory stand-in for the metadata side of the data path (pure logic,
 * for tests only). It keeps inodes as { length, mtime, chunk infos } and enforces what the spec
 * makes the servers enforce — AllocateS3Chunk's count range, the append limits, distinct chunk
 * ids per append, infos inside one chunk, idempotent appends — so a data path that breaks a
 * rule fails here the way it would against a real metaserver.
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type {
  ChunkInfo,
  DataCommit,
  FileDataPort,
  FileDataSnapshot,
} from "../../../impl/client/data/file-data-port.js";

interface FakeInode {
  length: number;
  mtime: Timestamp | undefined;
  chunkInfos: Map<number, ChunkInfo[]>;
}

export interface FakeFileDataPortOptions {
  readonly chunkSize: number;
  /** Called with every commit before it is applied, e.g. to check that its objects exist. */
  readonly beforeCommit?: (inodeId: bigint, commit: DataCommit) => Promise<void>;
}

export class FakeFileDataPort implements FileDataPort {
  private nextChunkId = 1n;
  private readonly inodes = new Map<bigint, FakeInode>();
  /** Every commit applied, in order. */
  readonly commits: { inodeId: bigint; commit: DataCommit }[] = [];
  /** The `count` of every allocation. */
  readonly allocations: number[] = [];

  constructor(private readonly options: FakeFileDataPortOptions) {}

  /** Creates an empty regular file. */
  createFile(inodeId: bigint): void {
    this.inodes.set(inodeId, { length: 0, mtime: undefined, chunkInfos: new Map() });
  }

  /** The stored state of a file. */
  inode(inodeId: bigint): Readonly<FakeInode> {
    const inode = this.inodes.get(inodeId);
    if (!inode) throw new Error(`no inode ${inodeId}`);
    return inode;
  }

  async allocateChunkIds(count: number): Promise<bigint> {
    if (!Number.isInteger(count) || count < 1 || count > 1000) {
      throw new Error(`AllocateS3Chunk count ${count} out of 1..1000`);
    }
    this.allocations.push(count);
    const first = this.nextChunkId;
    this.nextChunkId += BigInt(count);
    return first;
  }

  async loadData(inodeId: bigint): Promise<FileDataSnapshot> {
    const inode = this.inode(inodeId);
    const chunkInfos = new Map([...inode.chunkInfos].map(([index, list]) => [index, [...list]]));
    return { length: inode.length, chunkInfos };
  }

  async commit(inodeId: bigint, commit: DataCommit): Promise<void> {
    const inode = this.inodes.get(inodeId);
    if (!inode) throw new Error(`no inode ${inodeId}`);
    this.validate(commit);
    await this.options.beforeCommit?.(inodeId, commit);
    for (const append of commit.appends) {
      const list = inode.chunkInfos.get(append.chunkIndex) ?? [];
      for (const info of append.infos) {
        if (!list.some((existing) => existing.chunkId === info.chunkId)) list.push(info);
      }
      inode.chunkInfos.set(append.chunkIndex, list);
    }
    if (commit.length !== undefined) inode.length = commit.length;
    if (commit.mtime !== undefined) inode.mtime = commit.mtime;
    this.commits.push({ inodeId, commit });
  }

  private validate(commit: DataCommit): void {
    const { chunkSize } = this.options;
    if (commit.appends.length > 256) throw new Error("more than 256 chunk indexes in one commit");
    const indexes = new Set(commit.appends.map((append) => append.chunkIndex));
    if (indexes.size !== commit.appends.length) throw new Error("a chunk index appears twice");
    for (const append of commit.appends) {
      if (append.infos.length < 1 || append.infos.length > 256) {
        throw new Error(`an append has ${append.infos.length} infos (1..256)`);
      }
      const ids = new Set(append.infos.map((info) => info.chunkId));
      if (ids.size !== append.infos.length) throw new Error("chunk ids of an append repeat");
      for (const info of append.infos) {
        const inChunk =
          Math.floor(info.offset / chunkSize) === append.chunkIndex &&
          Math.floor((info.offset + info.len - 1) / chunkSize) === append.chunkIndex;
        if (info.chunkId < 1n) throw new Error("chunk id 0");
        if (info.len < 1 || info.len > 1024 ** 3) throw new Error(`info len ${info.len}`);
        if (!inChunk) throw new Error(`info at ${info.offset}+${info.len} leaves its chunk`);
        if (info.zero ? info.size !== 0 : info.size !== info.len) {
          throw new Error(`info size ${info.size} does not fit len ${info.len}`);
        }
      }
    }
  }
}

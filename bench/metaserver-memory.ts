/**
 * Bytes per file of the metaserver's in-memory layout: creates FILES regular files (an inode and
 * a dentry each, through CreateInode + CreateDentry applies) in one partition, spread over
 * directories of 1000, and reports the heapUsed delta (plus ArrayBuffer memory) per file.
 *
 *   node --expose-gc --import tsx bench/metaserver-memory.ts [files]
 */
import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { CurveError } from "../impl/errors.js";
import { FsType, PartitionInfoSchema } from "../impl/gen/curve/common/v1/common_pb.js";
import { FileType } from "../impl/gen/curve/metaserver/v1/inode_pb.js";
import {
  CreateDentryRequestSchema,
  CreateInodeRequestSchema,
  type CreateInodeResponse,
  CreatePartitionRequestSchema,
  CreateRootInodeRequestSchema,
} from "../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { CopysetState } from "../impl/metaserver/copyset-state.js";
import { type Op, OpType, op } from "../impl/metaserver/ops.js";

const FILES = Number(process.argv[2] ?? 1_000_000);
const PER_DIRECTORY = 1000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

function collect(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage();
}

const state = new CopysetState(1, 1);
let index = 0n;
function apply(entry: Op) {
  const result = state.apply(entry, ++index);
  if (result instanceof CurveError || result === undefined) throw result ?? new Error("skipped");
  return result;
}
const fsId = 1;
const partitionId = 1;
const time = (s: number) =>
  create(TimestampSchema, { seconds: BigInt(1_700_000_000 + s), nanos: s });
apply(
  op(
    OpType.CREATE_PARTITION,
    create(CreatePartitionRequestSchema, {
      partition: create(PartitionInfoSchema, {
        fsId,
        poolId: 1,
        copysetId: 1,
        partitionId,
        start: 0n,
        end: 1n << 24n,
      }),
      fsType: FsType.S3,
    }),
  ),
);
apply(
  op(
    OpType.CREATE_ROOT_INODE,
    create(CreateRootInodeRequestSchema, { fsId, partitionId, mode: 0o755, time: time(0) }),
  ),
);

function createFile(parent: bigint, name: string, type: FileType, n: number): bigint {
  const inode = apply(
    op(
      OpType.CREATE_INODE,
      create(CreateInodeRequestSchema, {
        fsId,
        partitionId,
        parentInodeId: parent,
        type,
        mode: 0o644,
        uid: 1000,
        gid: 1000,
        time: time(n),
      }),
    ),
  ) as CreateInodeResponse;
  const id = inode.attr?.inodeId as bigint;
  apply(
    op(
      OpType.CREATE_DENTRY,
      create(CreateDentryRequestSchema, {
        fsId,
        partitionId,
        parentInodeId: parent,
        name,
        inodeId: id,
        type,
        time: time(n),
      }),
    ),
  );
  return id;
}

// Directories first, so that the measured delta is files only.
const directories: bigint[] = [];
for (let d = 0; d < Math.ceil(FILES / PER_DIRECTORY); d++) {
  directories.push(createFile(1n, `dir-${String(d).padStart(5, "0")}`, FileType.DIRECTORY, d));
}
const before = collect();
const started = performance.now();
for (let i = 0; i < FILES; i++) {
  const dir = directories[Math.floor(i / PER_DIRECTORY)];
  createFile(dir, `file-${String(i).padStart(8, "0")}.dat`, FileType.REGULAR, i);
}
const seconds = (performance.now() - started) / 1000;
const after = collect();
const heap = after.heapUsed - before.heapUsed;
const buffers = after.arrayBuffers - before.arrayBuffers;
const partition = state.partition(partitionId);
console.log(
  JSON.stringify(
    {
      files: FILES,
      inodes: partition.inodes.size,
      dentries: partition.dentries.size,
      heapUsedBytesPerFile: Math.round(heap / FILES),
      arrayBufferBytesPerFile: Math.round(buffers / FILES),
      appliesPerSecond: Math.round((2 * FILES) / seconds),
    },
    null,
    2,
  ),
);

/**
 * The versioned log-entry envelope of a metaserver copyset: every write of MetaServerService,
 * and every internal write the leader proposes, is one Raft entry
 *
 *   [u8 envelope version][u16 LE op type][protobuf bytes of the request message]
 *
 * The op type numbers are stable forever: never reorder or reuse them; add new ones at the end
 * of their block. A replica that meets a version or type it does not know must stop applying
 * (it would diverge), so decoding refuses them with a typed error.
 */
import { fromBinary, type Message, toBinary } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import {
  type AppendS3ChunkInfoRequest,
  AppendS3ChunkInfoRequestSchema,
  type CreateDentryRequest,
  CreateDentryRequestSchema,
  type CreateInodeRequest,
  CreateInodeRequestSchema,
  type CreateManageInodeRequest,
  CreateManageInodeRequestSchema,
  type CreatePartitionRequest,
  CreatePartitionRequestSchema,
  type CreateRootInodeRequest,
  CreateRootInodeRequestSchema,
  type DeleteDentryRequest,
  DeleteDentryRequestSchema,
  type DeleteInodeRequest,
  DeleteInodeRequestSchema,
  type DeletePartitionRequest,
  DeletePartitionRequestSchema,
  type PrepareRenameTxRequest,
  PrepareRenameTxRequestSchema,
  type UpdateInodeRequest,
  UpdateInodeRequestSchema,
  type UpdateVolumeExtentRequest,
  UpdateVolumeExtentRequestSchema,
} from "../gen/curve/metaserver/v1/metaserver_pb.js";

/** The envelope format written by this build. */
export const LOG_ENTRY_VERSION = 1;

/** The header: version (1 byte) and op type (2 bytes). */
const HEADER_BYTES = 3;

/** The kind of a log entry. Stable numbers: never reorder, never reuse. */
export enum OpType {
  // 1–99: the write RPCs of MetaServerService, with their request message as payload.
  CREATE_DENTRY = 1,
  DELETE_DENTRY = 2,
  PREPARE_RENAME_TX = 3,
  CREATE_INODE = 4,
  UPDATE_INODE = 5,
  DELETE_INODE = 6,
  CREATE_ROOT_INODE = 7,
  CREATE_MANAGE_INODE = 8,
  APPEND_S3_CHUNK_INFO = 9,
  UPDATE_VOLUME_EXTENT = 10,
  CREATE_PARTITION = 11,
  DELETE_PARTITION = 12,
  // 100–199: internal writes proposed by the copyset leader's background tasks. They reuse
  // request messages of the spec whose fields say exactly what they need.
  /** The trash task, after deleting the inode's data: removes an inode whose nlink is 0
   * (DeleteInodeRequest). A no-op when the inode is gone or linked. */
  TRASH_PURGE_INODE = 100,
  /** Emptying a DELETING partition, after deleting the inode's data: removes the inode whatever
   * its nlink (DeleteInodeRequest). */
  PARTITION_CLEANUP_INODE = 101,
  /** The last step of emptying a DELETING partition: removes it once it holds no inode
   * (DeletePartitionRequest). */
  PARTITION_REMOVE = 102,
}

/** Each op type with its request message. */
interface OpRequests {
  [OpType.CREATE_DENTRY]: CreateDentryRequest;
  [OpType.DELETE_DENTRY]: DeleteDentryRequest;
  [OpType.PREPARE_RENAME_TX]: PrepareRenameTxRequest;
  [OpType.CREATE_INODE]: CreateInodeRequest;
  [OpType.UPDATE_INODE]: UpdateInodeRequest;
  [OpType.DELETE_INODE]: DeleteInodeRequest;
  [OpType.CREATE_ROOT_INODE]: CreateRootInodeRequest;
  [OpType.CREATE_MANAGE_INODE]: CreateManageInodeRequest;
  [OpType.APPEND_S3_CHUNK_INFO]: AppendS3ChunkInfoRequest;
  [OpType.UPDATE_VOLUME_EXTENT]: UpdateVolumeExtentRequest;
  [OpType.CREATE_PARTITION]: CreatePartitionRequest;
  [OpType.DELETE_PARTITION]: DeletePartitionRequest;
  [OpType.TRASH_PURGE_INODE]: DeleteInodeRequest;
  [OpType.PARTITION_CLEANUP_INODE]: DeleteInodeRequest;
  [OpType.PARTITION_REMOVE]: DeletePartitionRequest;
}

/** A decoded log entry: its type and request. */
export type Op = { [T in OpType]: { readonly type: T; readonly request: OpRequests[T] } }[OpType];

const schemas: { [T in OpType]: GenMessage<OpRequests[T] & Message> } = {
  [OpType.CREATE_DENTRY]: CreateDentryRequestSchema,
  [OpType.DELETE_DENTRY]: DeleteDentryRequestSchema,
  [OpType.PREPARE_RENAME_TX]: PrepareRenameTxRequestSchema,
  [OpType.CREATE_INODE]: CreateInodeRequestSchema,
  [OpType.UPDATE_INODE]: UpdateInodeRequestSchema,
  [OpType.DELETE_INODE]: DeleteInodeRequestSchema,
  [OpType.CREATE_ROOT_INODE]: CreateRootInodeRequestSchema,
  [OpType.CREATE_MANAGE_INODE]: CreateManageInodeRequestSchema,
  [OpType.APPEND_S3_CHUNK_INFO]: AppendS3ChunkInfoRequestSchema,
  [OpType.UPDATE_VOLUME_EXTENT]: UpdateVolumeExtentRequestSchema,
  [OpType.CREATE_PARTITION]: CreatePartitionRequestSchema,
  [OpType.DELETE_PARTITION]: DeletePartitionRequestSchema,
  [OpType.TRASH_PURGE_INODE]: DeleteInodeRequestSchema,
  [OpType.PARTITION_CLEANUP_INODE]: DeleteInodeRequestSchema,
  [OpType.PARTITION_REMOVE]: DeletePartitionRequestSchema,
};

/** Builds an op with its type checked against its request. */
export function op<T extends OpType>(type: T, request: OpRequests[T]): Op {
  return { type, request } as Op;
}

/** Encodes an op as a log entry. */
export function encodeOp(entry: Op): Uint8Array {
  const schema = schemas[entry.type] as GenMessage<Message>;
  const payload = toBinary(schema, entry.request as Message);
  const bytes = new Uint8Array(HEADER_BYTES + payload.length);
  bytes[0] = LOG_ENTRY_VERSION;
  bytes[1] = entry.type & 0xff;
  bytes[2] = entry.type >>> 8;
  bytes.set(payload, HEADER_BYTES);
  return bytes;
}

/**
 * Decodes a log entry. An unknown envelope version or op type (written by a newer build) and an
 * undecodable payload are `internal` errors: applying past them would make replicas diverge.
 */
export function decodeOp(bytes: Uint8Array): Op {
  if (bytes.length < HEADER_BYTES) {
    throw new CurveError(ErrorReason.INTERNAL, "log entry shorter than its header", {
      metadata: { length: String(bytes.length) },
    });
  }
  const version = bytes[0];
  if (version !== LOG_ENTRY_VERSION) {
    throw new CurveError(ErrorReason.INTERNAL, `unknown log entry version ${version}`, {
      metadata: { version: String(version) },
    });
  }
  const type = bytes[1] | (bytes[2] << 8);
  const schema = (schemas as Partial<Record<number, GenMessage<Message>>>)[type];
  if (schema === undefined) {
    throw new CurveError(ErrorReason.INTERNAL, `unknown log entry op type ${type}`, {
      metadata: { op_type: String(type) },
    });
  }
  try {
    return { type, request: fromBinary(schema, bytes.subarray(HEADER_BYTES)) } as Op;
  } catch (cause) {
    throw new CurveError(ErrorReason.INTERNAL, `undecodable log entry of op type ${type}`, {
      metadata: { op_type: String(type) },
      cause,
    });
  }
}

/**
 * The spec as data: every generated file descriptor of `proto/curve`, and a registry over them.
 *
 * Used by the server (reflection, JSON type lookup), the CLI (`curve-rpc spec`) and the tests
 * that pin the contract (inventory, round trips, validation rules).
 */
import { createRegistry, type DescFile, type DescService } from "@bufbuild/protobuf";
import { file_curve_chunk_v1_chunk } from "../gen/curve/chunk/v1/chunk_pb.js";
import { file_curve_chunk_v1_copyset } from "../gen/curve/chunk/v1/copyset_pb.js";
import { file_curve_common_v1_common } from "../gen/curve/common/v1/common_pb.js";
import { file_curve_common_v1_error } from "../gen/curve/common/v1/error_pb.js";
import { file_curve_mds_v1_cluster } from "../gen/curve/mds/v1/cluster_pb.js";
import { file_curve_mds_v1_heartbeat } from "../gen/curve/mds/v1/heartbeat_pb.js";
import { file_curve_mds_v1_mds } from "../gen/curve/mds/v1/mds_pb.js";
import { file_curve_mds_v1_topology } from "../gen/curve/mds/v1/topology_pb.js";
import { file_curve_metaserver_v1_copyset } from "../gen/curve/metaserver/v1/copyset_pb.js";
import { file_curve_metaserver_v1_inode } from "../gen/curve/metaserver/v1/inode_pb.js";
import { file_curve_metaserver_v1_metaserver } from "../gen/curve/metaserver/v1/metaserver_pb.js";
import { file_curve_raft_v1_cli } from "../gen/curve/raft/v1/cli_pb.js";
import { file_curve_raft_v1_raft } from "../gen/curve/raft/v1/raft_pb.js";
import { file_curve_space_v1_space } from "../gen/curve/space/v1/space_pb.js";

/** Every file of the spec. */
export const specFiles: readonly DescFile[] = [
  file_curve_common_v1_common,
  file_curve_common_v1_error,
  file_curve_mds_v1_cluster,
  file_curve_mds_v1_heartbeat,
  file_curve_mds_v1_mds,
  file_curve_mds_v1_topology,
  file_curve_metaserver_v1_copyset,
  file_curve_metaserver_v1_inode,
  file_curve_metaserver_v1_metaserver,
  file_curve_space_v1_space,
  file_curve_chunk_v1_chunk,
  file_curve_chunk_v1_copyset,
  file_curve_raft_v1_cli,
  file_curve_raft_v1_raft,
];

/** A registry of every message, enum, extension and service of the spec. */
export const specRegistry = createRegistry(...specFiles);

/** Every service of the spec, sorted by fully qualified name. */
export const specServices: readonly DescService[] = specFiles
  .flatMap((file) => file.services)
  .sort((a, b) => a.typeName.localeCompare(b.typeName));

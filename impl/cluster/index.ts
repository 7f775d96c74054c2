/**
 * Whole clusters for one machine: `LocalCluster` (an MDS and three metaservers in one process,
 * what `curve-rpc up`, the SDK's tests and the conformance reference target run) and the
 * read-only `clusterStatus` of `curve-rpc status`.
 */
export { CLUSTER_PORTS_FILE, type ClusterPorts } from "./cluster-ports.js";
export {
  type ClusterStatus,
  type CopysetStatusLine,
  clusterStatus,
  type MetaserverStatus,
  type PartitionStatusLine,
} from "./cluster-status.js";
export {
  LOCAL_ACCESS_KEY,
  LOCAL_BUCKET,
  LOCAL_METASERVERS,
  LOCAL_POOL,
  LOCAL_SECRET_KEY,
  LocalCluster,
  type LocalClusterOptions,
  type LocalClusterS3,
} from "./local-cluster.js";

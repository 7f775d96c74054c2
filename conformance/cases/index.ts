/** Every case of the suite, in the order they run. */
import type { ConformanceCase } from "../runner/case.js";
import { chunkCases } from "./chunk/chunk-service.js";
import { cliCases } from "./cli/cli-service.js";
import { metaserverCopysetCases } from "./copyset/metaserver-copysets.js";
import { heartbeatCases } from "./heartbeat/heartbeats.js";
import { allocateS3ChunkCases } from "./mds/allocate-s3-chunk.js";
import { createFsCases } from "./mds/create-fs.js";
import { deleteFsCases } from "./mds/delete-fs.js";
import { getFsInfoCases } from "./mds/get-fs-info.js";
import { listFsCases } from "./mds/list-fs.js";
import { mountFsCases } from "./mds/mount-fs.js";
import { refreshSessionCases } from "./mds/refresh-session.js";
import { renameTxCases } from "./mds/rename-tx.js";
import { umountFsCases } from "./mds/umount-fs.js";
import { updateFsCases } from "./mds/update-fs.js";
import { dentryCases } from "./metaserver/dentries.js";
import { fileDataMapCases } from "./metaserver/file-data-maps.js";
import { inodeCases } from "./metaserver/inodes.js";
import { partitionCases } from "./metaserver/partitions.js";
import { prepareRenameTxCases } from "./metaserver/rename-tx.js";
import { scenarioCases } from "./metaserver/scenarios.js";
import { replicationCases } from "./raft/replication.js";
import { voteCases } from "./raft/votes.js";
import { spaceCases } from "./space/space-alloc.js";
import { partitionCopysetCases } from "./topology/partitions-copysets.js";
import { poolZoneCases } from "./topology/pools-zones.js";
import { serverCases } from "./topology/servers.js";

export const allCases: readonly ConformanceCase[] = [
  ...createFsCases,
  ...getFsInfoCases,
  ...listFsCases,
  ...updateFsCases,
  ...deleteFsCases,
  ...mountFsCases,
  ...umountFsCases,
  ...refreshSessionCases,
  ...allocateS3ChunkCases,
  ...renameTxCases,
  ...poolZoneCases,
  ...serverCases,
  ...partitionCopysetCases,
  ...heartbeatCases,
  ...spaceCases,
  ...voteCases,
  ...replicationCases,
  ...dentryCases,
  ...prepareRenameTxCases,
  ...inodeCases,
  ...fileDataMapCases,
  ...partitionCases,
  ...scenarioCases,
  ...cliCases,
  ...metaserverCopysetCases,
  ...chunkCases,
];

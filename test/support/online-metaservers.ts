/**
 * Declares a METASERVER pool with three zones and one metaserver in each, and makes them ONLINE
 * on an MDS leader (through the topology domain), so that CreateFs can place partitions. The
 * metaservers are addresses only: pair this with the FakeMetaServerClient until real
 * metaservers exist. Shared by the MDS tests and the `mds` benchmark.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MetaServerSpaceSchema } from "../../impl/gen/curve/mds/v1/cluster_pb.js";
import { PoolType } from "../../impl/gen/curve/mds/v1/topology_pb.js";
import { handleHeartbeat } from "../../impl/mds/heartbeat/heartbeat-service.js";
import type { MdsServer } from "../../impl/mds/mds-server.js";
import { createPool, createZone } from "../../impl/mds/topology/pools.js";
import { registerServer } from "../../impl/mds/topology/servers.js";

export async function onlineMetaServers(leader: MdsServer): Promise<void> {
  const deps = leader.topology;
  await createPool(deps, {
    name: "pool1",
    type: PoolType.METASERVER,
    replicaCount: 3,
    initialCopysetCount: 0,
  });
  for (let z = 1; z <= 3; z++) {
    await createZone(deps, "pool1", `zone${z}`);
    const record = await registerServer(deps, "metaserver", {
      address: `10.0.${z}.1:6701`,
      hostname: `meta${z}`,
      poolName: "pool1",
      zoneName: `zone${z}`,
    });
    await handleHeartbeat(deps, {
      kind: "metaserver",
      id: record.id,
      token: record.token,
      address: record.address,
      startTime: timestampFromMs(Date.now()),
      space: create(MetaServerSpaceSchema, {
        diskThresholdBytes: 100n << 30n,
        diskMinBytesPerCopyset: 1n << 20n,
        memoryThresholdBytes: 8n << 30n,
        memoryMinBytesPerCopyset: 1n << 20n,
      }),
      copysets: [],
    });
  }
}

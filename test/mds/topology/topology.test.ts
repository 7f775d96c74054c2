/**
 * TopologyService's rules (topology.proto) on the real domain and a real KvStore: etcd and the
 * embedded store alike. The metaservers are the FAKE client (there are none yet).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PartitionStatus } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FsStatus } from "../../../impl/gen/curve/mds/v1/mds_pb.js";
import { PoolType, ServerState } from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import { judgeServers } from "../../../impl/mds/heartbeat/liveness-task.js";
import { getCopysets, maintainCopysets } from "../../../impl/mds/topology/copysets.js";
import {
  createPartitions,
  createPartitionsForFs,
  fsPartitionsOf,
  listPartitions,
} from "../../../impl/mds/topology/partitions.js";
import { createPool, createZone, listPools, listZones } from "../../../impl/mds/topology/pools.js";
import { deleteServer, listServers, registerServer } from "../../../impl/mds/topology/servers.js";
import {
  addServer,
  BACKENDS,
  curveFailure,
  onlinePool,
  openHarness,
  reasonOf,
  type TopologyHarness,
} from "./topology-harness.js";

const IDS_PER_PARTITION = 1n << 20n;

describe.each(BACKENDS)("topology on %s", (backend) => {
  let h: TopologyHarness;

  beforeEach(async () => {
    h = await openHarness(backend);
  });

  afterEach(async () => {
    await h.close();
  });

  describe("pools and zones", () => {
    const settings = {
      name: "meta",
      type: PoolType.METASERVER,
      replicaCount: 3,
      initialCopysetCount: 0,
    };

    it("CreatePool with identical settings returns the existing pool", async () => {
      const first = await createPool(h.deps, settings);
      const again = await createPool(h.deps, settings);
      expect(again).toEqual(first);
      expect(first.id).toBeGreaterThanOrEqual(1);
      const { page } = await listPools(h.deps, { pageSize: 0, pageToken: "" });
      expect(page.items.map((p) => p.name)).toEqual(["meta"]);
    });

    it("CreatePool of a taken name with other settings is TOPOLOGY_NAME_TAKEN", async () => {
      await createPool(h.deps, settings);
      expect(await reasonOf(createPool(h.deps, { ...settings, replicaCount: 1 }))).toBe(
        ErrorReason.TOPOLOGY_NAME_TAKEN,
      );
    });

    it("CreateZone is idempotent and needs an existing pool", async () => {
      await createPool(h.deps, settings);
      const zone = await createZone(h.deps, "meta", "rack1");
      expect(await createZone(h.deps, "meta", "rack1")).toEqual(zone);
      expect(await reasonOf(createZone(h.deps, "nope", "rack1"))).toBe(ErrorReason.POOL_NOT_FOUND);
    });

    it("ListPools and ListZones page in ascending id order and refuse foreign tokens", async () => {
      for (const name of ["a", "b", "c"]) await createPool(h.deps, { ...settings, name });
      const first = await listPools(h.deps, { pageSize: 2, pageToken: "" });
      expect(first.page.items.map((p) => p.name)).toEqual(["a", "b"]);
      const second = await listPools(h.deps, { pageSize: 2, pageToken: first.page.nextPageToken });
      expect(second.page.items.map((p) => p.name)).toEqual(["c"]);
      expect(second.page.nextPageToken).toBe("");
      await createZone(h.deps, "a", "z1");
      await createZone(h.deps, "b", "z1");
      const zones = await listZones(h.deps, first.page.items[0]?.id, {
        pageSize: 0,
        pageToken: "",
      });
      expect(zones.page.items).toHaveLength(1);
      const error = await curveFailure(
        listZones(h.deps, undefined, { pageSize: 1, pageToken: first.page.nextPageToken }),
      );
      expect(error.reason).toBe(ErrorReason.INVALID_ARGUMENT);
      expect(error.metadata.field).toBe("page_token");
    });
  });

  describe("registration", () => {
    beforeEach(async () => {
      await createPool(h.deps, {
        name: "meta",
        type: PoolType.METASERVER,
        replicaCount: 3,
        initialCopysetCount: 0,
      });
      await createZone(h.deps, "meta", "z1");
      await createZone(h.deps, "meta", "z2");
      await createPool(h.deps, {
        name: "chunks",
        type: PoolType.CHUNKSERVER,
        replicaCount: 1,
        initialCopysetCount: 0,
      });
      await createZone(h.deps, "chunks", "z1");
    });

    const request = {
      address: "10.0.0.1:6701",
      hostname: "host1",
      poolName: "meta",
      zoneName: "z1",
    };

    it("a new metaserver gets an id and a random token and is UNSTABLE until its first heartbeat", async () => {
      const server = await registerServer(h.deps, "metaserver", request);
      expect(server.id).toBeGreaterThanOrEqual(1);
      expect(server.token).toMatch(/^[a-z0-9]{16,}$/);
      const other = await registerServer(h.deps, "metaserver", {
        ...request,
        address: "10.0.0.2:6701",
      });
      expect(other.token).not.toBe(server.token);
      const { term } = await listServers(h.deps, "metaserver", {}, { pageSize: 0, pageToken: "" });
      expect(term.liveness("metaserver", server.id).state).toBe(ServerState.UNSTABLE);
    });

    it("metaserver and chunkserver ids come from separate counters that start at 1", async () => {
      const metaserver = await registerServer(h.deps, "metaserver", request);
      const chunkserver = await registerServer(h.deps, "chunkserver", {
        ...request,
        address: "10.0.0.9:8200",
        poolName: "chunks",
      });
      expect([metaserver.id, chunkserver.id]).toEqual([1, 1]);
    });

    it("a retry without a token returns the same id and token while the server hosts no copyset", async () => {
      const first = await registerServer(h.deps, "metaserver", request);
      const again = await registerServer(h.deps, "metaserver", request);
      expect(again.id).toBe(first.id);
      expect(again.token).toBe(first.token);
    });

    it("a restart with its token returns the same id and token and updates the hostname", async () => {
      const first = await registerServer(h.deps, "metaserver", request);
      const again = await registerServer(h.deps, "metaserver", {
        ...request,
        hostname: "renamed",
        token: first.token,
      });
      expect({ id: again.id, token: again.token, hostname: again.hostname }).toEqual({
        id: first.id,
        token: first.token,
        hostname: "renamed",
      });
    });

    it("another token is SERVER_TOKEN_MISMATCH", async () => {
      await registerServer(h.deps, "metaserver", request);
      expect(
        await reasonOf(registerServer(h.deps, "metaserver", { ...request, token: "wrongtoken" })),
      ).toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
    });

    it("a token with no registration at the address is METASERVER_NOT_FOUND / CHUNKSERVER_NOT_FOUND", async () => {
      expect(
        await reasonOf(registerServer(h.deps, "metaserver", { ...request, token: "stale" })),
      ).toBe(ErrorReason.METASERVER_NOT_FOUND);
      expect(
        await reasonOf(
          registerServer(h.deps, "chunkserver", {
            ...request,
            poolName: "chunks",
            token: "stale",
            capacityBytes: 1n,
          }),
        ),
      ).toBe(ErrorReason.CHUNKSERVER_NOT_FOUND);
    });

    it("registering into another zone, or as the other kind, is SERVER_ADDRESS_IN_USE", async () => {
      const first = await registerServer(h.deps, "metaserver", request);
      expect(
        await reasonOf(
          registerServer(h.deps, "metaserver", { ...request, zoneName: "z2", token: first.token }),
        ),
      ).toBe(ErrorReason.SERVER_ADDRESS_IN_USE);
      expect(
        await reasonOf(
          registerServer(h.deps, "chunkserver", {
            ...request,
            poolName: "chunks",
            capacityBytes: 1n,
          }),
        ),
      ).toBe(ErrorReason.SERVER_ADDRESS_IN_USE);
    });

    it("an unknown pool, a pool of the other kind, or an unknown zone is refused", async () => {
      expect(
        await reasonOf(registerServer(h.deps, "metaserver", { ...request, poolName: "nope" })),
      ).toBe(ErrorReason.POOL_NOT_FOUND);
      expect(
        await reasonOf(registerServer(h.deps, "metaserver", { ...request, poolName: "chunks" })),
      ).toBe(ErrorReason.POOL_NOT_FOUND);
      expect(
        await reasonOf(registerServer(h.deps, "metaserver", { ...request, zoneName: "z9" })),
      ).toBe(ErrorReason.ZONE_NOT_FOUND);
    });

    it("a chunkserver's capacity is updated on every accepted registration", async () => {
      const chunk = { ...request, poolName: "chunks", capacityBytes: 100n };
      const first = await registerServer(h.deps, "chunkserver", chunk);
      const again = await registerServer(h.deps, "chunkserver", {
        ...chunk,
        capacityBytes: 200n,
        token: first.token,
      });
      expect(again.id).toBe(first.id);
      expect(again.capacityBytes).toBe(200n);
    });

    it("ListMetaServers filters by pool, zone and state", async () => {
      const a = await addServer(h, "metaserver", "meta", "z1", "10.0.0.1:6701");
      await addServer(h, "metaserver", "meta", "z2", "10.0.0.2:6701");
      await a.heartbeat();
      const byZone = await listServers(
        h.deps,
        "metaserver",
        { zoneId: a.record.zoneId },
        { pageSize: 0, pageToken: "" },
      );
      expect(byZone.page.items.map((s) => s.server.id)).toEqual([a.record.id]);
      const online = await listServers(
        h.deps,
        "metaserver",
        { state: ServerState.ONLINE },
        { pageSize: 0, pageToken: "" },
      );
      expect(online.page.items.map((s) => s.server.id)).toEqual([a.record.id]);
      const paged = await listServers(h.deps, "metaserver", {}, { pageSize: 1, pageToken: "" });
      expect(paged.page.items).toHaveLength(1);
      expect(paged.page.nextPageToken).not.toBe("");
    });
  });

  describe("deleting servers", () => {
    it("only an OFFLINE server without copysets can be deleted; then its identity is unknown", async () => {
      const { servers } = await onlinePool(h, { zones: 3 });
      h.fs.add(1);
      await createPartitionsForFs(h.deps, 1, 1);
      const extra = await addServer(h, "metaserver", "pool1", "zone1", "10.9.9.9:6701");
      const id = extra.record.id;
      expect(await reasonOf(deleteServer(h.deps, "metaserver", id))).toBe(
        ErrorReason.SERVER_IN_USE,
      );
      await h.clock.advance(h.ctx.config.serverOfflineAfterMs + 1);
      await judgeServers(h.deps);
      // A member of a copyset is in use even when OFFLINE.
      const member = servers[0]?.record.id ?? 0;
      expect(await reasonOf(deleteServer(h.deps, "metaserver", member))).toBe(
        ErrorReason.SERVER_IN_USE,
      );
      await deleteServer(h.deps, "metaserver", id);
      expect(await reasonOf(deleteServer(h.deps, "metaserver", id))).toBe(
        ErrorReason.METASERVER_NOT_FOUND,
      );
      expect(await reasonOf(extra.heartbeat())).toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
      const again = {
        address: extra.record.address,
        hostname: "h",
        poolName: "pool1",
        zoneName: "zone1",
      };
      expect(
        await reasonOf(
          registerServer(h.deps, "metaserver", { ...again, token: extra.record.token }),
        ),
      ).toBe(ErrorReason.METASERVER_NOT_FOUND);
      // The address is free: a registration without a token is a new server.
      expect((await registerServer(h.deps, "metaserver", again)).id).not.toBe(id);
    });

    it("a server hosting a copyset cannot register again without its token", async () => {
      const { servers } = await onlinePool(h, { zones: 3 });
      h.fs.add(1);
      await createPartitionsForFs(h.deps, 1, 1);
      const member = servers[0]?.record;
      expect(
        await reasonOf(
          registerServer(h.deps, "metaserver", {
            address: member?.address ?? "",
            hostname: "h",
            poolName: "pool1",
            zoneName: "zone1",
          }),
        ),
      ).toBe(ErrorReason.SERVER_ADDRESS_IN_USE);
    });
  });

  describe("partitions", () => {
    it("an fs's partitions have consecutive ranges of 2^20 ids from 0, on copysets across 3 zones", async () => {
      const { servers } = await onlinePool(h, { zones: 3 });
      h.fs.add(7, FsStatus.NEW);
      const partitions = await createPartitionsForFs(h.deps, 7, 12);
      expect(partitions).toHaveLength(12);
      partitions.forEach((p, i) => {
        expect(p.start).toBe(BigInt(i) * IDS_PER_PARTITION);
        expect(p.end).toBe(BigInt(i + 1) * IDS_PER_PARTITION - 1n);
        expect(p.status).toBe(PartitionStatus.READ_WRITE);
        expect(p.fsId).toBe(7);
      });
      expect(new Set(partitions.map((p) => p.partitionId)).size).toBe(12);
      const copyset = (
        await getCopysets(h.deps, partitions[0]?.poolId ?? 0, [partitions[0]?.copysetId ?? 0])
      ).found[0];
      expect(copyset?.members).toHaveLength(3);
      const zones = new Set(
        copyset?.members.map((m) => servers.find((s) => s.record.id === m)?.record.zoneId),
      );
      expect(zones.size).toBe(3);
      // The copyset was created on every member before its partitions.
      expect(h.meta.callsOf("createCopysetNode")).toHaveLength(1);
      expect(h.meta.partitionsOf(7)).toHaveLength(12);
      // A second call with the same count creates nothing.
      await createPartitionsForFs(h.deps, 7, 12);
      expect(h.meta.callsOf("createPartition")).toHaveLength(12);
    });

    it("placing a copyset with ONLINE servers in fewer than 3 zones is NOT_ENOUGH_SERVERS", async () => {
      await onlinePool(h, { zones: 2, perZone: 2 });
      h.fs.add(1);
      expect(await reasonOf(createPartitionsForFs(h.deps, 1, 1))).toBe(
        ErrorReason.NOT_ENOUGH_SERVERS,
      );
    });

    it("UNSTABLE servers get no new copysets", async () => {
      await onlinePool(h, { zones: 3 });
      await h.clock.advance(h.ctx.config.serverUnstableAfterMs + 1);
      await judgeServers(h.deps);
      h.fs.add(1);
      expect(await reasonOf(createPartitionsForFs(h.deps, 1, 1))).toBe(
        ErrorReason.NOT_ENOUGH_SERVERS,
      );
    });

    it("metaservers without room get no new copysets", async () => {
      await createPool(h.deps, {
        name: "full",
        type: PoolType.METASERVER,
        replicaCount: 1,
        initialCopysetCount: 0,
      });
      await createZone(h.deps, "full", "z1");
      const server = await addServer(h, "metaserver", "full", "z1", "10.7.0.1:6701");
      await server.heartbeat();
      const term = await h.deps.store.term();
      const live = term.liveness("metaserver", server.record.id);
      live.space = live.space && { ...live.space, diskUsedBytes: live.space.diskThresholdBytes };
      h.fs.add(1);
      expect(await reasonOf(createPartitionsForFs(h.deps, 1, 1))).toBe(
        ErrorReason.NOT_ENOUGH_SERVERS,
      );
    });

    it("CreatePartitions checks the fs: FS_NOT_FOUND, FS_NOT_INITED, FS_DELETING", async () => {
      await onlinePool(h);
      h.fs.add(2, FsStatus.NEW);
      h.fs.add(3, FsStatus.DELETING);
      expect(await reasonOf(createPartitions(h.deps, 1, 1, []))).toBe(ErrorReason.FS_NOT_FOUND);
      expect(await reasonOf(createPartitions(h.deps, 2, 1, []))).toBe(ErrorReason.FS_NOT_INITED);
      expect(await reasonOf(createPartitions(h.deps, 3, 1, []))).toBe(ErrorReason.FS_DELETING);
    });

    it("CreatePartitions records the read-only partitions, then continues the ranges", async () => {
      await onlinePool(h);
      h.fs.add(1);
      const initial = await createPartitionsForFs(h.deps, 1, 3);
      const readOnly = initial.slice(0, 2).map((p) => p.partitionId);
      const result = await createPartitions(h.deps, 1, 3, readOnly);
      expect(result.createdCount).toBe(2);
      expect(result.partitions.map((p) => p.start)).toEqual(
        [2n, 3n, 4n].map((i) => i * IDS_PER_PARTITION),
      );
      // A repeat creates none.
      const again = await createPartitions(h.deps, 1, 3, readOnly);
      expect(again.createdCount).toBe(0);
      const { page } = await listPartitions(h.deps, 1, { pageSize: 0, pageToken: "" });
      expect(page.items.map((p) => p.partition.status)).toEqual([
        PartitionStatus.READ_ONLY,
        PartitionStatus.READ_ONLY,
        PartitionStatus.READ_WRITE,
        PartitionStatus.READ_WRITE,
        PartitionStatus.READ_WRITE,
      ]);
    });

    it("an unknown or foreign read-only partition is PARTITION_NOT_FOUND and changes nothing", async () => {
      await onlinePool(h);
      h.fs.add(1);
      h.fs.add(2);
      const [mine] = await createPartitionsForFs(h.deps, 1, 1);
      const [theirs] = await createPartitionsForFs(h.deps, 2, 1);
      const error = await curveFailure(
        createPartitions(h.deps, 1, 1, [mine?.partitionId ?? 0, theirs?.partitionId ?? 0]),
      );
      expect(error.reason).toBe(ErrorReason.PARTITION_NOT_FOUND);
      expect(error.metadata.partition_id).toBe(`${theirs?.partitionId}`);
      const { page } = await listPartitions(h.deps, 1, { pageSize: 0, pageToken: "" });
      expect(page.items.map((p) => p.partition.status)).toEqual([PartitionStatus.READ_WRITE]);
    });

    it("a partition whose creation failed is not listed, and the next call finishes it with the same range", async () => {
      await onlinePool(h);
      h.fs.add(1);
      h.meta.failOn("createPartition", { times: 1 });
      expect(await reasonOf(createPartitions(h.deps, 1, 2, []))).toBe(ErrorReason.LEADER_UNKNOWN);
      expect(
        (await listPartitions(h.deps, 1, { pageSize: 0, pageToken: "" })).page.items,
      ).toHaveLength(0);
      const result = await createPartitions(h.deps, 1, 2, []);
      expect(result.partitions.map((p) => p.start)).toEqual([0n, IDS_PER_PARTITION]);
      expect(result.createdCount).toBe(2);
    });

    it("ranges are never reused, even after a partition is removed", async () => {
      await onlinePool(h);
      h.fs.add(1, FsStatus.NEW);
      const [first] = await createPartitionsForFs(h.deps, 1, 1);
      const port = fsPartitionsOf(h.deps);
      if (first) await port.remove(first);
      const [next] = await createPartitionsForFs(h.deps, 1, 1);
      expect(next?.start).toBe(IDS_PER_PARTITION);
    });

    it("concurrent CreatePartitions of one fs create exactly what is missing", async () => {
      await onlinePool(h);
      h.fs.add(1);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => createPartitions(h.deps, 1, 4, [])),
      );
      expect(results.reduce((sum, r) => sum + r.createdCount, 0)).toBe(4);
      expect(h.meta.partitionsOf(1)).toHaveLength(4);
    });

    it("ListPartitions routes each partition: members, last known leader, tx id, counters", async () => {
      const { servers } = await onlinePool(h);
      h.fs.add(1);
      const partitions = await createPartitionsForFs(h.deps, 1, 2);
      const first = partitions[0];
      if (!first) throw new Error("no partition");
      h.fs.committedTxIds.set(1, new Map([[first.partitionId, 5n]]));
      const copyset = (await getCopysets(h.deps, first.poolId, [first.copysetId])).found[0];
      const leader = servers.find((s) => s.record.id === copyset?.members[0]);
      await leader?.heartbeat([
        {
          poolId: first.poolId,
          copysetId: first.copysetId,
          peers: servers.filter((s) => copyset?.members.includes(s.record.id)).map((s) => s.peer()),
          epoch: 0n,
          leader: leader.peer(),
          term: 3n,
          loading: false,
          partitions: partitions.map((p) => ({ ...p, nextId: p.start + 10n, inodeCount: 7n })),
        },
      ]);
      const { page } = await listPartitions(h.deps, 1, { pageSize: 1, pageToken: "" });
      const route = page.items[0];
      expect(route?.partition.txId).toBe(5n);
      expect(route?.partition.nextId).toBe(10n);
      expect(route?.partition.inodeCount).toBe(7n);
      expect(route?.copyset?.members).toEqual(copyset?.members);
      expect(route?.copyset?.leader).toBe(leader?.record.id);
      expect(route?.copyset?.term).toBe(3n);
      const next = await listPartitions(h.deps, 1, { pageSize: 1, pageToken: page.nextPageToken });
      expect(next.page.items[0]?.partition.start).toBe(IDS_PER_PARTITION);
      expect(await reasonOf(listPartitions(h.deps, 99, { pageSize: 0, pageToken: "" }))).toBe(
        ErrorReason.FS_NOT_FOUND,
      );
    });
  });

  describe("copysets", () => {
    it("GetCopysets returns the copysets asked for in order and the missing ids apart", async () => {
      await onlinePool(h, { initialCopysetCount: 2 });
      await maintainCopysets(h.deps);
      const { term } = await listPools(h.deps, { pageSize: 0, pageToken: "" });
      const ids = term.view.copysetsOfPool(1).map((c) => c.copysetId);
      expect(ids).toHaveLength(2);
      const result = await getCopysets(h.deps, 1, [ids[1] ?? 0, 999, ids[0] ?? 0]);
      expect(result.found.map((c) => c.copysetId)).toEqual([ids[1], ids[0]]);
      expect(result.missing).toEqual([999]);
      expect(result.found.every((c) => c.created && c.epoch === 0n)).toBe(true);
      expect(await reasonOf(getCopysets(h.deps, 42, [1]))).toBe(ErrorReason.POOL_NOT_FOUND);
    });

    it("a pool gets its initial copysets once it has ONLINE servers in enough zones", async () => {
      await createPool(h.deps, {
        name: "chunks",
        type: PoolType.CHUNKSERVER,
        replicaCount: 3,
        initialCopysetCount: 4,
      });
      await maintainCopysets(h.deps);
      expect((await h.deps.store.term()).view.copysetsOfPool(1)).toHaveLength(0);
      for (let z = 1; z <= 3; z++) {
        await createZone(h.deps, "chunks", `z${z}`);
        await (
          await addServer(h, "chunkserver", "chunks", `z${z}`, `10.1.${z}.1:8200`)
        ).heartbeat();
      }
      await maintainCopysets(h.deps);
      const copysets = (await h.deps.store.term()).view.copysetsOfPool(1);
      expect(copysets).toHaveLength(4);
      expect(h.chunk.copysets.size).toBe(4);
      expect(copysets.every((c) => c.created)).toBe(true);
    });
  });
});

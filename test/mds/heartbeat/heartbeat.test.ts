/**
 * HeartbeatService's rules (heartbeat.proto) on the real domain, a real KvStore (etcd and
 * embedded) and a manual MDS clock.
 */
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PartitionStatus } from "../../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { ConfigChangeSchema, ConfigChangeType } from "../../../impl/gen/curve/mds/v1/cluster_pb.js";
import type { CopysetCommand } from "../../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import { ServerState } from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import type { CopysetReport } from "../../../impl/mds/heartbeat/copyset-report.js";
import { handleHeartbeat } from "../../../impl/mds/heartbeat/heartbeat-service.js";
import {
  judgeServers,
  startServerLivenessTask,
} from "../../../impl/mds/heartbeat/liveness-task.js";
import { getCopysets, maintainCopysets } from "../../../impl/mds/topology/copysets.js";
import {
  createPartitionsForFs,
  fsPartitionsOf,
  listPartitions,
} from "../../../impl/mds/topology/partitions.js";
import { listServers } from "../../../impl/mds/topology/servers.js";
import { createTopologyDeps } from "../../../impl/mds/topology/topology-deps.js";
import { chunkServerMessage } from "../../../impl/mds/topology/topology-messages.js";
import type { CopysetRecord } from "../../../impl/mds/topology/topology-records.js";
import { eventually } from "../../support/eventually.js";
import {
  BACKENDS,
  onlinePool,
  openHarness,
  reasonOf,
  type TestServer,
  type TopologyHarness,
} from "../topology/topology-harness.js";

async function stateOf(h: TopologyHarness, server: TestServer): Promise<ServerState> {
  return (await h.deps.store.term()).liveness("metaserver", server.record.id).state;
}

/** A report of `copyset` as `from` sees it, leader `leader`. */
function report(
  copyset: CopysetRecord,
  servers: readonly TestServer[],
  leader: TestServer | undefined,
  extra: Partial<CopysetReport> = {},
): CopysetReport {
  return {
    poolId: copyset.poolId,
    copysetId: copyset.copysetId,
    peers: servers.filter((s) => copyset.members.includes(s.record.id)).map((s) => s.peer()),
    epoch: copyset.epoch,
    leader: leader?.peer(),
    term: 1n,
    loading: false,
    ...extra,
  };
}

function purges(commands: readonly CopysetCommand[]) {
  return commands
    .filter((c) => c.action.case === "purge")
    .map((c) => ({ copysetId: c.copysetId, epoch: c.epoch }));
}

describe.each(BACKENDS)("heartbeats on %s", (backend) => {
  let h: TopologyHarness;

  beforeEach(async () => {
    h = await openHarness(backend);
  });

  afterEach(async () => {
    await h.close();
  });

  /** A pool of `zones` zones, one ONLINE metaserver each, and one copyset on zones 1–3. */
  async function withCopyset(zones = 3) {
    const pool = await onlinePool(h, { zones });
    h.fs.add(1);
    const [partition] = await createPartitionsForFs(h.deps, 1, 1);
    const copyset = (await getCopysets(h.deps, pool.poolId, [partition?.copysetId ?? 0])).found[0];
    if (!copyset || !partition) throw new Error("no copyset");
    const members = pool.servers.filter((s) => copyset.members.includes(s.record.id));
    const others = pool.servers.filter((s) => !copyset.members.includes(s.record.id));
    return { ...pool, copyset, partition, members, others };
  }

  describe("identity", () => {
    it("an unknown id or another token is SERVER_TOKEN_MISMATCH; another address SERVER_ADDRESS_MISMATCH", async () => {
      const { servers } = await onlinePool(h);
      const server = servers[0]?.record;
      if (!server) throw new Error("no server");
      const base = { kind: "metaserver" as const, startTime: undefined, copysets: [] };
      expect(
        await reasonOf(
          handleHeartbeat(h.deps, {
            ...base,
            id: 999,
            token: server.token,
            address: server.address,
          }),
        ),
      ).toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
      expect(
        await reasonOf(
          handleHeartbeat(h.deps, {
            ...base,
            id: server.id,
            token: "other",
            address: server.address,
          }),
        ),
      ).toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
      expect(
        await reasonOf(
          handleHeartbeat(h.deps, {
            ...base,
            id: server.id,
            token: server.token,
            address: "10.0.0.9:1",
          }),
        ),
      ).toBe(ErrorReason.SERVER_ADDRESS_MISMATCH);
      // A metaserver id is not a chunkserver id.
      expect(
        await reasonOf(
          handleHeartbeat(h.deps, {
            ...base,
            kind: "chunkserver",
            id: server.id,
            token: server.token,
            address: server.address,
          }),
        ),
      ).toBe(ErrorReason.SERVER_TOKEN_MISMATCH);
    });
  });

  describe("liveness", () => {
    it("UNSTABLE until the first heartbeat, ONLINE with it, UNSTABLE after 30 s, OFFLINE after 1800 s", async () => {
      const { servers } = await onlinePool(h, { zones: 3 });
      const [a, b] = servers;
      if (!a || !b) throw new Error("no servers");
      expect(await stateOf(h, a)).toBe(ServerState.ONLINE);
      const task = startServerLivenessTask(h.deps);
      await h.clock.advance(h.ctx.config.serverUnstableAfterMs - 1000);
      await b.heartbeat();
      await h.clock.advance(h.ctx.config.livenessScanIntervalMs + 1000);
      await task.idle();
      expect(await stateOf(h, a)).toBe(ServerState.UNSTABLE);
      expect(await stateOf(h, b)).toBe(ServerState.ONLINE);
      await h.clock.advance(h.ctx.config.serverOfflineAfterMs);
      await task.idle();
      expect(await stateOf(h, a)).toBe(ServerState.OFFLINE);
      await a.heartbeat();
      expect(await stateOf(h, a)).toBe(ServerState.ONLINE);
    });

    it("a new leader starts every server UNSTABLE, timed from its own start", async () => {
      const { servers } = await onlinePool(h);
      const a = servers[0];
      if (!a) throw new Error("no server");
      const newLeader = createTopologyDeps(h.ctx, {
        metaServers: h.meta,
        chunkServers: h.chunk,
        metaServerNodes: h.metaNodes,
        fs: h.fs,
      });
      const term = await newLeader.store.term();
      expect(term.liveness("metaserver", a.record.id).state).toBe(ServerState.UNSTABLE);
      await h.clock.advance(h.ctx.config.serverOfflineAfterMs + 1);
      await judgeServers(newLeader);
      expect(term.liveness("metaserver", a.record.id).state).toBe(ServerState.OFFLINE);
    });

    it("records the reported start time, space and leader count", async () => {
      const { copyset, members, servers } = await withCopyset();
      const leader = members[0];
      if (!leader) throw new Error("no leader");
      await leader.heartbeat([report(copyset, servers, leader)]);
      const live = (await h.deps.store.term()).liveness("metaserver", leader.record.id);
      expect(live.leaderCount).toBe(1);
      expect(live.space?.diskThresholdBytes).toBeGreaterThan(0n);
      expect(live.startTime).toBeDefined();
      expect(live.lastHeartbeatWallMs).toBeGreaterThan(0);
    });
  });

  describe("chunkservers", () => {
    it("a report with disk_error keeps the server from new copysets until a report without it", async () => {
      const { servers, poolId } = await onlinePool(h, {
        kind: "chunkserver",
        initialCopysetCount: 2,
      });
      const sick = servers[0]?.record;
      if (!sick) throw new Error("setup");
      const send = (diskError: string | undefined) =>
        handleHeartbeat(h.deps, {
          kind: "chunkserver",
          id: sick.id,
          token: sick.token,
          address: sick.address,
          startTime: undefined,
          capacityBytes: 1n << 41n,
          usedBytes: 5n,
          diskError,
          chunkCount: 3n,
          copysets: [],
        });
      await send("EIO on /data");
      await maintainCopysets(h.deps);
      expect((await h.deps.store.term()).view.copysetsOfPool(poolId)).toHaveLength(0);
      const { term, page } = await listServers(
        h.deps,
        "chunkserver",
        {},
        { pageSize: 0, pageToken: "" },
      );
      const listed = chunkServerMessage(term, page.items[0]?.server ?? sick, 0);
      expect(listed).toMatchObject({
        diskError: "EIO on /data",
        capacityBytes: 1n << 41n,
        usedBytes: 5n,
        chunkCount: 3n,
      });
      await send(undefined);
      await maintainCopysets(h.deps);
      expect((await h.deps.store.term()).view.copysetsOfPool(poolId)).toHaveLength(2);
    });
  });

  describe("copyset reports", () => {
    it("a copyset the MDS does not know is purged with epoch 0", async () => {
      const { servers } = await onlinePool(h);
      const commands = await servers[0]?.heartbeat([
        { poolId: 1, copysetId: 4242, peers: [], epoch: 3n, term: 1n, loading: false },
      ]);
      expect(purges(commands ?? [])).toEqual([{ copysetId: 4242, epoch: 0n }]);
    });

    it("a non-member with an older epoch is purged with the recorded epoch", async () => {
      const { copyset, members, others, servers } = await withCopyset(4);
      const [leader, m2, m3] = members;
      const outsider = others[0];
      if (!leader || !m2 || !m3 || !outsider) throw new Error("setup");
      // The leader reports the configuration at epoch 1 without m3.
      const next = {
        ...copyset,
        members: [leader.record.id, m2.record.id, outsider.record.id].sort((a, b) => a - b),
      };
      await leader.heartbeat([report(next, servers, leader, { epoch: 1n })]);
      const commands = await m3.heartbeat([report(copyset, servers, leader, { epoch: 0n })]);
      expect(purges(commands)).toEqual([{ copysetId: copyset.copysetId, epoch: 1n }]);
      // A current member with an older epoch is not purged (it is catching up).
      expect(purges(await m2.heartbeat([report(copyset, servers, leader, { epoch: 0n })]))).toEqual(
        [],
      );
    });

    it("the leader's report records members, epoch, leader and term; a follower's only a higher term's leader", async () => {
      const { copyset, members, servers } = await withCopyset();
      const [m1, m2] = members;
      if (!m1 || !m2) throw new Error("setup");
      await m1.heartbeat([report(copyset, servers, m1, { term: 5n })]);
      let recorded = (await getCopysets(h.deps, copyset.poolId, [copyset.copysetId])).found[0];
      expect({ leader: recorded?.leader, term: recorded?.term }).toEqual({
        leader: m1.record.id,
        term: 5n,
      });
      // A follower naming an older term's leader changes nothing.
      await m2.heartbeat([report(copyset, servers, m2, { term: 4n, loading: true })]);
      recorded = (await getCopysets(h.deps, copyset.poolId, [copyset.copysetId])).found[0];
      expect(recorded?.leader).toBe(m1.record.id);
      // A follower naming a newer term's leader moves it.
      await m2.heartbeat([report(copyset, servers, m1, { term: 6n, loading: true })]);
      recorded = (await getCopysets(h.deps, copyset.poolId, [copyset.copysetId])).found[0];
      expect(recorded?.term).toBe(6n);
    });

    it("the leader's partition report: READ_WRITE → READ_ONLY, counters taken, never back", async () => {
      const { copyset, members, servers, partition } = await withCopyset();
      const leader = members[0];
      if (!leader) throw new Error("setup");
      const reportWith = (status: PartitionStatus, nextId: bigint) =>
        report(copyset, servers, leader, {
          partitions: [{ ...partition, status, nextId, inodeCount: 9n, dentryCount: 8n }],
        });
      await leader.heartbeat([reportWith(PartitionStatus.READ_ONLY, partition.end + 1n)]);
      await leader.heartbeat([reportWith(PartitionStatus.READ_WRITE, 5n)]);
      const { page } = await listPartitions(h.deps, 1, { pageSize: 0, pageToken: "" });
      expect(page.items[0]?.partition).toMatchObject({
        status: PartitionStatus.READ_ONLY,
        nextId: 5n,
        inodeCount: 9n,
        dentryCount: 8n,
      });
    });

    it("a DELETING partition the leader no longer reports is removed from the topology", async () => {
      const { copyset, members, servers, partition } = await withCopyset();
      const leader = members[0];
      if (!leader) throw new Error("setup");
      const port = fsPartitionsOf(h.deps);
      await port.markDeleting(partition);
      // Still reported: kept.
      await leader.heartbeat([report(copyset, servers, leader, { partitions: [partition] })]);
      expect(await port.list(1)).toHaveLength(1);
      // A loading replica's report says nothing about partitions.
      await leader.heartbeat([report(copyset, servers, leader, { partitions: [], loading: true })]);
      expect(await port.list(1)).toHaveLength(1);
      await leader.heartbeat([report(copyset, servers, leader, { partitions: [] })]);
      expect(await port.list(1)).toHaveLength(0);
    });
  });

  describe("repair", () => {
    /** Makes `down` OFFLINE while the other servers keep heartbeating. */
    async function goOffline(all: readonly TestServer[], down: TestServer): Promise<void> {
      const step = h.ctx.config.serverUnstableAfterMs / 2;
      for (let t = 0; t <= h.ctx.config.serverOfflineAfterMs; t += step) {
        await h.clock.advance(step);
        for (const s of all) if (s !== down) await s.heartbeat();
      }
      await judgeServers(h.deps);
      expect(await stateOf(h, down)).toBe(ServerState.OFFLINE);
    }

    it("a copyset whose member went OFFLINE gets a CHANGE_PEER to a server in an unused zone", async () => {
      const { copyset, members, others, servers } = await withCopyset(4);
      const [leader, , down] = members;
      const spare = others[0];
      if (!leader || !down || !spare) throw new Error("setup");
      await goOffline(servers, down);
      // First the server it adds gets an empty replica; the change is sent once it has one.
      h.metaNodes.failEmpty = 1;
      expect(await leader.heartbeat([report(copyset, servers, leader)])).toEqual([]);
      await eventually(() => (h.metaNodes.failEmpty === 0 ? true : undefined));
      expect(await leader.heartbeat([report(copyset, servers, leader)])).toEqual([]);
      const ref = `${copyset.poolId}/${copyset.copysetId}`;
      await eventually(() =>
        h.metaNodes.emptyNodes.includes(`${spare.record.address} ${ref}`) ? true : undefined,
      );
      await eventually(async () => {
        const changes = (await h.deps.store.term()).copysetChanges.get(ref);
        return changes?.issued?.ready ? true : undefined;
      });
      const commands = await leader.heartbeat([report(copyset, servers, leader)]);
      expect(commands).toHaveLength(1);
      const command = commands[0];
      expect(command?.epoch).toBe(copyset.epoch);
      expect(command?.action.case).toBe("change");
      const change = command?.action.case === "change" ? command.action.value : undefined;
      expect(change?.type).toBe(ConfigChangeType.CHANGE_PEER);
      expect(change?.peer?.id).toBe(spare.record.id);
      expect(change?.oldPeer?.id).toBe(down.record.id);
      // Not carried out yet: issued again, unchanged; and it shows as pending.
      const again = await leader.heartbeat([report(copyset, servers, leader)]);
      expect(again).toEqual(commands);
      const pending = (await getCopysets(h.deps, copyset.poolId, [copyset.copysetId])).term;
      expect(
        pending.copysetChanges.get(`${copyset.poolId}/${copyset.copysetId}`)?.issued,
      ).toBeDefined();
      // Commands go only to the leader.
      const follower = members[1];
      expect(await follower?.heartbeat([report(copyset, servers, leader)])).toEqual([]);
      // In flight (reported by the leader): no command.
      const inFlight = report(copyset, servers, leader, { pendingChange: change });
      expect(await leader.heartbeat([inFlight])).toEqual([]);
      // Done: epoch + 1 with the new member; nothing more to do.
      const repaired = {
        ...copyset,
        members: copyset.members
          .map((m) => (m === down.record.id ? spare.record.id : m))
          .sort((a, b) => a - b),
      };
      expect(
        await leader.heartbeat([report(repaired, servers, leader, { epoch: copyset.epoch + 1n })]),
      ).toEqual([]);
      const recorded = (await getCopysets(h.deps, copyset.poolId, [copyset.copysetId])).found[0];
      expect(recorded?.members).toEqual(repaired.members);
      expect(recorded?.epoch).toBe(copyset.epoch + 1n);
    });

    it("no change is issued when no ONLINE server is in a zone the copyset does not use", async () => {
      const { copyset, members, servers } = await withCopyset(3);
      const [leader, , down] = members;
      if (!leader || !down) throw new Error("setup");
      await goOffline(servers, down);
      expect(await leader.heartbeat([report(copyset, servers, leader)])).toEqual([]);
    });

    it("no change is issued when repair is switched off", async () => {
      await h.close();
      h = await openHarness(backend, { repairOfflineServers: false });
      const { copyset, members, servers } = await withCopyset(4);
      const [leader, , down] = members;
      if (!leader || !down) throw new Error("setup");
      await goOffline(servers, down);
      expect(await leader.heartbeat([report(copyset, servers, leader)])).toEqual([]);
    });

    it("a stale-epoch or loading report from the leader gets no change", async () => {
      const { copyset, members, servers } = await withCopyset(4);
      const [leader, , down] = members;
      if (!leader || !down) throw new Error("setup");
      await goOffline(servers, down);
      expect(await leader.heartbeat([report(copyset, servers, leader, { loading: true })])).toEqual(
        [],
      );
      const moved = { ...copyset };
      await leader.heartbeat([
        report(moved, servers, leader, {
          epoch: 2n,
          pendingChange: create(ConfigChangeSchema, {
            type: ConfigChangeType.TRANSFER_LEADER,
            peer: leader.peer(),
          }),
        }),
      ]);
      expect(await leader.heartbeat([report(copyset, servers, leader, { epoch: 1n })])).toEqual([]);
    });
  });
});

/** Register, list and delete metaservers and chunkservers. */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import {
  PoolType,
  ServerState,
  TopologyService,
} from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  fakeAddress,
  MIB,
  poolWithZone,
  registeredChunkServer,
  registeredMetaServer,
  UNKNOWN_ID,
} from "../fixtures.js";

const m = TopologyService.method;
const tokenMismatch = { code: Code.PermissionDenied, reason: ErrorReason.SERVER_TOKEN_MISMATCH };
const addressInUse = { code: Code.AlreadyExists, reason: ErrorReason.SERVER_ADDRESS_IN_USE };
const poolNotFound = { code: Code.NotFound, reason: ErrorReason.POOL_NOT_FOUND };
const serverInUse = { code: Code.FailedPrecondition, reason: ErrorReason.SERVER_IN_USE };
const BOGUS_TOKEN =
  "`invalid_argument` ERROR_REASON_INVALID_ARGUMENT: `page_token` was not returned by this RPC.";
const CAPACITY = BigInt(1024 * MIB);

export const serverCases: ConformanceCase[] = [
  steps({
    id: "topology.register_metaserver.retry_without_token_same_identity",
    method: m.registerMetaServer,
    spec: "one, and no `token`: OK with the same id and token if that registration hosts no copyset (a retry of a first registration whose reply was lost …)",
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      check(server.id >= 1, "metaserver_id below 1");
      check(/^[a-z0-9]{16,}$/.test(server.token), `token ${JSON.stringify(server.token)}`);
      const again = await ctx.topology.registerMetaServer({
        address: server.address,
        hostname: "conformance",
        poolName: server.poolName,
        zoneName: server.zoneName,
      });
      check(again.metaserverId === server.id && again.token === server.token, "a new identity");
    },
  }),
  steps({
    id: "topology.register_metaserver.restart_with_token_ok",
    method: m.registerMetaServer,
    spec: "one, and the same `token`: OK with the same id and token (a restart). `hostname` is updated.",
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      const again = await ctx.topology.registerMetaServer({
        address: server.address,
        hostname: "renamed-host",
        poolName: server.poolName,
        zoneName: server.zoneName,
        token: server.token,
      });
      check(again.metaserverId === server.id, "a restart got another id");
      check(again.heartbeatIntervalMs > 0, "heartbeat_interval_ms is 0");
    },
  }),
  steps({
    id: "topology.register_metaserver.token_mismatch",
    method: m.registerMetaServer,
    spec: "one, and another `token`: `permission_denied` ERROR_REASON_SERVER_TOKEN_MISMATCH.",
    reasons: [ErrorReason.SERVER_TOKEN_MISMATCH],
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      await expectError(
        ctx.topology.registerMetaServer({
          address: server.address,
          hostname: "conformance",
          poolName: server.poolName,
          zoneName: server.zoneName,
          token: "wrongtoken0000000000",
        }),
        tokenMismatch,
      );
    },
  }),
  steps({
    id: "topology.register_metaserver.unknown_with_token",
    method: m.registerMetaServer,
    spec: "none, but a `token`: `not_found` ERROR_REASON_METASERVER_NOT_FOUND.",
    reasons: [ErrorReason.METASERVER_NOT_FOUND],
    run: async (ctx) => {
      const { poolName, zoneName } = await poolWithZone(ctx);
      await expectError(
        ctx.topology.registerMetaServer({
          address: fakeAddress(ctx),
          hostname: "conformance",
          poolName,
          zoneName,
          token: "sometoken000000000",
        }),
        { code: Code.NotFound, reason: ErrorReason.METASERVER_NOT_FOUND },
      );
    },
  }),
  steps({
    id: "topology.register_metaserver.other_zone_address_in_use",
    method: m.registerMetaServer,
    spec: "Whenever an existing registration is returned, `pool_name` and `zone_name` must name its zone, else `already_exists` ERROR_REASON_SERVER_ADDRESS_IN_USE",
    reasons: [ErrorReason.SERVER_ADDRESS_IN_USE],
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      const other = await ctx.topology.createZone({
        poolName: server.poolName,
        name: ctx.unique("zone"),
      });
      await expectError(
        ctx.topology.registerMetaServer({
          address: server.address,
          hostname: "conformance",
          poolName: server.poolName,
          zoneName: other.zone?.name ?? "",
          token: server.token,
        }),
        addressInUse,
      );
    },
  }),
  steps({
    id: "topology.register_metaserver.chunkserver_address_in_use",
    method: m.registerMetaServer,
    spec: "`already_exists` ERROR_REASON_SERVER_ADDRESS_IN_USE: see the decision table, or a chunkserver is registered at `address`.",
    reasons: [ErrorReason.SERVER_ADDRESS_IN_USE],
    run: async (ctx) => {
      const chunkserver = await registeredChunkServer(ctx);
      const { poolName, zoneName } = await poolWithZone(ctx, PoolType.METASERVER);
      await expectError(
        ctx.topology.registerMetaServer({
          address: chunkserver.address,
          hostname: "conformance",
          poolName,
          zoneName,
        }),
        addressInUse,
      );
    },
  }),
  rejects({
    id: "topology.register_metaserver.unknown_pool",
    method: m.registerMetaServer,
    spec: "`not_found` ERROR_REASON_POOL_NOT_FOUND: no METASERVER pool has this name.",
    request: (ctx) => ({
      address: fakeAddress(ctx),
      hostname: "conformance",
      poolName: ctx.unique("nopool"),
      zoneName: "zone-a",
    }),
    expect: poolNotFound,
  }),
  steps({
    id: "topology.register_metaserver.chunkserver_pool_not_found",
    method: m.registerMetaServer,
    spec: "`not_found` ERROR_REASON_POOL_NOT_FOUND: no METASERVER pool has this name.",
    reasons: [ErrorReason.POOL_NOT_FOUND],
    run: async (ctx) => {
      const { poolName, zoneName } = await poolWithZone(ctx, PoolType.CHUNKSERVER);
      await expectError(
        ctx.topology.registerMetaServer({
          address: fakeAddress(ctx),
          hostname: "conformance",
          poolName,
          zoneName,
        }),
        poolNotFound,
      );
    },
  }),
  steps({
    id: "topology.register_metaserver.unknown_zone",
    method: m.registerMetaServer,
    spec: "`not_found` ERROR_REASON_ZONE_NOT_FOUND: the pool has no zone with this name.",
    reasons: [ErrorReason.ZONE_NOT_FOUND],
    run: async (ctx) => {
      const { poolName } = await poolWithZone(ctx);
      await expectError(
        ctx.topology.registerMetaServer({
          address: fakeAddress(ctx),
          hostname: "conformance",
          poolName,
          zoneName: ctx.unique("nozone"),
        }),
        { code: Code.NotFound, reason: ErrorReason.ZONE_NOT_FOUND },
      );
    },
  }),
  rejects({
    id: "topology.register_metaserver.address_not_host_port",
    method: m.registerMetaServer,
    spec: 'The metaserver\'s advertised "host:port"',
    request: (ctx) => ({
      address: "no-port-here",
      hostname: "conformance",
      poolName: ctx.unique("pool"),
      zoneName: "zone-a",
    }),
    expect: invalidArgument("address"),
  }),
  rejects({
    id: "topology.register_metaserver.hostname_empty",
    method: m.registerMetaServer,
    spec: "The host name of the machine, 1 to 255 bytes (informational).",
    request: (ctx) => ({
      address: fakeAddress(ctx),
      hostname: "",
      poolName: ctx.unique("pool"),
      zoneName: "zone-a",
    }),
    expect: invalidArgument("hostname"),
  }),
  steps({
    id: "topology.list_metaservers.lists_registered_without_token",
    method: m.listMetaServers,
    spec: "Lists metaservers in ascending order of id, optionally filtered. Paged. Tokens are never returned. … a newly registered server is UNSTABLE until its first accepted heartbeat",
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      const reply = await ctx.topology.listMetaServers({ poolId: server.poolId });
      check(reply.metaservers.length === 1, `the pool lists ${reply.metaservers.length} servers`);
      const listed = reply.metaservers[0];
      check(listed?.metaserverId === server.id, "another metaserver is listed");
      check(listed.address === server.address, `address ${listed.address}`);
      check(listed.state === ServerState.UNSTABLE, `state ${ServerState[listed.state]}`);
      check(!JSON.stringify(listed).includes(server.token), "the token is returned");
    },
  }),
  rejects({
    id: "topology.list_metaservers.bogus_page_token",
    method: m.listMetaServers,
    spec: BOGUS_TOKEN,
    request: { pageToken: "not-a-token-of-this-rpc" },
    expect: invalidArgument(),
  }),
  rejects({
    id: "topology.list_metaservers.state_unspecified",
    method: m.listMetaServers,
    spec: "When present, only metaservers in this state.",
    request: { state: ServerState.UNSPECIFIED },
    expect: invalidArgument("state"),
  }),
  rejects({
    id: "topology.delete_metaserver.unknown",
    method: m.deleteMetaServer,
    spec: "`not_found` ERROR_REASON_METASERVER_NOT_FOUND: no metaserver has this id.",
    request: { metaserverId: UNKNOWN_ID },
    expect: { code: Code.NotFound, reason: ErrorReason.METASERVER_NOT_FOUND },
  }),
  rejects({
    id: "topology.delete_metaserver.zero_id",
    method: m.deleteMetaServer,
    spec: "The metaserver. Greater than 0.",
    request: { metaserverId: 0 },
    expect: invalidArgument("metaserver_id"),
  }),
  steps({
    id: "topology.delete_metaserver.not_offline_in_use",
    method: m.deleteMetaServer,
    spec: "`failed_precondition` ERROR_REASON_SERVER_IN_USE: it is not OFFLINE, or still hosts a copyset.",
    reasons: [ErrorReason.SERVER_IN_USE],
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      await expectError(ctx.topology.deleteMetaServer({ metaserverId: server.id }), serverInUse);
    },
  }),
  steps({
    id: "topology.register_chunkserver.retry_without_token_same_identity",
    method: m.registerChunkServer,
    spec: "Registers a chunkserver; the same contract as RegisterMetaServer … a retry after a lost reply returns the same id and token.",
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      const again = await ctx.topology.registerChunkServer({
        address: server.address,
        hostname: "conformance",
        poolName: server.poolName,
        zoneName: server.zoneName,
        capacityBytes: CAPACITY,
      });
      check(again.chunkserverId === server.id && again.token === server.token, "a new identity");
    },
  }),
  steps({
    id: "topology.register_chunkserver.token_mismatch",
    method: m.registerChunkServer,
    spec: "`permission_denied` ERROR_REASON_SERVER_TOKEN_MISMATCH: as RegisterMetaServer.",
    reasons: [ErrorReason.SERVER_TOKEN_MISMATCH],
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      await expectError(
        ctx.topology.registerChunkServer({
          address: server.address,
          hostname: "conformance",
          poolName: server.poolName,
          zoneName: server.zoneName,
          token: "wrongtoken0000000000",
          capacityBytes: CAPACITY,
        }),
        tokenMismatch,
      );
    },
  }),
  steps({
    id: "topology.register_chunkserver.unknown_with_token",
    method: m.registerChunkServer,
    spec: "`not_found` ERROR_REASON_CHUNKSERVER_NOT_FOUND: a `token` was given but no chunkserver is registered at `address`.",
    reasons: [ErrorReason.CHUNKSERVER_NOT_FOUND],
    run: async (ctx) => {
      const { poolName, zoneName } = await poolWithZone(ctx, PoolType.CHUNKSERVER);
      await expectError(
        ctx.topology.registerChunkServer({
          address: fakeAddress(ctx),
          hostname: "conformance",
          poolName,
          zoneName,
          token: "sometoken000000000",
          capacityBytes: CAPACITY,
        }),
        { code: Code.NotFound, reason: ErrorReason.CHUNKSERVER_NOT_FOUND },
      );
    },
  }),
  steps({
    id: "topology.register_chunkserver.metaserver_pool_not_found",
    method: m.registerChunkServer,
    spec: "`not_found` ERROR_REASON_POOL_NOT_FOUND: no CHUNKSERVER pool has this name.",
    reasons: [ErrorReason.POOL_NOT_FOUND],
    run: async (ctx) => {
      const { poolName, zoneName } = await poolWithZone(ctx, PoolType.METASERVER);
      await expectError(
        ctx.topology.registerChunkServer({
          address: fakeAddress(ctx),
          hostname: "conformance",
          poolName,
          zoneName,
          capacityBytes: CAPACITY,
        }),
        poolNotFound,
      );
    },
  }),
  rejects({
    id: "topology.register_chunkserver.capacity_zero",
    method: m.registerChunkServer,
    spec: "The bytes its disk offers for chunks. Greater than 0.",
    request: (ctx) => ({
      address: fakeAddress(ctx),
      hostname: "conformance",
      poolName: ctx.unique("pool"),
      zoneName: "zone-a",
      capacityBytes: 0n,
    }),
    expect: invalidArgument("capacity_bytes"),
  }),
  steps({
    id: "topology.list_chunkservers.lists_registered",
    method: m.listChunkServers,
    spec: "Lists chunkservers in ascending order of id, optionally filtered. Paged. Tokens are never returned.",
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      const reply = await ctx.topology.listChunkServers({ zoneId: server.zoneId });
      const listed = reply.chunkservers[0];
      check(reply.chunkservers.length === 1, `the zone lists ${reply.chunkservers.length}`);
      check(listed?.chunkserverId === server.id, "another chunkserver is listed");
      check(listed.capacityBytes === CAPACITY, `capacity_bytes ${listed.capacityBytes}`);
    },
  }),
  rejects({
    id: "topology.list_chunkservers.bogus_page_token",
    method: m.listChunkServers,
    spec: BOGUS_TOKEN,
    request: { pageToken: "not-a-token-of-this-rpc" },
    expect: invalidArgument(),
  }),
  rejects({
    id: "topology.delete_chunkserver.unknown",
    method: m.deleteChunkServer,
    spec: "`not_found` ERROR_REASON_CHUNKSERVER_NOT_FOUND: no chunkserver has this id.",
    request: { chunkserverId: UNKNOWN_ID },
    expect: { code: Code.NotFound, reason: ErrorReason.CHUNKSERVER_NOT_FOUND },
  }),
  steps({
    id: "topology.delete_chunkserver.not_offline_in_use",
    method: m.deleteChunkServer,
    spec: "`failed_precondition` ERROR_REASON_SERVER_IN_USE: it is not OFFLINE, or still hosts a copyset.",
    reasons: [ErrorReason.SERVER_IN_USE],
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      await expectError(ctx.topology.deleteChunkServer({ chunkserverId: server.id }), serverInUse);
    },
  }),
];

import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { HeartbeatService } from "../../../impl/gen/curve/mds/v1/heartbeat_pb.js";
import { ServerState } from "../../../impl/gen/curve/mds/v1/topology_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import {
  fakeAddress,
  metaServerHeartbeat,
  noRoom,
  registeredChunkServer,
  registeredMetaServer,
  UNKNOWN_ID,
} from "../fixtures.js";

const m = HeartbeatService.method;
const tokenMismatch = { code: Code.PermissionDenied, reason: ErrorReason.SERVER_TOKEN_MISMATCH };
const addressMismatch = {
  code: Code.PermissionDenied,
  reason: ErrorReason.SERVER_ADDRESS_MISMATCH,
};

/** A chunkserver heartbeat that keeps the fake server out of placement (a disk error). */
function chunkServerHeartbeat(server: { id: number; token: string; address: string }) {
  return {
    chunkserverId: server.id,
    token: server.token,
    address: server.address,
    startTime: timestampFromMs(Date.now()),
    diskError: "conformance: not a real disk",
  };
}

export const heartbeatCases: ConformanceCase[] = [
  steps({
    id: "heartbeat.metaserver_heartbeat.accepted_makes_online",
    method: m.metaServerHeartbeat,
    spec: "What the MDS does with an accepted heartbeat, in order: 1. The server becomes ONLINE",
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      const reply = await ctx.heartbeat.metaServerHeartbeat(metaServerHeartbeat(server));
      check(reply.heartbeatIntervalMs > 0, "heartbeat_interval_ms is 0");
      const { metaservers } = await ctx.topology.listMetaServers({ poolId: server.poolId });
      const state = metaservers[0]?.state ?? ServerState.UNSPECIFIED;
      check(state === ServerState.ONLINE, `state ${ServerState[state]} after a heartbeat`);
    },
  }),
  rejects({
    id: "heartbeat.metaserver_heartbeat.unknown_id",
    method: m.metaServerHeartbeat,
    spec: "`permission_denied` ERROR_REASON_SERVER_TOKEN_MISMATCH: no metaserver has this id, or its token differs.",
    request: (ctx) =>
      metaServerHeartbeat({
        id: UNKNOWN_ID,
        token: "sometoken000000000",
        address: fakeAddress(ctx),
      }),
    expect: tokenMismatch,
  }),
  steps({
    id: "heartbeat.metaserver_heartbeat.token_mismatch",
    method: m.metaServerHeartbeat,
    spec: "`permission_denied` ERROR_REASON_SERVER_TOKEN_MISMATCH: no metaserver has this id, or its token differs.",
    reasons: [ErrorReason.SERVER_TOKEN_MISMATCH],
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      await expectError(
        ctx.heartbeat.metaServerHeartbeat(
          metaServerHeartbeat({ ...server, token: "wrongtoken0000000000" }),
        ),
        tokenMismatch,
      );
    },
  }),
  steps({
    id: "heartbeat.metaserver_heartbeat.address_mismatch",
    method: m.metaServerHeartbeat,
    spec: "`permission_denied` ERROR_REASON_SERVER_ADDRESS_MISMATCH: the id is registered at another address.",
    reasons: [ErrorReason.SERVER_ADDRESS_MISMATCH],
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      await expectError(
        ctx.heartbeat.metaServerHeartbeat(
          metaServerHeartbeat({ ...server, address: fakeAddress(ctx) }),
        ),
        addressMismatch,
      );
    },
  }),
  rejects({
    id: "heartbeat.metaserver_heartbeat.start_time_missing",
    method: m.metaServerHeartbeat,
    spec: "When the metaserver process started (its own clock). Required.",
    request: (ctx) => ({
      metaserverId: UNKNOWN_ID,
      token: "sometoken000000000",
      address: fakeAddress(ctx),
      space: noRoom,
    }),
    expect: invalidArgument("start_time"),
  }),
  rejects({
    id: "heartbeat.metaserver_heartbeat.space_missing",
    method: m.metaServerHeartbeat,
    spec: "The server's space. Required.",
    request: (ctx) => ({
      metaserverId: UNKNOWN_ID,
      token: "sometoken000000000",
      address: fakeAddress(ctx),
      startTime: timestampFromMs(Date.now()),
    }),
    expect: invalidArgument("space"),
  }),
  rejects({
    id: "heartbeat.metaserver_heartbeat.token_empty",
    method: m.metaServerHeartbeat,
    spec: "The token from registration, 1 to 128 bytes.",
    request: (ctx) => metaServerHeartbeat({ id: UNKNOWN_ID, token: "", address: fakeAddress(ctx) }),
    expect: invalidArgument("token"),
  }),
  steps({
    id: "heartbeat.metaserver_heartbeat.unknown_copyset_purged",
    method: m.metaServerHeartbeat,
    spec: "The MDS has no record of the copyset in that pool: it answers a purge with epoch 0.",
    run: async (ctx) => {
      const server = await registeredMetaServer(ctx);
      const reply = await ctx.heartbeat.metaServerHeartbeat(
        metaServerHeartbeat(server, [
          {
            poolId: server.poolId,
            copysetId: UNKNOWN_ID,
            peers: [{ id: server.id, address: server.address }],
            epoch: 3n,
          },
        ]),
      );
      const command = reply.commands.find((c) => c.copysetId === UNKNOWN_ID);
      check(command?.action.case === "purge", "no purge for an unknown copyset");
      check(command.epoch === 0n, `purge epoch ${command.epoch}, expected 0`);
    },
  }),
  steps({
    id: "heartbeat.chunkserver_heartbeat.accepted",
    method: m.chunkServerHeartbeat,
    spec: "Reports a chunkserver's state, space and copysets; returns commands for its copysets.",
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      const reply = await ctx.heartbeat.chunkServerHeartbeat(chunkServerHeartbeat(server));
      check(reply.heartbeatIntervalMs > 0, "heartbeat_interval_ms is 0");
    },
  }),
  rejects({
    id: "heartbeat.chunkserver_heartbeat.unknown_id",
    method: m.chunkServerHeartbeat,
    spec: "`permission_denied` ERROR_REASON_SERVER_TOKEN_MISMATCH: no chunkserver has this id, or its token differs.",
    request: (ctx) =>
      chunkServerHeartbeat({
        id: UNKNOWN_ID,
        token: "sometoken000000000",
        address: fakeAddress(ctx),
      }),
    expect: tokenMismatch,
  }),
  steps({
    id: "heartbeat.chunkserver_heartbeat.token_mismatch",
    method: m.chunkServerHeartbeat,
    spec: "`permission_denied` ERROR_REASON_SERVER_TOKEN_MISMATCH: no chunkserver has this id, or its token differs.",
    reasons: [ErrorReason.SERVER_TOKEN_MISMATCH],
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      await expectError(
        ctx.heartbeat.chunkServerHeartbeat(
          chunkServerHeartbeat({ ...server, token: "wrongtoken0000000000" }),
        ),
        tokenMismatch,
      );
    },
  }),
  steps({
    id: "heartbeat.chunkserver_heartbeat.address_mismatch",
    method: m.chunkServerHeartbeat,
    spec: "`permission_denied` ERROR_REASON_SERVER_ADDRESS_MISMATCH: the id is registered at another address.",
    reasons: [ErrorReason.SERVER_ADDRESS_MISMATCH],
    run: async (ctx) => {
      const server = await registeredChunkServer(ctx);
      await expectError(
        ctx.heartbeat.chunkServerHeartbeat(
          chunkServerHeartbeat({ ...server, address: fakeAddress(ctx) }),
        ),
        addressMismatch,
      );
    },
  }),
];

/**
 * SpaceAllocService over the wire (Connect, gRPC, gRPC-Web): its routes on a real server with a
 * sole-leader gate on the real etcd; the fs records are in-memory (the fs area is not under
 * test). Validation runs before the handler; domain errors arrive as code + ErrorInfo.
 */
import { create } from "@bufbuild/protobuf";
import { Code, createClient } from "@connectrpc/connect";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../impl/errors.js";
import { FsType, VolumeInfoSchema } from "../../impl/gen/curve/common/v1/common_pb.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FsInfoSchema, FsStatus } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { SpaceAllocService } from "../../impl/gen/curve/space/v1/space_pb.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";
import { registerSpaceRoutes } from "../../impl/space/routes.js";
import { allocateSpace, createSpaceDeps, type SpaceDeps } from "../../impl/space/space-service.js";
import { PROTOCOLS, transportFor } from "../mds/mds-cluster.js";
import {
  connectFailure as failure,
  openHarness,
  wireReason as reasonOf,
  type TopologyHarness,
} from "../mds/topology/topology-harness.js";

const MiB = 1n << 20n;
const volume = create(VolumeInfoSchema, {
  volumeName: "wire-vol",
  volumeSize: 256n * MiB,
  blockSize: 4096,
  extentGroupSize: 16n * MiB,
});

let h: TopologyHarness;
let server: RunningServer;
let deps: SpaceDeps;

beforeAll(async () => {
  h = await openHarness("etcd");
  for (let fsId = 1; fsId <= PROTOCOLS.length; fsId++) {
    h.fs.fs.set(
      fsId,
      create(FsInfoSchema, {
        fsId,
        status: FsStatus.INITED,
        fsType: FsType.VOLUME,
        detail: { case: "volumeInfo", value: volume },
      }),
    );
  }
  deps = createSpaceDeps(h.ctx, { fs: h.fs });
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    logger: pino({ level: "silent" }),
    routes: (router) => registerSpaceRoutes(router, deps),
  });
});

afterAll(async () => {
  await server.close();
  await h.close();
});

describe.each(PROTOCOLS)("SpaceAllocService over %s", (protocol) => {
  const fsId = PROTOCOLS.indexOf(protocol) + 1;
  const client = () => createClient(SpaceAllocService, transportFor(server.url, protocol));

  it("inits, allocates with a hint, frees, reports and uninits", async () => {
    const init = await client().initSpace({ fsId, volume });
    expect(init.space?.freeBytes).toBe(volume.volumeSize);
    const { extents } = await client().allocateSpace({
      fsId,
      size: 3n * MiB,
      hint: { leftOffset: 32n * MiB },
      requestId: "a-1",
    });
    expect(extents.map((e) => [e.offset, e.length])).toEqual([[32n * MiB, 3n * MiB]]);
    const replay = await client().allocateSpace({
      fsId,
      size: 3n * MiB,
      hint: { leftOffset: 32n * MiB },
      requestId: "a-1",
    });
    expect(replay.extents).toEqual(extents);
    const stat = await client().statSpace({ fsId });
    expect(stat.space).toMatchObject({ allocatedBytes: 3n * MiB, unusedExtentGroupCount: 15n });
    expect((await client().deallocateSpace({ fsId, extents })).freedBytes).toBe(3n * MiB);
    expect((await client().uninitSpace({ fsId })).discardedBytes).toBe(0n);
  });

  it("answers documented errors with their code and reason", async () => {
    const notInited = await failure(client().statSpace({ fsId }));
    expect(notInited.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(notInited)).toBe("SPACE_NOT_INITED");
    await client().initSpace({ fsId, volume });
    const noSpace = await failure(client().allocateSpace({ fsId, size: 4294967296n }));
    expect(noSpace.code).toBe(Code.ResourceExhausted);
    expect(reasonOf(noSpace)).toBe("NO_SPACE");
    const misaligned = await failure(client().allocateSpace({ fsId, size: 1000n }));
    expect(misaligned.code).toBe(Code.InvalidArgument);
    expect(reasonOf(misaligned)).toBe("EXTENT_INVALID");
    const free = await failure(
      client().deallocateSpace({ fsId, extents: [{ offset: 0n, length: 4096n }] }),
    );
    expect(reasonOf(free)).toBe("EXTENT_INVALID");
    expect(errorInfoOf(free)?.metadata.extent_index).toBe("0");
    await client().allocateSpace({ fsId, size: MiB });
    const inUse = await failure(client().uninitSpace({ fsId }));
    expect(inUse.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(inUse)).toBe("SPACE_IN_USE");
    expect((await client().uninitSpace({ fsId, force: true })).discardedBytes).toBe(MiB);
    const taken = await failure(client().initSpace({ fsId: 99, volume }));
    expect(reasonOf(taken)).toBe("FS_NOT_FOUND");
    // Validation before the handler: size 0 and a bad request_id.
    const zero = await failure(client().allocateSpace({ fsId, size: 0n }));
    expect(zero.code).toBe(Code.InvalidArgument);
    expect(reasonOf(zero)).toBe("INVALID_ARGUMENT");
    const badId = await failure(
      client().allocateSpace({ fsId, size: 4096n, requestId: "has space" }),
    );
    expect(reasonOf(badId)).toBe("INVALID_ARGUMENT");
  });
});

describe("a deposed leader", () => {
  it("answers unavailable, and its domain writes are refused by the fence", async () => {
    const fsId = 1;
    await createClient(SpaceAllocService, transportFor(server.url, "connect")).initSpace({
      fsId,
      volume,
    });
    const before = (await h.kv.range("/curve/mds/space/")).revision;
    const lease = (await h.kv.range("/curve/mds/election/")).kvs[0]?.lease;
    if (!lease) throw new Error("no leader lease");
    await h.kv.revokeLease(lease);
    const error = await failure(
      createClient(SpaceAllocService, transportFor(server.url, "connect")).allocateSpace({
        fsId,
        size: MiB,
      }),
    );
    expect(error.code).toBe(Code.Unavailable);
    // Straight to the domain, past the leader check: the fenced commit is refused.
    await expect(allocateSpace(deps, fsId, { size: MiB })).rejects.toMatchObject({
      reason: ErrorReason.NOT_LEADER,
    });
    const spaceKeys = await h.kv.range("/curve/mds/space/");
    expect(spaceKeys.kvs.every((kv) => kv.modRevision <= before)).toBe(true);
  });
});

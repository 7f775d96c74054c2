/**
 * One MDS (impl/mds/mds-server.ts) in its own process, on the run's etcd, leading alone.
 *
 * Creating a file system needs metaservers for its partitions, and there are none yet (issue 6):
 * setup uses the FAKE metaserver client of test/support and declares three metaservers in the
 * topology, exactly as test/mds/mds-cluster.ts does. The RPCs the mds suite measures —
 * AllocateS3Chunk, MountFs, RefreshSession without tx ids — never call a metaserver.
 */
import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { pino } from "pino";
import type { S3Endpoint } from "../../conformance/providers/types.js";
import { CreateFsRequestSchema } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { MdsServer } from "../../impl/mds/mds-server.js";
import { FakeMetaServerClient } from "../../test/support/fake-metaserver-client.js";
import { onlineMetaServers } from "../../test/support/online-metaservers.js";

export interface MdsStartArgs {
  readonly etcdEndpoints: readonly string[];
}

/** Sessions outlive the run: no expiry pass may write to etcd in the middle of a measurement. */
const HOUR_MS = 3_600_000;
const LEADER_WAIT_MS = 10_000;

let server: MdsServer | undefined;

export async function start(args: MdsStartArgs): Promise<{ url: string }> {
  if (server) throw new Error("the MDS is already running");
  server = await MdsServer.start({
    host: "127.0.0.1",
    port: 0,
    etcdEndpoints: args.etcdEndpoints,
    etcdNamespace: `bench/mds/${randomUUID()}/`,
    config: { sessionTtlMs: HOUR_MS, sessionScanIntervalMs: HOUR_MS, partitionsPerFs: 3 },
    logger: pino({ level: "silent" }),
    metaServers: new FakeMetaServerClient(),
  });
  await serving(server);
  await onlineMetaServers(server);
  return { url: server.url };
}

/** Creates an S3 file system on `s3` (the MDS probes the bucket) and returns its id. */
export async function createFs(args: { fsName: string; s3: S3Endpoint }): Promise<number> {
  if (!server) throw new Error("the MDS is not running");
  const { s3 } = args;
  const fs = await server.fs.createFs(
    create(CreateFsRequestSchema, {
      fsName: args.fsName,
      blockSize: 1n << 20n,
      capacity: 100n << 30n,
      owner: "bench",
      recycleTimeHours: 24,
      detail: {
        case: "s3Info",
        value: {
          endpoint: s3.endpoint,
          bucket: s3.bucket,
          accessKey: s3.accessKey,
          secretKey: s3.secretKey,
          region: s3.region,
          blockSize: 4n << 20n,
          chunkSize: 64n << 20n,
        },
      },
    }),
  );
  return fs.fsId;
}

export async function stop(): Promise<void> {
  await server?.stop();
  server = undefined;
}

async function serving(mds: MdsServer): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  while (mds.gate.state !== "serving") {
    if (Date.now() > deadline) throw new Error(`the MDS did not lead within ${LEADER_WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

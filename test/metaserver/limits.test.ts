/**
 * The metaserver's limits over the wire: a copyset with too many writes pending refuses more
 * with `resource_exhausted` ERROR_REASON_OVERLOADED and `retry_after_ms`; a request above
 * 16 MiB to MetaServerService is refused while it is read (`resource_exhausted`), while
 * RaftService on the same port still reads requests of that size.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorInfoOf } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { EntrySchema, RaftService } from "../../impl/gen/curve/raft/v1/raft_pb.js";
import { MetaserverHost } from "../../impl/metaserver/metaserver-host.js";
import { METASERVER_READ_MAX_BYTES } from "../../impl/metaserver/routes.js";
import { FS, PART, ts } from "./harness.js";
import {
  copysetClient,
  createFileInNewPartition,
  leaderOf,
  metaClient,
} from "./metaserver-cluster.js";

let host: MetaserverHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "curve-limits-"));
  host = await MetaserverHost.start({
    host: "127.0.0.1",
    port: 0,
    dataDir,
    tickMs: 25,
    writeLimits: { maxPending: 1, retryAfterMs: 40 },
  });
  // A copyset of one voter: every write is pending until its own fsync.
  await copysetClient(host).createCopysetNode({
    copysets: [{ poolId: 1, copysetId: 1, peers: [{ address: host.address }] }],
  });
  await leaderOf([host]);
  await createFileInNewPartition(metaClient(host), "a.txt");
});

afterAll(async () => {
  await host.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => ConnectError.from(error),
  );

describe("overload", () => {
  it("refuses writes beyond the pending cap with OVERLOADED and retry_after_ms", async () => {
    const client = metaClient(host);
    const calls = Array.from({ length: 20 }, (_, i) =>
      failure(
        client.createInode({
          fsId: FS,
          partitionId: PART,
          parentInodeId: 1n,
          type: FileType.REGULAR,
          mode: 0o644,
          time: ts(5000 + i),
        }),
      ),
    );
    const outcomes = await Promise.all(calls);
    const refused = outcomes.filter((e) => e !== undefined);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(outcomes.length);
    for (const error of refused) {
      expect(Code[error.code]).toBe(Code[Code.ResourceExhausted]);
      expect(ErrorReason[errorInfoOf(error)?.reason ?? 0]).toBe("OVERLOADED");
      expect(errorInfoOf(error)?.retryAfterMs).toBe(40);
    }
    // Reads are not limited, and a write after the burst is admitted.
    await client.getInode({ fsId: FS, partitionId: PART, inodeId: 1n });
    await client.updateInode({ fsId: FS, partitionId: PART, inodeId: 1n, time: ts(6000) });
  });
});

describe("message size", () => {
  it("refuses a MetaServerService request above 16 MiB while reading it", async () => {
    const error = await failure(
      metaClient(host).getDentry({
        fsId: FS,
        partitionId: PART,
        parentInodeId: 1n,
        name: "x".repeat(METASERVER_READ_MAX_BYTES + 1),
      }),
    );
    expect(Code[error?.code ?? Code.Unknown]).toBe(Code[Code.ResourceExhausted]);
    // Refused before any handler: no ErrorInfo, so not mistaken for a retryable overload.
    expect(errorInfoOf(error)).toBeUndefined();
  });

  it("reads a MetaServerService request just below 16 MiB (then judges it by its rules)", async () => {
    // 250 xattr values of 64 KiB: each value is within its limit, the total is TOO_LARGE.
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 250; i++) entries[`user.k${i}`] = new Uint8Array(65536);
    const error = await failure(
      metaClient(host).updateInode({
        fsId: FS,
        partitionId: PART,
        inodeId: 1n,
        time: ts(7000),
        xattrs: { entries },
      }),
    );
    expect(Code[error?.code ?? Code.Unknown]).toBe(Code[Code.InvalidArgument]);
    expect(ErrorReason[errorInfoOf(error)?.reason ?? 0]).toBe("TOO_LARGE");
  });

  it("RaftService on the same port still reads a 20 MiB request", async () => {
    const raft = createClient(
      RaftService,
      createConnectTransport({ baseUrl: host.url, httpVersion: "2" }),
    );
    const big = create(EntrySchema, { data: new Uint8Array(20 * 1024 * 1024) });
    // Read and decoded, then refused by its own rules (group 0 is invalid), not by size.
    const error = await failure(raft.appendEntries({ groupId: 0n, entries: [big] }));
    expect(Code[error?.code ?? Code.Unknown]).toBe(Code[Code.InvalidArgument]);
  });
});

/**
 * Scenarios across services: file data through S3 (the runner writes objects as a client does,
 * records them with chunk ids from the MDS, and reads them back through the inode's chunk
 * infos), and a metaserver leader change in the middle of a stream of writes. Both need the fs
 * in the MDS, so they use `mdsFsPartition` whatever the target's partition source.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { errorInfoOf } from "../../../impl/errors.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { FileType } from "../../../impl/gen/curve/metaserver/v1/inode_pb.js";
import { MetaServerService } from "../../../impl/gen/curve/metaserver/v1/metaserver_pb.js";
import { CliService } from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import { rangeObjects } from "../../../impl/storage/s3-object-naming.js";
import type { S3Endpoint } from "../../providers/types.js";
import type { ConformanceCase } from "../../runner/case.js";
import type { CaseContext } from "../../runner/case-context.js";
import { CaseFailure, check } from "../../runner/case-failure.js";
import { steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { urlOfAddress } from "../../runner/transport-pool.js";
import { at, createLinked, type FsPartition, mdsFsPartition, on } from "./partition-fixture.js";

const m = MetaServerService.method;
const MIB = 1024 * 1024;
const RETRY_MS = 15_000;

function s3Client(s3: S3Endpoint): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region || "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** The fs's object layout, as the MDS reports it. */
async function layoutOf(ctx: CaseContext, fsId: number) {
  const { fsInfo } = await ctx.mds.getFsInfo({ fsId });
  if (fsInfo?.detail.case !== "s3Info") throw new CaseFailure("the fs has no s3_info");
  const s3Info = fsInfo.detail.value;
  return {
    fsId,
    chunkSize: Number(s3Info.chunkSize),
    blockSize: Number(s3Info.blockSize),
    prefix: s3Info.objectPrefix,
    bucket: s3Info.bucket,
  };
}

/**
 * Runs `call` on the partition's leader, following NOT_LEADER hints and asking the other
 * members while no leader is known, as a client does during a leader change.
 */
async function onLeader<T>(
  ctx: CaseContext,
  members: readonly string[],
  current: { url: string },
  call: (meta: Client<typeof MetaServerService>) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + RETRY_MS;
  let next = 0;
  for (;;) {
    try {
      return await call(createClient(MetaServerService, ctx.transportTo(current.url)));
    } catch (thrown) {
      const error = ConnectError.from(thrown);
      if (error.code !== Code.Unavailable || Date.now() > deadline) throw error;
      const hint = errorInfoOf(error)?.leaderHint;
      current.url = hint
        ? urlOfAddress(hint)
        : urlOfAddress(members[next++ % members.length] ?? "");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function membersOf(ctx: CaseContext, p: FsPartition): Promise<string[]> {
  const cli = createClient(CliService, ctx.transportTo(p.leaderUrl));
  const { peers } = await cli.getLeader({ poolId: p.poolId, copysetId: p.copysetId });
  return peers.map((peer) => peer.address);
}

export const scenarioCases: ConformanceCase[] = [
  steps({
    id: "metaserver.get_inode.follower_answers_not_leader",
    method: m.getInode,
    spec: "Reads are linearizable and served by the leader only … Followers never serve reads. … `unavailable` ERROR_REASON_NOT_LEADER: this server is not the copyset's leader; retry at `leader_hint` when set.",
    requires: ["s3"],
    reasons: [ErrorReason.NOT_LEADER],
    run: async (ctx) => {
      const p = await mdsFsPartition(ctx);
      const leader = new URL(p.leaderUrl).host;
      const follower = (await membersOf(ctx, p)).find((address) => address !== leader);
      check(follower !== undefined, "the fs's copyset has a single member");
      const meta = createClient(MetaServerService, ctx.transportTo(urlOfAddress(follower)));
      const error = await expectError(meta.getInode({ ...on(p), inodeId: 1n }), {
        code: Code.Unavailable,
        reason: ErrorReason.NOT_LEADER,
      });
      const hint = errorInfoOf(error)?.leaderHint;
      check(hint === leader, `leader_hint "${hint}", expected ${leader}`);
    },
  }),
  steps({
    id: "metaserver.update_inode.data_round_trip_through_s3",
    method: m.updateInode,
    spec: "One flush of file data to S3: a byte range of the file written as objects of one fresh chunk id. The objects are named `<fs_id>_<inode_id>_<chunk_id>_<block_index>_<compaction>` (with the file system's object prefix scheme in front), one per block the range touches. … walk the list of that index from the newest (last) info to the oldest; every byte takes its value from the newest info covering it",
    requires: ["s3"],
    run: async (ctx) => {
      const s3 = ctx.s3;
      if (s3 === undefined) throw new CaseFailure("no bucket");
      const p = await mdsFsPartition(ctx);
      const layout = await layoutOf(ctx, p.fsId);
      const file = await createLinked(p, "data.bin");
      const client = s3Client(s3);
      try {
        // Two flushes: 96 KiB across the first block boundary, then 8 KiB over its middle.
        const flushes = [
          { offset: 4 * MIB - 48 * 1024, bytes: new Uint8Array(96 * 1024).fill(0x61) },
          { offset: 4 * MIB - 4 * 1024, bytes: new Uint8Array(8 * 1024).fill(0x62) },
        ];
        for (const flush of flushes) {
          const { beginChunkId } = await ctx.mds.allocateS3Chunk({ fsId: p.fsId, count: 1 });
          const range = {
            chunkId: beginChunkId,
            compaction: 0n,
            offset: flush.offset,
            len: flush.bytes.length,
          };
          const objects = rangeObjects(layout, file.inodeId, range);
          check(
            flush.offset !== flushes[0]?.offset || objects.length === 2,
            "the first flush does not cross a block boundary",
          );
          for (const object of objects) {
            const start = object.fileOffset - flush.offset;
            await client.send(
              new PutObjectCommand({
                Bucket: layout.bucket,
                Key: object.key,
                Body: flush.bytes.subarray(start, start + object.length),
              }),
            );
          }
          await p.meta.updateInode({
            ...on(p),
            inodeId: file.inodeId,
            time: at(10_000),
            length: BigInt(4 * MIB + 48 * 1024),
            s3ChunkInfoAppends: [
              {
                chunkIndex: BigInt(Math.floor(flush.offset / layout.chunkSize)),
                infos: [
                  {
                    chunkId: beginChunkId,
                    offset: BigInt(flush.offset),
                    len: BigInt(flush.bytes.length),
                    size: BigInt(flush.bytes.length),
                  },
                ],
              },
            ],
          });
        }
        // Read back [4 MiB - 48 KiB, 4 MiB + 48 KiB) through the chunk infos, newest first.
        const { inode } = await p.meta.getInode({ ...on(p), inodeId: file.inodeId });
        const infos = inode?.s3ChunkInfos["0"]?.infos ?? [];
        check(infos.length === 2, `chunk index 0 holds ${infos.length} infos, expected 2`);
        const base = 4 * MIB - 48 * 1024;
        const read = new Uint8Array(96 * 1024);
        const filled = new Uint8Array(read.length);
        for (const info of [...infos].reverse()) {
          const range = {
            chunkId: info.chunkId,
            compaction: info.compaction,
            offset: Number(info.offset),
            len: Number(info.len),
          };
          for (const object of rangeObjects(layout, file.inodeId, range)) {
            const got = await client.send(
              new GetObjectCommand({ Bucket: layout.bucket, Key: object.key }),
            );
            const body = await got.Body?.transformToByteArray();
            check(
              body?.length === object.length,
              `object ${object.key} holds ${body?.length} bytes, expected ${object.length}`,
            );
            for (let i = 0; i < object.length; i++) {
              const position = object.fileOffset - base + i;
              if (position >= 0 && position < read.length && filled[position] === 0) {
                read[position] = body[i] ?? 0;
                filled[position] = 1;
              }
            }
          }
        }
        const expected = new Uint8Array(read.length).fill(0x61);
        expected.fill(0x62, 44 * 1024, 52 * 1024);
        check(
          Buffer.compare(read, expected) === 0,
          "the bytes read back through the chunk infos differ from those written",
        );
      } finally {
        client.destroy();
      }
    },
  }),
  steps({
    id: "metaserver.create_dentry.leader_change_during_writes",
    method: m.createDentry,
    spec: "If leadership is lost between proposal and apply the call fails with `unavailable` and the entry may or may not take effect; each RPC states what a retry sees. … Idempotent: if the name already refers to the same `inode_id` with the same `type`, the call returns OK",
    requires: ["s3"],
    reasons: [ErrorReason.NOT_LEADER],
    run: async (ctx) => {
      const p = await mdsFsPartition(ctx);
      const members = await membersOf(ctx, p);
      check(
        members.length >= 3,
        `the fs's copyset has ${members.length} members; a leader change needs 3`,
      );
      const current = { url: p.leaderUrl };
      const first = new URL(p.leaderUrl).host;
      const names: string[] = [];
      for (let i = 0; i < 60; i++) {
        if (i === 20) {
          const transferee = members.find((address) => address !== first);
          const cli = createClient(CliService, ctx.transportTo(p.leaderUrl));
          await cli.transferLeader({
            poolId: p.poolId,
            copysetId: p.copysetId,
            transferee: { address: transferee ?? "" },
          });
        }
        const name = `f${i}`;
        const { attr } = await onLeader(ctx, members, current, (meta) =>
          meta.createInode({
            ...on(p),
            parentInodeId: 1n,
            type: FileType.REGULAR,
            mode: 0o644,
            time: at(i),
          }),
        );
        await onLeader(ctx, members, current, (meta) =>
          meta.createDentry({
            ...on(p),
            parentInodeId: 1n,
            name,
            inodeId: attr?.inodeId ?? 0n,
            type: FileType.REGULAR,
            time: at(i),
          }),
        );
        names.push(name);
      }
      check(new URL(current.url).host !== first, "the writes never moved to a new leader");
      const listed = await onLeader(ctx, members, current, (meta) =>
        meta.listDentry({ ...on(p), parentInodeId: 1n }),
      );
      const got = new Set(listed.dentries.map((d) => d.name));
      const lost = names.filter((name) => !got.has(name));
      check(
        lost.length === 0,
        `acknowledged entries missing after the leader change: ${lost.join(",")}`,
      );
    },
  }),
];

/**
 * The leader's side of InstallSnapshot: streams the group's newest snapshot file to one follower
 * as a sequence of unary calls of at most 1 MiB each, continuing from the offset each answer
 * names (so a lost reply or a restarted follower resumes rather than restarts), and steps every
 * answer into the core as the response to its one install-snapshot message.
 */
import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import {
  InstallSnapshotRequestSchema,
  type RaftService,
  RejectReason,
} from "../../gen/curve/raft/v1/raft_pb.js";
import type { InstallSnapshotRequest } from "../core/index.js";
import type { ReplySink } from "../node/index.js";
import type { SnapshotChunkReader } from "../storage/index.js";
import {
  fromUint64,
  snapshotMetaToWire,
  snapshotResponseFromWire,
  toUint64,
} from "./raft-codec.js";

/** raft.proto: chunks of at most 1 MiB; every chunk but the last exactly that. */
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
/** raft.proto: the leader allows the last chunk (which loads the snapshot) at least 60 s. */
export const SNAPSHOT_LOAD_TIMEOUT_MS = 60_000;
/** Answers in a row that hold no new bytes before the transfer is given up. */
const MAX_STALLED_ANSWERS = 3;
const EMPTY = new Uint8Array(0);

export interface SnapshotSendOptions {
  readonly chunkBytes: number;
  readonly chunkTimeoutMs: number;
  readonly loadTimeoutMs: number;
}

/**
 * Sends the snapshot `request` asks for; resolves when the follower has installed it, refused
 * it (the refusal is delivered to the core), or this node stopped leading in the request's term.
 * @throws when the transfer fails; the caller reports it to the core.
 */
export async function sendSnapshot(
  client: Client<typeof RaftService>,
  groupId: bigint,
  request: InstallSnapshotRequest,
  replies: ReplySink,
  options: SnapshotSendOptions,
): Promise<void> {
  const reader = await replies.openSnapshot();
  if (reader === undefined) throw new Error("the group has no snapshot file to send");
  try {
    const sha256 = await digestOf(reader, options.chunkBytes);
    const meta = snapshotMetaToWire(reader.meta);
    // One id per snapshot file: a file at a given index and term always has the same content.
    const snapshotId = `snap-${reader.meta.index}-${reader.meta.term}`;
    let offset = 0;
    let stalled = 0;
    while (replies.leadsIn(request.term)) {
      const { data, done } = await reader.read(offset, options.chunkBytes);
      const answer = await client.installSnapshot(
        create(InstallSnapshotRequestSchema, {
          groupId,
          from: request.from,
          to: request.to,
          term: toUint64(request.term),
          meta,
          snapshotId,
          totalBytes: toUint64(reader.size),
          offset: toUint64(offset),
          data,
          done,
          sha256: done ? sha256 : EMPTY,
        }),
        { timeoutMs: done ? options.loadTimeoutMs : options.chunkTimeoutMs },
      );
      if (answer.rejectReason === RejectReason.SNAPSHOT_SUPERSEDED) {
        throw new Error(`${request.to} is receiving a newer snapshot`);
      }
      replies.deliver(snapshotResponseFromWire(request, answer));
      if (!answer.success || answer.installed) return;
      const next = fromUint64(answer.nextOffset, "next_offset");
      stalled = next > offset ? 0 : stalled + 1;
      if (stalled >= MAX_STALLED_ANSWERS) {
        throw new Error(`${request.to} accepts no more snapshot bytes (next offset ${next})`);
      }
      // All bytes held but not installed (the last chunk's answer was lost before the follower
      // finished): send the final byte again as the chunk that completes the transfer.
      offset = Math.min(next, reader.size - 1);
    }
  } finally {
    await reader.close();
  }
}

async function digestOf(reader: SnapshotChunkReader, chunkBytes: number): Promise<Uint8Array> {
  const hash = createHash("sha256");
  for (let offset = 0; offset < reader.size; ) {
    const { data } = await reader.read(offset, chunkBytes);
    if (data.length === 0) break;
    hash.update(data);
    offset += data.length;
  }
  return new Uint8Array(hash.digest());
}

/**
 * A copyset for the ChunkService cases: one the runner makes on the first chunkserver with the
 * chunkserver as its only member (chunk CopysetService), made once per protocol, once it leads.
 * Pool CHUNK_POOL_ID is far above any MDS pool id; on a cluster whose chunkservers report to an
 * MDS the copyset is purged at the next heartbeat, so each case writes chunks of fresh ids and
 * stays short.
 */
import { type Client, createClient } from "@connectrpc/connect";
import { ChunkService } from "../../../impl/gen/curve/chunk/v1/chunk_pb.js";
import { CopysetService } from "../../../impl/gen/curve/chunk/v1/copyset_pb.js";
import { CliService } from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import type { CaseContext } from "../../runner/case-context.js";
import { CaseFailure } from "../../runner/case-failure.js";
import { firstUrl } from "../../runner/server-role.js";

export const CHUNK_POOL_ID = 4_000_000_003;
/** The chunk size and page size of this version of the spec. */
export const CHUNK_BYTES = 16 * 1024 * 1024;
export const PAGE = 4096;
const LEADER_WAIT_MS = 15_000;

export interface ChunkCopyset {
  readonly poolId: number;
  readonly copysetId: number;
  /** The chunkserver's address ("host:port"). */
  readonly address: string;
  readonly chunks: Client<typeof ChunkService>;
  readonly copysets: Client<typeof CopysetService>;
}

/** The protocol's chunk copyset; `chunkId()` then names a chunk no case used. */
export async function chunkCopyset(ctx: CaseContext): Promise<ChunkCopyset> {
  return ctx.once("chunk-copyset", async () => {
    const url = firstUrl(ctx, "chunkserver");
    const transport = ctx.transportTo(url);
    const address = new URL(url).host;
    const copysets = createClient(CopysetService, transport);
    const copysetId = ctx.uniqueNumber();
    await copysets.createCopysetNode({
      copysets: [{ poolId: CHUNK_POOL_ID, copysetId, peers: [{ address }] }],
    });
    const cli = createClient(CliService, transport);
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      const leader = await cli
        .getLeader({ poolId: CHUNK_POOL_ID, copysetId })
        .catch(() => undefined);
      if (leader?.leader?.address === address) break;
      if (Date.now() > deadline) throw new CaseFailure("the chunk copyset elected no leader");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      poolId: CHUNK_POOL_ID,
      copysetId,
      address,
      chunks: createClient(ChunkService, transport),
      copysets,
    };
  });
}

/** A page-aligned buffer of `pages` pages filled with `byte`. */
export function pages(pages: number, byte: number): Uint8Array {
  return new Uint8Array(pages * PAGE).fill(byte);
}

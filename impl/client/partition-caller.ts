/**
 * Calls to metaservers, routed by partition (metaserver.proto, "Addressing"): inode calls to
 * the partition holding the inode, dentry calls to the partition holding the parent. The route
 * comes from the RoutingCache; a NOT_LEADER hint corrects the copyset's leader, and a metaserver
 * that does not know the partition (PARTITION_NOT_FOUND) makes the caller reload the fs's
 * partitions from the MDS (ListPartitions) before it retries.
 */
import type { Client } from "@connectrpc/connect";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import type { PartitionRoute } from "../gen/curve/mds/v1/topology_pb.js";
import { MetaServerService } from "../gen/curve/metaserver/v1/metaserver_pb.js";
import { baseUrlOf, type Connections } from "./connections.js";
import { type CallSettings, type MdsCaller, unique } from "./mds-caller.js";
import { callReplicated, type ReplicaGroup } from "./replica-call.js";
import type { PartitionEntry, RoutingCache } from "./routing-cache.js";

export type MetaClient = Client<typeof MetaServerService>;

/** A ListPartitions page as large as the spec allows: one call for any realistic fs. */
const LIST_PAGE_SIZE = 10_000;

export class PartitionCaller {
  constructor(
    readonly fsId: number,
    readonly cache: RoutingCache,
    private readonly mds: MdsCaller,
    private readonly connections: Connections,
    private readonly settings: CallSettings,
  ) {}

  /** Reloads every partition of the fs, with routes, from the MDS. */
  async refreshRoutes(): Promise<void> {
    const routes: PartitionRoute[] = [];
    let pageToken = "";
    do {
      const page = await this.mds.call(
        ({ topology }, timeoutMs) =>
          topology.listPartitions(
            { fsId: this.fsId, pageSize: LIST_PAGE_SIZE, pageToken },
            { timeoutMs },
          ),
        true,
      );
      routes.push(...page.partitions);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    this.cache.replaceAll(routes);
  }

  /** The partition that holds `inodeId`, reloading the routes once if none is known. */
  async partitionOf(inodeId: bigint): Promise<PartitionEntry> {
    let entry = this.cache.partitionOf(inodeId);
    if (entry === undefined) {
      await this.refreshRoutes();
      entry = this.cache.partitionOf(inodeId);
    }
    if (entry === undefined) {
      throw new CurveError(ErrorReason.INODE_NOT_FOUND, `no partition holds inode ${inodeId}`);
    }
    return entry;
  }

  /**
   * Runs `call` on the leader of the copyset hosting `partition`. `idempotent` as in
   * MdsCaller.call; `trace.retried` tells a non-idempotent caller that an earlier attempt may
   * have taken effect.
   */
  call<T>(
    partition: PartitionEntry,
    call: (client: MetaClient, timeoutMs: number) => Promise<T>,
    idempotent: boolean,
    trace?: { retried: boolean },
  ): Promise<T> {
    const { poolId, copysetId } = partition;
    const group: ReplicaGroup = {
      label: `copyset ${poolId}/${copysetId} (partition ${partition.partitionId})`,
      candidates: () => {
        const route = this.cache.copyset(poolId, copysetId);
        return unique([route?.leader, ...(route?.members ?? [])]).map((a) => baseUrlOf(a));
      },
      setLeader: (url) =>
        this.cache.setLeader(poolId, copysetId, url === undefined ? undefined : new URL(url).host),
      urlOfHint: (hint) => baseUrlOf(hint),
      refreshRoute: async () => {
        await this.refreshRoutes();
        return this.cache.byId(partition.partitionId) !== undefined;
      },
    };
    return callReplicated(
      group,
      (url, timeoutMs) => call(this.connections.client(MetaServerService, url), timeoutMs),
      {
        timeoutMs: this.settings.callTimeoutMs,
        idempotent,
        ...(this.settings.retry === undefined ? {} : { retry: this.settings.retry }),
        ...(trace === undefined ? {} : { trace }),
      },
    );
  }
}

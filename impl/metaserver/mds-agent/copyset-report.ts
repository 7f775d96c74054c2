/**
 * One copyset replica as a heartbeat reports it (heartbeat.proto, MetaServerCopysetReport):
 * this replica's configuration, epoch, leader and term, its partitions, the change it is
 * carrying out, and whether it is still replaying its own log after a start.
 */
import { create } from "@bufbuild/protobuf";
import { type Peer, PeerSchema } from "../../gen/curve/common/v1/common_pb.js";
import type { ConfigChange } from "../../gen/curve/mds/v1/cluster_pb.js";
import {
  type MetaServerCopysetReport,
  MetaServerCopysetReportSchema,
} from "../../gen/curve/mds/v1/heartbeat_pb.js";
import type { CopysetNode } from "../copyset-node.js";

/** Who is reporting: its registered id and address. */
export interface Reporter {
  readonly id: number;
  readonly address: string;
}

/**
 * The report of `copyset`, or undefined for a replica that has no configuration yet (an empty
 * replica waiting to be added by its leader: the spec requires at least one peer, and the MDS
 * learns of the member from the leader's report once it is added).
 */
export function reportCopyset(
  copyset: CopysetNode,
  self: Reporter,
  pendingChange: ConfigChange | undefined,
  loading: boolean,
): MetaServerCopysetReport | undefined {
  const node = copyset.node;
  const status = node.status();
  if (status.conf.voters.length === 0) return undefined;
  const peerOf = (address: string): Peer =>
    create(PeerSchema, { id: address === self.address ? self.id : 0, address });
  const leading = status.role === "leader";
  return create(MetaServerCopysetReportSchema, {
    poolId: copyset.poolId,
    copysetId: copyset.copysetId,
    peers: status.conf.voters.map(peerOf),
    epoch: node.stateMachine.epoch,
    ...(status.leader === "" ? {} : { leader: peerOf(status.leader) }),
    term: BigInt(status.term),
    partitions: node.stateMachine.state.list().map((partition) => partition.info()),
    ...(leading && pendingChange !== undefined ? { pendingChange } : {}),
    loading,
  });
}

/**
 * Whether a replica is still loading: replaying the entries it had committed before this
 * process started. The target is the commit index the replica knows when first seen; once it
 * has applied that far, it is loaded for good (later lag is ordinary replication, and a leader
 * under load always lags a little).
 */
export class ReplayWatch {
  readonly #targets = new Map<bigint, number>();
  readonly #loaded = new Set<bigint>();

  loading(copyset: CopysetNode): boolean {
    if (this.#loaded.has(copyset.groupId)) return false;
    let target = this.#targets.get(copyset.groupId);
    if (target === undefined) {
      target = copyset.node.status().commit;
      this.#targets.set(copyset.groupId, target);
    }
    if (copyset.node.appliedIndex < target) return true;
    this.#targets.delete(copyset.groupId);
    this.#loaded.add(copyset.groupId);
    return false;
  }
}

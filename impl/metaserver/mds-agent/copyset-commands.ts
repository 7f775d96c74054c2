/**
 * Carries out the commands of a heartbeat reply (heartbeat.proto, "What a server does with the
 * commands of a reply"):
 * - a configuration change only if this server leads the copyset now, the replica's epoch
 *   equals the command's, and no change is in flight; it is proposed to the Raft group (a
 *   CHANGE_PEER as an add, then a remove, so the group keeps its fault tolerance in between;
 *   each committed membership entry grows the epoch) or leadership is transferred, and it is
 *   reported as pending until it is done or failed;
 * - a purge only if the command's epoch is 0 or above the replica's: the replica is stopped,
 *   its data deleted and it is removed from the copyset manifest.
 * Anything else is ignored: the MDS issues a command again while it is still needed.
 */
import type { Logger } from "pino";
import { type ConfigChange, ConfigChangeType } from "../../gen/curve/mds/v1/cluster_pb.js";
import type { CopysetCommand } from "../../gen/curve/mds/v1/heartbeat_pb.js";
import { groupIdOf } from "../../raft/cli-service.js";
import type { CopysetNode } from "../copyset-node.js";

type CopysetRaftNode = CopysetNode["node"];

/** What the executor needs from the metaserver host. */
export interface ReplicaDirectory {
  byCopyset(poolId: number, copysetId: number): CopysetNode | undefined;
  /** Stops the replica, deletes its data and forgets it. */
  purge(poolId: number, copysetId: number): Promise<void>;
}

/** The outcome of one command, for logs and tests. */
export type CommandOutcome = "started" | "ignored";

export class CopysetCommands {
  readonly #replicas: ReplicaDirectory;
  readonly #logger: Logger;
  /** Changes in flight by group id. */
  readonly #pending = new Map<bigint, Promise<void> & { change: ConfigChange }>();

  constructor(replicas: ReplicaDirectory, logger: Logger) {
    this.#replicas = replicas;
    this.#logger = logger;
  }

  /** The change in flight on a copyset, to report. */
  pendingChange(poolId: number, copysetId: number): ConfigChange | undefined {
    return this.#pending.get(groupIdOf(poolId, copysetId))?.change;
  }

  /** Starts carrying out `command` when the rules allow it (without waiting for it to finish). */
  execute(command: CopysetCommand): CommandOutcome {
    const copyset = this.#replicas.byCopyset(command.poolId, command.copysetId);
    if (copyset === undefined) return "ignored";
    const action = command.action;
    if (action.case === "purge") {
      const epoch = copyset.node.stateMachine.epoch;
      if (command.epoch !== 0n && command.epoch <= epoch) return "ignored";
      this.#track(copyset, undefined, this.#replicas.purge(command.poolId, command.copysetId));
      return "started";
    }
    if (action.case !== "change") return "ignored";
    const node = copyset.node;
    if (
      this.#pending.has(copyset.groupId) ||
      node.status().role !== "leader" ||
      node.stateMachine.epoch !== command.epoch
    ) {
      return "ignored";
    }
    this.#track(copyset, action.value, carryOut(node, action.value));
    return "started";
  }

  /** Waits for every command in flight (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#pending.values()]);
  }

  #track(copyset: CopysetNode, change: ConfigChange | undefined, work: Promise<unknown>): void {
    const ref = `${copyset.poolId}/${copyset.copysetId}`;
    const done = work.then(
      () => this.#logger.info({ copyset: ref, change: describe(change) }, "copyset command done"),
      (error: unknown) =>
        this.#logger.warn(
          { err: error, copyset: ref, change: describe(change) },
          "copyset command failed; the MDS will issue it again while needed",
        ),
    );
    if (change === undefined) return;
    const entry = Object.assign(
      done.finally(() => this.#pending.delete(copyset.groupId)),
      { change },
    );
    this.#pending.set(copyset.groupId, entry);
  }
}

async function carryOut(node: CopysetRaftNode, change: ConfigChange): Promise<void> {
  const peer = change.peer?.address ?? "";
  switch (change.type) {
    case ConfigChangeType.ADD_PEER:
      if (!node.status().conf.voters.includes(peer)) {
        await node.changeMembership({ kind: "add", node: peer });
      }
      return;
    case ConfigChangeType.REMOVE_PEER:
      await node.changeMembership({ kind: "remove", node: peer });
      return;
    case ConfigChangeType.CHANGE_PEER: {
      const old = change.oldPeer?.address ?? "";
      if (!node.status().conf.voters.includes(peer)) {
        await node.changeMembership({ kind: "add", node: peer });
      }
      if (node.status().conf.voters.includes(old)) {
        await node.changeMembership({ kind: "remove", node: old });
      }
      return;
    }
    case ConfigChangeType.TRANSFER_LEADER:
      await node.transferLeader(peer);
      return;
    default:
      throw new Error(`unknown configuration change type ${change.type}`);
  }
}

function describe(change: ConfigChange | undefined): string {
  if (change === undefined) return "purge";
  const old = change.oldPeer ? ` replacing ${change.oldPeer.address}` : "";
  return `${ConfigChangeType[change.type]} ${change.peer?.address ?? ""}${old}`;
}

/**
 * The Raft side of one server process: many groups (copysets), one node each, sharing one
 * transport, one fsync batcher and one tick timer. The RaftService and CliService handlers find
 * their node here by group id.
 *
 * Each group lives in `<dataDir>/group-<group id>` (see storage/raft-storage.ts for its files).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { NodeId } from "../core/index.js";
import { FsyncBatcher, type FsyncStats, RaftStorage } from "../storage/index.js";
import { type CoreOptions, RaftNode } from "./raft-node.js";
import type { RaftTransport } from "./raft-transport.js";
import type { StateMachine } from "./state-machine.js";

/** The spec's timing: 100 ms ticks, election timeout 10 ticks (1 s), heartbeats every tick. */
export const DEFAULT_TICK_MS = 100;

export interface RaftHostOptions {
  /** This server's advertised "host:port": its node id in every group. */
  readonly address: NodeId;
  readonly dataDir: string;
  /** Shared by every group; the host closes it on shutdown. */
  readonly transport: RaftTransport;
  /** The tick period (default 100 ms); election timeout and heartbeat are counted in ticks. */
  readonly tickMs?: number;
  /** Core settings for every group (default electionTicks 10, heartbeatTicks 1). */
  readonly core?: CoreOptions;
  readonly snapshotEveryEntries?: number;
  readonly snapshotKeepEntries?: number;
  /** Log segment size (default 64 MiB). */
  readonly segmentBytes?: number;
  readonly logger?: Logger;
}

export interface GroupOptions<Machine extends StateMachine> {
  /** The bootstrap voters (empty for a peer that waits to be added); the same on every open. */
  readonly peers: readonly NodeId[];
  readonly stateMachine: Machine;
  /** Overrides of the host's settings for this group. */
  readonly core?: CoreOptions;
  readonly snapshotEveryEntries?: number;
  readonly snapshotKeepEntries?: number;
}

export class RaftHost {
  readonly address: NodeId;
  private readonly options: RaftHostOptions;
  private readonly fsync = new FsyncBatcher();
  private readonly nodes = new Map<bigint, RaftNode>();
  /** Groups being opened or removed: their id is taken. */
  private readonly busy = new Set<bigint>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(options: RaftHostOptions) {
    this.address = options.address;
    this.options = options;
    this.timer = setInterval(() => {
      for (const node of this.nodes.values()) node.tick();
    }, options.tickMs ?? DEFAULT_TICK_MS);
    this.timer.unref();
  }

  /** The directory of a group's storage. */
  static groupDir(dataDir: string, groupId: bigint): string {
    return join(dataDir, `group-${groupId}`);
  }

  /**
   * Opens (creating if needed) the node of `groupId` and starts it.
   * @throws CurveError GROUP_ALREADY_EXISTS when the group is open already; NOT_READY after
   * shutdown.
   */
  async createGroup<Machine extends StateMachine>(
    groupId: bigint,
    group: GroupOptions<Machine>,
  ): Promise<RaftNode<Machine>> {
    this.assertOpen();
    if (this.nodes.has(groupId) || this.busy.has(groupId)) {
      throw new CurveError(ErrorReason.GROUP_ALREADY_EXISTS, `group ${groupId} is already open`);
    }
    this.busy.add(groupId);
    try {
      const storage = await RaftStorage.open(RaftHost.groupDir(this.options.dataDir, groupId), {
        fsync: this.fsync,
        ...(this.options.segmentBytes === undefined
          ? {}
          : { segmentBytes: this.options.segmentBytes }),
      });
      const everyEntries = group.snapshotEveryEntries ?? this.options.snapshotEveryEntries;
      const keepEntries = group.snapshotKeepEntries ?? this.options.snapshotKeepEntries;
      let node: RaftNode<Machine>;
      try {
        node = await RaftNode.open({
          groupId,
          id: this.address,
          peers: group.peers,
          storage,
          stateMachine: group.stateMachine,
          transport: this.options.transport,
          core: { ...this.options.core, ...group.core },
          ...(everyEntries === undefined ? {} : { snapshotEveryEntries: everyEntries }),
          ...(keepEntries === undefined ? {} : { snapshotKeepEntries: keepEntries }),
          ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
        });
      } catch (error) {
        await storage.close().catch(() => {});
        throw error;
      }
      if (this.closed) {
        await node.stop();
        this.assertOpen();
      }
      this.nodes.set(groupId, node as unknown as RaftNode);
      return node;
    } finally {
      this.busy.delete(groupId);
    }
  }

  /** The running node of `groupId`, if this host has one. */
  group(groupId: bigint): RaftNode | undefined {
    return this.nodes.get(groupId);
  }

  /** fsyncs requested and made by every group of this host (one batcher for all). */
  fsyncStats(): FsyncStats {
    return this.fsync.stats();
  }

  groupIds(): bigint[] {
    return [...this.nodes.keys()];
  }

  /**
   * The node a RaftService or CliService call is for (a node that failed on its storage is
   * returned too: it answers every call with STORAGE_FAILURE).
   * @throws CurveError NOT_READY (shut down), GROUP_NOT_FOUND.
   */
  locate(groupId: bigint): RaftNode {
    this.assertOpen();
    const node = this.nodes.get(groupId);
    if (node === undefined) {
      throw new CurveError(
        ErrorReason.GROUP_NOT_FOUND,
        `this server hosts no node of group ${groupId}`,
      );
    }
    return node;
  }

  /** Stops the node of `groupId`; with `destroy`, deletes its storage too. */
  async removeGroup(groupId: bigint, { destroy = false } = {}): Promise<void> {
    const node = this.nodes.get(groupId);
    if (node === undefined) return;
    this.nodes.delete(groupId);
    this.busy.add(groupId);
    try {
      await node.stop();
      if (destroy) {
        await rm(RaftHost.groupDir(this.options.dataDir, groupId), {
          recursive: true,
          force: true,
        });
      }
    } finally {
      this.busy.delete(groupId);
    }
  }

  /** Stops every node and closes the transport. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const nodes = [...this.nodes.values()];
    this.nodes.clear();
    await Promise.all(nodes.map((node) => node.stop()));
    await this.options.transport.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new CurveError(ErrorReason.NOT_READY, "the raft host is shut down");
  }
}

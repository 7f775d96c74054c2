/**
 * Raft nodes in one process for the node tests and the benchmark: each member has its own
 * RaftHost, its own data directory and a real Connect server on 127.0.0.1 (RaftService and
 * CliService), so every message crosses HTTP/2 and protobuf like between processes.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { registerCliService } from "../../../impl/raft/cli-service.js";
import type { NodeId } from "../../../impl/raft/core/index.js";
import {
  type CoreOptions,
  RaftHost,
  type RaftNode,
  type RaftTransport,
  type StateMachine,
} from "../../../impl/raft/node/index.js";
import {
  ConnectRaftTransport,
  RAFT_READ_MAX_BYTES,
  registerRaftService,
} from "../../../impl/raft/transport/index.js";
import { type RunningServer, startServer } from "../../../impl/server/start-server.js";
import { eventually } from "../../support/eventually.js";

/** The group every test cluster runs: pool 1, copyset 1. */
export const GROUP_ID = (1n << 32n) | 1n;

export interface ClusterOptions<Machine extends StateMachine> {
  readonly size: number;
  readonly newMachine: () => Machine;
  /** Tick period (tests use short ticks; the election timeout is 10 ticks). */
  readonly tickMs?: number;
  readonly core?: CoreOptions;
  readonly snapshotEveryEntries?: number;
  readonly snapshotKeepEntries?: number;
  /** Each member's transport (default: ConnectRaftTransport with default options). */
  readonly transport?: () => RaftTransport;
}

export class ClusterMember<Machine extends StateMachine> {
  server: RunningServer | undefined;
  host: RaftHost | undefined;
  node: RaftNode<Machine> | undefined;

  constructor(
    readonly address: NodeId,
    readonly port: number,
    readonly dataDir: string,
    /** The bootstrap peers this member's group is opened with. */
    readonly peers: readonly NodeId[],
  ) {}

  get running(): boolean {
    return this.node?.running === true;
  }

  /** The member's node; throws when it is stopped. */
  get raft(): RaftNode<Machine> {
    if (this.node === undefined) throw new Error(`${this.address} is stopped`);
    return this.node;
  }
}

export class RaftCluster<Machine extends StateMachine> {
  readonly members: ClusterMember<Machine>[] = [];
  private readonly logger = pino({ level: "silent" });

  private constructor(private readonly options: ClusterOptions<Machine>) {}

  /** Starts `size` members that bootstrap one group together. */
  static async start<Machine extends StateMachine>(
    options: ClusterOptions<Machine>,
  ): Promise<RaftCluster<Machine>> {
    const cluster = new RaftCluster(options);
    const servers: { server: RunningServer; holder: { host?: RaftHost } }[] = [];
    for (let i = 0; i < options.size; i++) servers.push(await cluster.listen(0));
    const peers = servers.map(({ server }) => server.address);
    for (const { server, holder } of servers) {
      const member = new ClusterMember<Machine>(
        server.address,
        portOf(server.address),
        await mkdtemp(join(tmpdir(), "curve-raft-node-")),
        peers,
      );
      member.server = server;
      cluster.members.push(member);
      await cluster.openGroup(member, holder);
    }
    return cluster;
  }

  /** A new member that hosts the group with an empty configuration, waiting to be added. */
  async addMember(): Promise<ClusterMember<Machine>> {
    const { server, holder } = await this.listen(0);
    const member = new ClusterMember<Machine>(
      server.address,
      portOf(server.address),
      await mkdtemp(join(tmpdir(), "curve-raft-node-")),
      [],
    );
    member.server = server;
    this.members.push(member);
    await this.openGroup(member, holder);
    return member;
  }

  /** Stops a member as a crash would look to its peers: server gone, node stopped. */
  async stop(member: ClusterMember<Machine>): Promise<void> {
    const { server, host } = member;
    member.server = undefined;
    member.host = undefined;
    member.node = undefined;
    await host?.shutdown();
    await server?.close();
  }

  /** Restarts a stopped member on its address, from its data directory. */
  async restart(member: ClusterMember<Machine>): Promise<void> {
    const { server, holder } = await this.listen(member.port);
    member.server = server;
    await this.openGroup(member, holder);
  }

  /**
   * Waits for a member that leads, that every running voter follows, and that has committed an
   * entry of its term (a read goes through: until then it refuses membership changes).
   */
  async leader(): Promise<ClusterMember<Machine>> {
    return eventually(
      async () => {
        const running = this.members.filter((m) => m.running);
        const leaders = running.filter((m) => m.raft.status().role === "leader");
        const leader = leaders.length === 1 ? leaders[0] : undefined;
        if (leader === undefined) return undefined;
        const voters = leader.raft.status().conf.voters;
        const followed = running
          .filter((m) => voters.includes(m.address))
          .every((m) => m.raft.status().leader === leader.address);
        if (!followed) return undefined;
        await leader.raft.read(() => true);
        return leader;
      },
      { what: "a leader followed by every running voter" },
    );
  }

  /** Waits until every running member has applied at least `index`. */
  async appliedEverywhere(index: number): Promise<void> {
    await eventually(
      () =>
        this.members.filter((m) => m.running).every((m) => m.raft.appliedIndex >= index)
          ? true
          : undefined,
      { what: `every running member applying ${index}` },
    );
  }

  /** The CliService URL of a member. */
  url(member: ClusterMember<Machine>): string {
    return `http://${member.address}`;
  }

  async shutdown(): Promise<void> {
    for (const member of this.members) await this.stop(member);
    await Promise.all(this.members.map((m) => rm(m.dataDir, { recursive: true, force: true })));
  }

  private async listen(
    port: number,
  ): Promise<{ server: RunningServer; holder: { host?: RaftHost } }> {
    const holder: { host?: RaftHost } = {};
    const server = await startServer({
      readMaxBytes: RAFT_READ_MAX_BYTES,
      host: "127.0.0.1",
      port,
      logger: this.logger,
      routes: (router) => {
        registerRaftService(router, () => holder.host);
        registerCliService(router, () => holder.host);
      },
    });
    return { server, holder };
  }

  private async openGroup(
    member: ClusterMember<Machine>,
    holder: { host?: RaftHost },
  ): Promise<void> {
    const host = new RaftHost({
      address: member.address,
      dataDir: member.dataDir,
      transport: this.options.transport?.() ?? new ConnectRaftTransport(),
      ...(this.options.tickMs === undefined ? {} : { tickMs: this.options.tickMs }),
      ...(this.options.core === undefined ? {} : { core: this.options.core }),
      ...(this.options.snapshotEveryEntries === undefined
        ? {}
        : { snapshotEveryEntries: this.options.snapshotEveryEntries }),
      ...(this.options.snapshotKeepEntries === undefined
        ? {}
        : { snapshotKeepEntries: this.options.snapshotKeepEntries }),
      logger: this.logger,
    });
    member.node = await host.createGroup(GROUP_ID, {
      peers: member.peers,
      stateMachine: this.options.newMachine(),
    });
    member.host = host;
    holder.host = host;
  }
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1));
}

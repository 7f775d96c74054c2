/**
 * Commits through a whole Raft group: three nodes in this process, each with its own RaftHost,
 * data directory and Connect server on 127.0.0.1, so every AppendEntries crosses HTTP/2 and
 * protobuf. N proposers each propose one entry to the leader and wait until it is committed and
 * applied there, then propose the next. Group commit (one append and one fsync per Ready on
 * every node) is what lets commits outrun the disk's serial fsync rate.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pino } from "pino";
import type { RaftNode, StateMachine } from "../../impl/raft/node/index.js";
import { RaftHost } from "../../impl/raft/node/index.js";
import {
  ConnectRaftTransport,
  RAFT_READ_MAX_BYTES,
  registerRaftService,
} from "../../impl/raft/transport/index.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";
import { type Phase, runPhase } from "../harness/load.js";
import type { ProbeResult } from "./fsync-probe.js";

const GROUP_ID = (1n << 32n) | 1n;
const NODES = 3;

export interface CommitArgs {
  readonly dir: string;
  readonly entryBytes: number;
  readonly concurrency: number;
  readonly warmup: Phase;
  readonly measure: Phase;
  readonly repeats: number;
}

export interface CommitResult extends ProbeResult {
  /** fsync system calls made by the three nodes together during the measurement. */
  readonly fsyncs: number;
}

/** Applies nothing: the figure is Raft's, not a state machine's. */
class CountingMachine implements StateMachine<number> {
  private applied = 0;
  apply(): number {
    return ++this.applied;
  }
  snapshot(): Uint8Array {
    return Buffer.from(String(this.applied));
  }
  restore(data: Uint8Array): void {
    this.applied = Number(Buffer.from(data).toString());
  }
}

export async function measure(args: CommitArgs): Promise<CommitResult[]> {
  const dir = await mkdtemp(join(args.dir, "curve-bench-raft-commit-"));
  const logger = pino({ level: "silent" });
  const servers: RunningServer[] = [];
  const hosts: RaftHost[] = [];
  try {
    const holders: { host?: RaftHost }[] = [];
    for (let i = 0; i < NODES; i++) {
      const holder: { host?: RaftHost } = {};
      holders.push(holder);
      servers.push(
        await startServer({
          readMaxBytes: RAFT_READ_MAX_BYTES,
          host: "127.0.0.1",
          port: 0,
          logger,
          routes: (router) => registerRaftService(router, () => holder.host),
        }),
      );
    }
    const peers = servers.map((server) => server.address);
    const nodes: RaftNode<CountingMachine>[] = [];
    for (const [i, server] of servers.entries()) {
      const host = new RaftHost({
        address: server.address,
        dataDir: join(dir, `node-${i}`),
        transport: new ConnectRaftTransport(),
        logger,
      });
      hosts.push(host);
      nodes.push(await host.createGroup(GROUP_ID, { peers, stateMachine: new CountingMachine() }));
      (holders[i] as { host?: RaftHost }).host = host;
    }
    const leader = await leaderOf(nodes);
    const data = new Uint8Array(args.entryBytes).fill(0x61);
    const op = async () => {
      await leader.propose(data);
    };
    await runPhase(op, args.concurrency, args.warmup);
    const samples: CommitResult[] = [];
    for (let repeat = 0; repeat < args.repeats; repeat++) {
      const fsyncsBefore = totalFsyncs(hosts);
      const before = process.cpuUsage();
      const result = await runPhase(op, args.concurrency, args.measure);
      const cpu = process.cpuUsage(before);
      samples.push({
        result,
        cpuMicros: cpu.user + cpu.system,
        fsyncs: totalFsyncs(hosts) - fsyncsBefore,
      });
    }
    return samples;
  } finally {
    for (const host of hosts) await host.shutdown();
    for (const server of servers) await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function totalFsyncs(hosts: readonly RaftHost[]): number {
  return hosts.reduce((sum, host) => sum + host.fsyncStats().fsyncs, 0);
}

/** The node that leads once an entry of its term is committed (reads then succeed). */
async function leaderOf<Machine extends StateMachine>(
  nodes: readonly RaftNode<Machine>[],
): Promise<RaftNode<Machine>> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const leader = nodes.find((node) => node.status().role === "leader");
    if (leader !== undefined) {
      try {
        await leader.read(() => true);
        return leader;
      } catch {
        // Lost the election meanwhile; look again.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("no leader within 30 s");
}

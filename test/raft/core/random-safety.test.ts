/**
 * Random schedules against the core, checking Raft's safety properties after every step: a
 * small seeded simulation (reordered, dropped and duplicated messages, partitions, restarts,
 * compaction, leader transfers, membership changes, reads). The full simulator with crashes that
 * lose unsynced data and a linearizability checker lives elsewhere; this one guards the core.
 */
import { describe, expect, it } from "vitest";
import {
  EntryType,
  type Message,
  type NodeId,
  type ReadMode,
  SeededRandom,
} from "../../../impl/raft/core/index.js";
import { TestNode, text } from "./harness.js";

/** Seeds per configuration and steps per seed: about a second each; sweeps run far more. */
const SEEDS = 100;
const STEPS = 1500;
const IDS = ["1", "2", "3", "4"];
const INITIAL_VOTERS = ["1", "2", "3"];

interface Scenario {
  readonly seed: number;
  readonly steps: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly readMode: ReadMode;
  /**
   * Membership changes need pre-vote or leases: a removed node that never learns its removal
   * otherwise keeps deposing leaders with higher terms (Raft dissertation §4.2.3).
   */
  readonly membership: boolean;
}

class Simulation {
  private readonly random: SeededRandom;
  private readonly nodes = new Map<NodeId, TestNode>();
  private pool: Message[] = [];
  private partitioned = new Set<NodeId>();
  /** term -> the node that led it. */
  private readonly leaders = new Map<number, NodeId>();
  /**
   * index -> the committed entry there ("term/type/data"), its term, and the highest term any
   * node had when it was first seen committed.
   */
  private readonly committed = new Map<number, { value: string; term: number; bound: number }>();
  private maxCommitted = 0;
  /** read request id -> the highest commit index anywhere when the read was registered. */
  private readonly reads = new Map<string, number>();
  private readsServed = 0;
  private readonly appliedSeen = new Map<NodeId, number>();
  private nextRead = 0;
  private nextValue = 0;

  constructor(private readonly scenario: Scenario) {
    this.random = new SeededRandom(scenario.seed);
    for (const id of IDS) this.nodes.set(id, this.newNode(id));
  }

  run(): { committed: number; readsServed: number } {
    for (let step = 0; step < this.scenario.steps; step++) {
      this.act();
      this.check();
    }
    this.heal();
    return { committed: this.maxCommitted, readsServed: this.readsServed };
  }

  private newNode(id: NodeId, existing?: TestNode): TestNode {
    const { preVote, checkQuorum, readMode } = this.scenario;
    return new TestNode(id, {
      voters: id === "4" ? [] : INITIAL_VOTERS,
      ...(existing === undefined ? {} : { storage: existing.storage }),
      preVote,
      checkQuorum,
      readMode,
      maxInflightAppends: 4,
      maxEntriesPerAppend: 3,
      random: this.random.fork(),
    });
  }

  private act(): void {
    const roll = this.random.nextInt(100);
    const lockstep = this.scenario.readMode === "lease";
    if (roll < 30) {
      // Lease reads assume bounded clock drift: then all nodes tick together.
      if (lockstep) for (const id of IDS) this.tick(id);
      else this.tick(this.pick(IDS));
    } else if (roll < 65) this.deliver();
    else if (roll < 70) this.drop(this.random.nextInt(Math.max(1, this.pool.length)));
    else if (roll < 73) {
      const message = this.pool[this.random.nextInt(Math.max(1, this.pool.length))];
      if (message !== undefined) this.pool.push(message);
    } else if (roll < 82)
      this.onLeader((node) => node.raft.propose(new TextEncoder().encode(`v${this.nextValue++}`)));
    else if (roll < 86) this.onLeader((node) => this.read(node));
    else if (roll < 88) this.repartition();
    else if (roll < 90) this.restart(this.pick(IDS));
    else if (roll < 92) this.compact(this.pick(IDS));
    else if (roll < 93) this.onLeader((node) => node.raft.transferLeader(this.pick(IDS)));
    else if (roll < 94 && this.scenario.membership)
      this.onLeader((node) => this.changeMembership(node));
    else this.deliver();
  }

  private tick(id: NodeId): void {
    const node = this.node(id);
    node.raft.tick();
    this.collect(node);
  }

  private deliver(): void {
    if (this.pool.length === 0) return;
    const at = this.random.nextInt(this.pool.length);
    const message = this.pool[at];
    if (message === undefined) return;
    if (this.partitioned.has(message.from) !== this.partitioned.has(message.to)) {
      this.drop(at);
      return;
    }
    this.pool.splice(at, 1);
    const node = this.node(message.to);
    node.raft.step(message);
    this.collect(node);
  }

  /** Loses a message; like a real transport, reports a snapshot that did not get through. */
  private drop(at: number): void {
    const [message] = this.pool.splice(at, 1);
    if (message?.type !== "install-snapshot") return;
    const sender = this.node(message.from);
    sender.raft.reportSnapshotFailed(message.to);
    this.collect(sender);
  }

  private collect(node: TestNode): void {
    const readsBefore = node.readStates.length;
    this.pool.push(...node.drain());
    for (const read of node.readStates.slice(readsBefore)) {
      const required = this.reads.get(read.requestId);
      expect(required, `seed ${this.scenario.seed}: unknown read`).toBeDefined();
      expect(
        read.index,
        `seed ${this.scenario.seed}: read ${read.requestId} would miss a committed write`,
      ).toBeGreaterThanOrEqual(required ?? 0);
      this.readsServed++;
    }
  }

  private onLeader(act: (node: TestNode) => unknown): void {
    const leaders = IDS.map((id) => this.node(id)).filter((n) => n.raft.status().role === "leader");
    const leader = leaders[this.random.nextInt(Math.max(1, leaders.length))];
    if (leader === undefined) return;
    act(leader);
    this.collect(leader);
  }

  private read(node: TestNode): void {
    const id = `r${this.nextRead++}`;
    this.reads.set(id, this.maxCommitted);
    node.raft.readIndex(id);
  }

  private changeMembership(leader: TestNode): void {
    const voters = leader.raft.status().conf.voters;
    const outsider = IDS.find((id) => !voters.includes(id));
    if (outsider !== undefined && this.random.nextInt(2) === 0) {
      leader.raft.proposeConfChange({ kind: "add", node: outsider });
    } else if (voters.length > 2) {
      leader.raft.proposeConfChange({ kind: "remove", node: this.pick(voters) });
    }
  }

  private repartition(): void {
    this.partitioned = new Set(IDS.filter(() => this.random.nextInt(4) === 0));
  }

  private restart(id: NodeId): void {
    // The harness persists every Ready before handing out messages: a restart loses only
    // volatile state (role, leader, progress, timers, pending reads).
    const old = this.node(id);
    this.nodes.set(id, this.newNode(id, old));
    this.appliedSeen.set(id, 0);
  }

  private compact(id: NodeId): void {
    const node = this.node(id);
    const applied = node.raft.status().applied;
    if (applied > node.storage.snapshot().meta.index) node.compact(applied - 2);
  }

  /**
   * Election safety (one leader per term), state machine safety (every node applies the same
   * entry at an index) and leader completeness (a leader elected after an entry was committed
   * holds it).
   */
  private check(): void {
    const seed = this.scenario.seed;
    const highestTerm = Math.max(...IDS.map((id) => this.node(id).raft.status().term));
    for (const id of IDS) {
      const node = this.node(id);
      const seen = this.appliedSeen.get(id) ?? 0;
      for (const e of node.applied.slice(seen)) {
        const value = `${e.term}/${e.type}/${e.type === EntryType.Normal ? text(e.data) : ""}`;
        const known = this.committed.get(e.index);
        expect(
          known?.value ?? value,
          `seed ${seed}: node ${id} applied a different entry at ${e.index}`,
        ).toBe(value);
        // No leader of a term above this one can lack the entry.
        if (known === undefined)
          this.committed.set(e.index, { value, term: e.term, bound: highestTerm });
        this.maxCommitted = Math.max(this.maxCommitted, e.index);
      }
      this.appliedSeen.set(id, node.applied.length);
    }
    for (const id of IDS) {
      const node = this.node(id);
      const status = node.raft.status();
      if (status.role !== "leader") continue;
      const known = this.leaders.get(status.term);
      expect(known ?? id, `seed ${seed}: two leaders in term ${status.term}`).toBe(id);
      this.leaders.set(status.term, id);
      for (const [index, entry] of this.committed) {
        if (entry.bound >= status.term || index < node.storage.firstIndex()) continue;
        expect(
          index <= node.storage.lastIndex() ? node.storage.term(index) : undefined,
          `seed ${seed}: leader ${id} of term ${status.term} lacks committed entry ${index}`,
        ).toBe(entry.term);
      }
    }
  }

  /** Liveness: once the network heals, a leader is elected and a new write commits everywhere. */
  private heal(): void {
    this.partitioned = new Set();
    const seed = this.scenario.seed;
    // A leader may briefly refuse writes (a leadership transfer in progress): retry each round.
    const leader = this.settle(() => {
      const candidate = IDS.map((id) => this.node(id)).find(
        (n) => n.raft.status().role === "leader",
      );
      if (candidate === undefined) return undefined;
      const proposal = candidate.raft.propose(new TextEncoder().encode("final"));
      this.collect(candidate);
      return proposal.ok ? candidate : undefined;
    });
    expect(leader, `seed ${seed}: no leader accepted a write after healing`).toBeDefined();
    if (leader === undefined) return;
    const voters = leader.raft.status().conf.voters;
    const done = this.settle(() =>
      voters.every((id) => this.node(id).appliedData().includes("final")) ? true : undefined,
    );
    expect(done, `seed ${seed}: the final write did not reach every voter`).toBe(true);
  }

  /** Ticks everyone and delivers everything, round after round, until `until` answers. */
  private settle<T>(until: () => T | undefined): T | undefined {
    for (let round = 0; round < 300; round++) {
      for (const id of IDS) this.tick(id);
      for (let delivered = 0; this.pool.length > 0; delivered++) {
        if (delivered > 100_000)
          throw new Error(`seed ${this.scenario.seed}: messages never settle`);
        this.deliver();
      }
      this.check();
      const result = until();
      if (result !== undefined) return result;
    }
    return undefined;
  }

  private node(id: NodeId): TestNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.random.nextInt(items.length)] as T;
  }
}

describe("random schedules", () => {
  const configs: [string, Omit<Scenario, "seed" | "steps">][] = [
    [
      "pre-vote, check quorum, read index, membership changes",
      { preVote: true, checkQuorum: true, readMode: "read-index", membership: true },
    ],
    [
      "plain raft, read index",
      { preVote: false, checkQuorum: false, readMode: "read-index", membership: false },
    ],
    [
      "lease reads with lockstep clocks, membership changes",
      { preVote: true, checkQuorum: true, readMode: "lease", membership: true },
    ],
  ];
  for (const [name, config] of configs) {
    it(`keep every safety property (${name})`, () => {
      let committed = 0;
      let readsServed = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const result = new Simulation({ seed, steps: STEPS, ...config }).run();
        committed += result.committed;
        readsServed += result.readsServed;
      }
      // The schedules must actually make progress for the checks to mean anything.
      expect(committed).toBeGreaterThan(SEEDS * 5);
      expect(readsServed).toBeGreaterThan(SEEDS);
    });
  }
});

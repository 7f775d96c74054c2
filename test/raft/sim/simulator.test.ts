/**
 * The deterministic simulator: safety and liveness over a few hundred seeds of every profile,
 * exact replay of a seed, and mutations that the checks must catch (proof that they have teeth).
 * Longer sweeps: `npm run sim -- --seeds 2000 --steps 2000 [--nodes 5]`.
 */
import { describe, expect, it } from "vitest";
import type { Mutation } from "../../../impl/raft/sim/sim-node.js";
import {
  describeScenario,
  runSimulation,
  type Scenario,
  type SimResult,
  type SimStats,
} from "../../../impl/raft/sim/simulator.js";

const STEPS = 2000;

function sweep(
  seeds: number,
  options: { nodes?: 3 | 5; scenario?: Partial<Scenario> } = {},
): SimStats {
  const totals: Record<string, number> = {};
  for (let seed = 1; seed <= seeds; seed++) {
    const result = runSimulation({ seed, steps: STEPS, ...options });
    expect(result.violation, failure(result)).toBeUndefined();
    for (const [key, value] of Object.entries(result.stats))
      totals[key] = (totals[key] ?? 0) + value;
  }
  return totals as unknown as SimStats;
}

function failure(result: SimResult): string {
  const v = result.violation;
  if (v === undefined) return "";
  return `seed ${result.seed} (${describeScenario(result.scenario)}): ${v.invariant} at event ${v.step}\n${v.detail}`;
}

describe("simulation keeps every safety property, then settles and is linearizable", () => {
  it("three nodes, every seed-drawn scenario (crashes, partitions, transfers, membership, compaction)", () => {
    const stats = sweep(400);
    // The runs must exercise what they claim to check.
    expect(stats.commits).toBeGreaterThan(400 * 20);
    expect(stats.elections).toBeGreaterThan(400);
    expect(stats.crashes).toBeGreaterThan(400);
    expect(stats.tornWrites).toBeGreaterThan(0);
    expect(stats.partitions).toBeGreaterThan(400);
    expect(stats.snapshotsInstalled).toBeGreaterThan(0);
    expect(stats.confChangesCommitted).toBeGreaterThan(0);
    expect(stats.putsAcknowledged).toBeGreaterThan(400 * 10);
    expect(stats.putsUnknown).toBeGreaterThan(0);
    expect(stats.readsServed).toBeGreaterThan(400 * 5);
    expect(stats.checkUnknown).toBe(0);
  });

  it("five nodes", () => {
    const stats = sweep(150, { nodes: 5 });
    expect(stats.commits).toBeGreaterThan(150 * 10);
  });

  it("plain Raft: no pre-vote, no check quorum, no membership changes", () => {
    const stats = sweep(100, {
      scenario: { preVote: false, checkQuorum: false, readMode: "read-index", membership: false },
    });
    expect(stats.readsServed).toBeGreaterThan(100);
  });

  it("lease reads with membership changes", () => {
    const stats = sweep(100, {
      scenario: { preVote: true, checkQuorum: true, readMode: "lease", membership: true },
    });
    expect(stats.readsServed).toBeGreaterThan(100);
    expect(stats.confChangesCommitted).toBeGreaterThan(0);
  });
});

describe("replay", () => {
  it("a seed replays exactly: same trace hash, same statistics", () => {
    const first = runSimulation({ seed: 4242, steps: STEPS, nodes: 5 });
    const again = runSimulation({ seed: 4242, steps: STEPS, nodes: 5 });
    expect(again.traceHash).toBe(first.traceHash);
    expect(again.stats).toEqual(first.stats);
    expect(runSimulation({ seed: 4243, steps: STEPS, nodes: 5 }).traceHash).not.toBe(
      first.traceHash,
    );
  });
});

describe("mutations are caught", () => {
  const cases: [Mutation, string, readonly string[]][] = [
    [
      "vote-twice",
      "a core that grants a second vote in a term",
      ["election-safety", "leader-completeness", "state-machine-safety", "linearizability"],
    ],
    [
      "ignore-log-check",
      "a core that votes for candidates with stale logs",
      ["leader-completeness", "state-machine-safety", "linearizability"],
    ],
    ["ack-before-persist", "a runtime that acknowledges before the fsync", ["durability"]],
    ["stale-reads", "a runtime that serves reads from local state", ["linearizability"]],
  ];
  for (const [mutation, description, invariants] of cases) {
    it(`${description} (${mutation})`, () => {
      let found: SimResult | undefined;
      for (let seed = 1; seed <= 100 && found === undefined; seed++) {
        const result = runSimulation({ seed, steps: STEPS, mutation });
        if (result.violation !== undefined) found = result;
      }
      expect(found?.violation?.invariant).toBeDefined();
      expect(invariants).toContain(found?.violation?.invariant);
    });
  }
});

/**
 * The simulator from the command line:
 *
 *   npm run sim -- --seeds N --steps M [--seed S] [--nodes 3|5] [--mutation vote-twice]
 *
 * Runs seeds S, S+1, ..., S+N-1 (S defaults to 1; `--seed S` alone replays that one seed), prints
 * a summary, and exits 1 at the first violation with its seed, scenario and invariant.
 */
import { parseArgs } from "node:util";
import type { Mutation } from "./sim-node.js";
import { describeScenario, runSimulation, type SimStats } from "./simulator.js";

const MUTATIONS: readonly Mutation[] = [
  "vote-twice",
  "ignore-log-check",
  "ack-before-persist",
  "stale-reads",
];

function main(): number {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string" },
      steps: { type: "string", default: "2000" },
      seed: { type: "string" },
      nodes: { type: "string", default: "3" },
      mutation: { type: "string" },
      verbose: { type: "boolean", default: false },
    },
  });
  const first = Number(values.seed ?? 1);
  const seeds = Number(values.seeds ?? (values.seed === undefined ? 100 : 1));
  const steps = Number(values.steps);
  const nodes = Number(values.nodes);
  const mutation = values.mutation as Mutation | undefined;
  if (![first, seeds, steps].every(Number.isSafeInteger) || seeds < 1 || steps < 1) {
    console.error("usage: sim --seeds N --steps M [--seed S] [--nodes 3|5] [--mutation m]");
    return 2;
  }
  if (nodes !== 3 && nodes !== 5) {
    console.error("--nodes must be 3 or 5");
    return 2;
  }
  if (mutation !== undefined && !MUTATIONS.includes(mutation)) {
    console.error(`--mutation must be one of ${MUTATIONS.join(", ")}`);
    return 2;
  }
  const started = performance.now();
  const totals: Partial<Record<keyof SimStats, number>> = {};
  for (let seed = first; seed < first + seeds; seed++) {
    const result = runSimulation({
      seed,
      steps,
      nodes,
      ...(mutation === undefined ? {} : { mutation }),
    });
    for (const [key, value] of Object.entries(result.stats) as [keyof SimStats, number][]) {
      totals[key] = (totals[key] ?? 0) + value;
    }
    if (values.verbose) {
      console.log(
        `seed ${seed}: trace ${result.traceHash.toString(16)} ${JSON.stringify(result.stats)}`,
      );
    }
    if (result.violation !== undefined) {
      const v = result.violation;
      console.error(`VIOLATION at seed ${seed} (${nodes} nodes, ${steps} steps): ${v.invariant}`);
      console.error(`  at event ${v.step}, virtual time ${v.time} ms`);
      console.error(`  scenario: ${describeScenario(result.scenario)}`);
      console.error(`  ${v.detail.split("\n").join("\n  ")}`);
      console.error(
        `replay: npm run sim -- --seed ${seed} --steps ${steps} --nodes ${nodes}${mutation === undefined ? "" : ` --mutation ${mutation}`}`,
      );
      summary(seed - first + 1, steps, totals, started, 1);
      return 1;
    }
  }
  summary(seeds, steps, totals, started, 0);
  return 0;
}

function summary(
  seeds: number,
  steps: number,
  totals: Partial<Record<keyof SimStats, number>>,
  started: number,
  violations: number,
): void {
  const t = (key: keyof SimStats) => totals[key] ?? 0;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    [
      `seeds ${seeds} × steps ${steps}: ${t("events")} events, ${(t("virtualMs") / 1000).toFixed(0)} virtual s, ${seconds.toFixed(1)} s wall`,
      `elections ${t("elections")}, commits ${t("commits")}, crashes ${t("crashes")} (torn ${t("tornWrites")}), partitions ${t("partitions")}`,
      `messages ${t("messages")}, snapshots taken ${t("snapshots")} / installed ${t("snapshotsInstalled")}, transfers ${t("transfers")}, membership changes ${t("confChanges")} / committed ${t("confChangesCommitted")}`,
      `puts acknowledged ${t("putsAcknowledged")}, unknown ${t("putsUnknown")}, reads ${t("readsServed")}, checks out of budget ${t("checkUnknown")}`,
      `violations ${violations}`,
    ].join("\n"),
  );
}

process.exitCode = main();

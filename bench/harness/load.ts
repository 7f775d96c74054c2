/**
 * A closed-loop load: N callers each issue one operation, wait for it, and issue the next, for
 * a fixed duration or until a shared budget of operations is spent. Latency is recorded in
 * microseconds per operation; a failed operation is counted, not timed.
 */
import { Histogram, type HistogramSnapshot } from "./histogram.js";

/** How long a phase runs: wall-clock milliseconds, or a number of operations for all callers. */
export type Phase = { readonly durationMs: number } | { readonly ops: number };

/** One operation; `caller` is in [0, concurrency), `seq` counts operations across callers. */
export type Operation = (caller: number, seq: number) => Promise<void>;

/** What one phase did in one process. */
export interface LoadResult {
  readonly ops: number;
  readonly errors: number;
  readonly firstError?: string;
  /** Wall-clock bounds of the phase, in milliseconds since the epoch (comparable across processes). */
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  /** Latencies of the successful operations, in microseconds. */
  readonly latencyUs: HistogramSnapshot;
}

/** A phase gives up after this many failures: the system under test is broken, not slow. */
const MAX_ERRORS = 1000;

/** Runs `op` from `concurrency` callers for `phase`. */
export async function runPhase(
  op: Operation,
  concurrency: number,
  phase: Phase,
  seqBase = 0,
): Promise<LoadResult> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer: ${concurrency}`);
  }
  const histogram = new Histogram();
  let seq = seqBase;
  let errors = 0;
  let firstError: string | undefined;
  let budget = "ops" in phase ? phase.ops : Number.POSITIVE_INFINITY;
  const startedAtMs = epochNow();
  const deadline = "durationMs" in phase ? performance.now() + phase.durationMs : Infinity;
  const caller = async (id: number) => {
    while (budget > 0 && performance.now() < deadline && errors < MAX_ERRORS) {
      budget--;
      const at = performance.now();
      try {
        await op(id, seq++);
        histogram.record((performance.now() - at) * 1000);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => caller(id)));
  return {
    ops: histogram.count,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    startedAtMs,
    endedAtMs: epochNow(),
    latencyUs: histogram.snapshot(),
  };
}

/** Combines the results of the same phase run in several processes. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  if (results.length === 0) throw new RangeError("nothing to merge");
  const histogram = new Histogram();
  for (const result of results) histogram.add(result.latencyUs);
  const firstError = results.find((result) => result.firstError !== undefined)?.firstError;
  return {
    ops: results.reduce((sum, result) => sum + result.ops, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    ...(firstError === undefined ? {} : { firstError }),
    startedAtMs: Math.min(...results.map((result) => result.startedAtMs)),
    endedAtMs: Math.max(...results.map((result) => result.endedAtMs)),
    latencyUs: histogram.snapshot(),
  };
}

/** Splits `total` into `parts` integers that differ by at most one, larger ones first. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

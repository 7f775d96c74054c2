/**
 * Runs one RPC on a replicated service — the MDS (one leader among several processes) or a
 * copyset of metaservers — with the retry policy of retry-policy.ts: the known leader first,
 * leader hints followed at once, other replicas after a backoff, stale routes refreshed, and a
 * deadline on every attempt.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { classifyFailure, RetryBudget, type RetryOptions } from "./retry-policy.js";

/** The replicas of one group, read afresh on every attempt (a route refresh may change them). */
export interface ReplicaGroup {
  /** What to call the group in errors, e.g. "copyset 1/3". */
  readonly label: string;
  /** Base URLs to try, the believed leader first. */
  candidates(): readonly string[];
  /** Records the leader learned from a success or a hint (undefined: unknown). */
  setLeader(baseUrl: string | undefined): void;
  /** A leader hint ("host:port") as a base URL. */
  urlOfHint(hint: string): string;
  /**
   * Reloads the route from the MDS and says whether the target still exists there (false:
   * the error is final). Absent where routes cannot be stale (the MDS itself).
   */
  refreshRoute?(): Promise<boolean>;
}

export interface ReplicaCallOptions {
  readonly timeoutMs: number;
  readonly retry?: RetryOptions;
  /** Whether a repeat after an unanswered attempt is harmless (see classifyFailure). */
  readonly idempotent: boolean;
  /** Set to true when an attempt failed and was retried (callers of non-idempotent RPCs use it). */
  readonly trace?: { retried: boolean };
}

export async function callReplicated<T>(
  group: ReplicaGroup,
  call: (baseUrl: string, timeoutMs: number) => Promise<T>,
  options: ReplicaCallOptions,
): Promise<T> {
  const budget = new RetryBudget(options.retry);
  const tried = new Set<string>();
  let redirectTo: string | undefined;
  for (;;) {
    const address = redirectTo ?? pickUntried(group.candidates(), tried);
    redirectTo = undefined;
    if (address === undefined) {
      throw new CurveError(ErrorReason.LEADER_UNKNOWN, `${group.label} has no known members`);
    }
    try {
      const result = await call(address, options.timeoutMs);
      group.setLeader(address);
      return result;
    } catch (error) {
      const decision = classifyFailure(error, options.idempotent);
      if (decision.kind === "final" || !budget.spend()) throw error;
      if (options.trace) options.trace.retried = true;
      switch (decision.kind) {
        case "redirect": {
          const hinted = group.urlOfHint(decision.leaderHint);
          group.setLeader(hinted);
          // A hint to a server that already failed us means the group is electing: pause.
          if (tried.has(hinted) || hinted === address) await sleep(budget.nextBackoffMs());
          tried.add(address);
          redirectTo = hinted;
          break;
        }
        case "elsewhere":
          group.setLeader(undefined);
          tried.add(address);
          if (group.candidates().every((c) => tried.has(c))) {
            tried.clear();
            await sleep(budget.nextBackoffMs());
          }
          break;
        case "wait":
          await sleep(budget.nextBackoffMs(decision.afterMs));
          redirectTo = address;
          break;
        case "refresh-route":
          // The MDS still routing here means a replica is behind (just created, or replaying
          // its log after a restart): ask the others, then wait, within the budget.
          if (group.refreshRoute === undefined || !(await group.refreshRoute())) throw error;
          tried.add(address);
          if (group.candidates().every((c) => tried.has(c))) {
            tried.clear();
            await sleep(budget.nextBackoffMs());
          }
          break;
      }
    }
  }
}

function pickUntried(candidates: readonly string[], tried: Set<string>): string | undefined {
  const fresh = candidates.find((c) => !tried.has(c));
  if (fresh !== undefined) return fresh;
  tried.clear();
  return candidates[0];
}

/**
 * The proposals a leader accepted and has not applied yet. A proposal committed iff the entry
 * applied at its index has its term (core/README.md); any other entry there means it was
 * overwritten by a later leader.
 */
import { dropped } from "./node-error.js";

interface Pending<Result> {
  readonly term: number;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export class ProposalTracker<Result> {
  private readonly pending = new Map<number, Pending<Result>>();

  get size(): number {
    return this.pending.size;
  }

  /** Resolves with the state machine's result once the entry at (index, term) is applied. */
  track(index: number, term: number): Promise<Result> {
    return new Promise((resolve, reject) => this.pending.set(index, { term, resolve, reject }));
  }

  /**
   * The entry at `index` with `term` was applied: resolve its proposal with `result` (undefined
   * for entries that are not commands, which no proposal of this tracker can be waiting for).
   */
  settle(index: number, term: number, result: Result | undefined): void {
    const proposal = this.pending.get(index);
    if (proposal === undefined) return;
    this.pending.delete(index);
    if (proposal.term === term) proposal.resolve(result as Result);
    else proposal.reject(dropped(index));
  }

  rejectAll(error: unknown): void {
    for (const proposal of this.pending.values()) proposal.reject(error);
    this.pending.clear();
  }
}

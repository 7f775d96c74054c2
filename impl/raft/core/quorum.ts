/**
 * Majority arithmetic over one configuration (no joint consensus: membership changes one voter at
 * a time, so a single majority is always the rule).
 */
import type { NodeId } from "./types.js";

/** The smallest number of voters that forms a majority of `size`. */
export function majority(size: number): number {
  return Math.floor(size / 2) + 1;
}

/**
 * The largest index that a majority of `voters` has reached, given each voter's index (its match
 * index for commit, its acknowledged read round for read-index). An empty configuration reaches
 * nothing: 0.
 */
export function quorumIndex(voters: readonly NodeId[], indexOf: (voter: NodeId) => number): number {
  if (voters.length === 0) return 0;
  const indexes = voters.map(indexOf).sort((a, b) => b - a);
  return indexes[majority(voters.length) - 1] ?? 0;
}

export type VoteResult = "won" | "lost" | "pending";

/**
 * The outcome of an election given the answers so far (`true` granted, `false` refused; voters
 * missing from `votes` have not answered). Answers from non-voters are ignored.
 */
export function voteResult(
  voters: readonly NodeId[],
  votes: ReadonlyMap<NodeId, boolean>,
): VoteResult {
  const needed = majority(voters.length);
  let granted = 0;
  let refused = 0;
  for (const voter of voters) {
    const vote = votes.get(voter);
    if (vote === true) granted++;
    else if (vote === false) refused++;
  }
  if (granted >= needed) return "won";
  if (voters.length - refused < needed) return "lost";
  return "pending";
}

/** Whether the voters for which `isActive` holds form a majority. */
export function hasQuorum(
  voters: readonly NodeId[],
  isActive: (voter: NodeId) => boolean,
): boolean {
  let active = 0;
  for (const voter of voters) if (isActive(voter)) active++;
  return active >= majority(voters.length);
}

/**
 * Linearizable reads without log entries (Raft dissertation §6.4, the spec's "Linearizable
 * reads"). A read registered at commit index c is safe to serve once (1) the leader has
 * committed an entry of its term (so c covers every earlier committed write), and (2) a majority
 * has acknowledged a message the leader sent after the read was registered, proving that no newer
 * leader existed at registration time; then the state machine serves it once applied >= c.
 *
 * Rounds: the leader stamps every AppendEntries with a read context, a number that increases
 * within its term; a new round starts at every heartbeat and when reads are waiting. Followers
 * echo it. A read registered while round r is the latest waits for round r + 1, and is released
 * when a majority (the leader counting itself) has echoed r + 1 or later. So one round confirms
 * every read registered before it, and periodic heartbeats retry lost rounds by themselves.
 *
 * Lease: the echo of round r also proves the follower heard from this leader after round r
 * started, and (with check quorum) a follower refuses votes for an election timeout after it
 * hears from a leader. So no other leader can exist until the start of the latest round a
 * majority confirmed plus the election timeout, minus a margin for clock drift: the leader's
 * lease, during which reads need no round.
 */
import { quorumIndex } from "./quorum.js";
import type { ReadState } from "./ready.js";
import type { NodeId } from "./types.js";

interface PendingRead {
  readonly requestId: string;
  readonly index: number;
  readonly round: number;
}

export class ReadIndexTracker {
  private round = 0;
  private roundWanted = false;
  /** Tick at which each round not yet superseded by a confirmed one started. */
  private readonly roundStarts = new Map<number, number>();
  private readonly acked = new Map<NodeId, number>();
  private pending: PendingRead[] = [];

  /** The read context to stamp on AppendEntries now. */
  get latestRound(): number {
    return this.round;
  }

  /** Reads are waiting for a round that has not been sent yet. */
  get wantsRound(): boolean {
    return this.roundWanted;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  register(requestId: string, commitIndex: number): void {
    this.pending.push({ requestId, index: commitIndex, round: this.round + 1 });
    this.roundWanted = true;
  }

  /** Starts a round at `tick` and returns its read context. */
  startRound(tick: number): number {
    this.round++;
    this.roundStarts.set(this.round, tick);
    this.roundWanted = false;
    return this.round;
  }

  recordAck(from: NodeId, round: number): void {
    if (round > (this.acked.get(from) ?? 0)) this.acked.set(from, round);
  }

  /** The latest round a majority of `voters` has confirmed (`self`, the leader, confirms all). */
  confirmedRound(voters: readonly NodeId[], self: NodeId): number {
    return quorumIndex(voters, (voter) =>
      voter === self ? this.round : (this.acked.get(voter) ?? 0),
    );
  }

  /** Removes and returns the reads that `confirmedRound` makes safe, oldest first. */
  release(confirmedRound: number): ReadState[] {
    const ready: ReadState[] = [];
    while (this.pending[0] !== undefined && this.pending[0].round <= confirmedRound) {
      const read = this.pending[0];
      ready.push({ requestId: read.requestId, index: read.index });
      this.pending.shift();
    }
    return ready;
  }

  /**
   * The tick at which the confirmed round started (the lease runs from there), or undefined when
   * no round is confirmed. Forgets the start of older rounds.
   */
  leaseStart(confirmedRound: number): number | undefined {
    for (const round of this.roundStarts.keys()) {
      if (round < confirmedRound) this.roundStarts.delete(round);
    }
    return this.roundStarts.get(confirmedRound);
  }
}

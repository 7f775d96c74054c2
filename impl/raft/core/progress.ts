/**
 * What a leader knows about one peer's log, and how it decides what to send next.
 *
 * - **probe**: the leader does not know where the peer's log matches its own. It sends one
 *   AppendEntries at a time (`next - 1` as the previous index) and waits for the answer, or for
 *   the next heartbeat response, before sending again; rejections move `next` back using the
 *   peer's hint.
 * - **replicate**: the match point is known; the leader streams entries optimistically (advancing
 *   `next` as it sends) within the inflight window.
 * - **snapshot**: the entries the peer needs are compacted away; an InstallSnapshot is in flight
 *   and nothing else but heartbeats is sent until it completes or fails.
 */
import { Inflights } from "./inflights.js";

export type ProgressState = "probe" | "replicate" | "snapshot";

export class Progress {
  /** The highest index known to match the leader's log on this peer. */
  match = 0;
  /** The index of the next entry to send. */
  next: number;
  state: ProgressState = "probe";
  /** In snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Heard from in the current check-quorum window (any response counts). */
  recentActive = false;
  /** In probe state: an AppendEntries is outstanding, so send nothing until an answer. */
  probeSent = false;
  /** The highest commit index sent to this peer, to skip empty appends that would tell nothing. */
  sentCommit = 0;
  /**
   * Since the last heartbeat, an append was sent to check whether entries to this peer were
   * lost (it answered without progress while behind); at most one per heartbeat interval.
   */
  lossCheckSent = false;
  readonly inflights: Inflights;

  constructor(next: number, maxInflight: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  becomeProbe(): void {
    // Leaving snapshot state after a successful install: the peer holds everything up to the
    // snapshot, so probing starts right after it.
    const resumeAfter = this.state === "snapshot" ? Math.max(this.match, this.pendingSnapshot) : 0;
    this.resetState("probe");
    this.next = Math.max(this.match + 1, resumeAfter + 1);
  }

  becomeReplicate(): void {
    this.resetState("replicate");
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState("snapshot");
    this.pendingSnapshot = snapshotIndex;
  }

  /**
   * An acknowledgement that the peer matches up to `index`. Returns whether `match` moved (a
   * stale or duplicate acknowledgement does not).
   */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      this.probeSent = false;
      updated = true;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection whose hint says the peer's log can only match at or below `matchHint`. In
   * replicate state the known match point is reliable, so the leader restarts from it; in probe
   * state it jumps back to just after the hint. `next` never goes below `match + 1`.
   */
  backOff(matchHint: number): void {
    if (this.state === "replicate") {
      this.becomeProbe();
      return;
    }
    this.next = Math.max(Math.min(this.next, matchHint + 1), this.match + 1);
    this.probeSent = false;
  }

  /** Whether the leader must hold back entries for now (heartbeats are never held back). */
  isPaused(): boolean {
    switch (this.state) {
      case "probe":
        return this.probeSent;
      case "replicate":
        return this.inflights.full();
      case "snapshot":
        return true;
    }
  }

  /** Records an AppendEntries sent with entries up to `lastIndex` (undefined when empty). */
  sentAppend(lastIndex: number | undefined, commit: number): void {
    this.sentCommit = Math.max(this.sentCommit, commit);
    if (this.state === "replicate") {
      if (lastIndex !== undefined) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.state === "probe") {
      this.probeSent = true;
    }
  }

  private resetState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.inflights.reset();
  }
}

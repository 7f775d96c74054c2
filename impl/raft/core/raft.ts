/**
 * The Raft state machine of one node of one group: pure, synchronous and deterministic.
 *
 * Inputs: `tick()`, `step(message)`, `campaign()`, `propose(data)`, `proposeConfChange(change)`,
 * `transferLeader(to)`, `readIndex(requestId)`, `reportUnreachable(to)`,
 * `reportSnapshotFailed(to)`, `forceConfiguration(voters)` (ResetPeer). Output: a `Ready` batch (see ready.ts), acknowledged with
 * `advance()`. No timers, IO, clock or global randomness: time is the tick count and election
 * timeouts come from the injected `Random`, so a seed replays a run exactly.
 *
 * The protocol is the one of proto/curve/raft/v1/raft.proto (pre-vote, leader lease and check
 * quorum, back-off hints, leadership transfer, single-voter membership changes effective when
 * committed, read index); the structure follows etcd raft.
 */
import { applyConfChange, decodeConfChange, encodeConfChange } from "./conf-change.js";
import { type RaftConfig, type ResolvedConfig, resolveConfig } from "./config.js";
import { err, ok, type RaftError, type Result } from "./errors.js";
import type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  InstallSnapshotRequest,
  InstallSnapshotResponse,
  Message,
  PreVoteRequest,
  PreVoteResponse,
  RejectReason,
  RequestVoteRequest,
  RequestVoteResponse,
  TimeoutNowRequest,
  TimeoutNowResponse,
} from "./messages.js";
import { isResponse } from "./messages.js";
import { Progress, type ProgressState } from "./progress.js";
import { hasQuorum, quorumIndex, voteResult } from "./quorum.js";
import { RaftLog } from "./raft-log.js";
import { ReadIndexTracker } from "./read-index.js";
import type { Notice, ReadState, Ready } from "./ready.js";
import {
  type ConfChange,
  type ConfState,
  type Entry,
  EntryType,
  type ForcedConf,
  type HardState,
  type NodeId,
  type Role,
  type SoftState,
} from "./types.js";

const EMPTY = new Uint8Array(0);

/** Committed entries scanned per step when looking for configuration changes. */
const CONF_SCAN_BATCH = 1024;

/** Where an accepted proposal was appended; it is committed when an entry at `index` with `term` is applied. */
export interface ProposalAccepted {
  readonly index: number;
  readonly term: number;
}

/**
 * An accepted membership change: its entry is appended (a removal, or an addition whose peer has
 * caught up), or the new peer is still catching up and the entry will follow.
 */
export type ConfChangeAccepted =
  | { readonly appended: true; readonly index: number; readonly term: number }
  | { readonly appended: false };

export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly recentActive: boolean;
  readonly pendingSnapshot: number;
  /** A peer being caught up before its addition; not a voter. */
  readonly catchingUp: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly leader: NodeId;
  readonly role: Role;
  readonly commit: number;
  readonly applied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  /** The configuration in force (that of the latest committed change). */
  readonly conf: ConfState;
  /** The peer leadership is being transferred to, or "". */
  readonly transferee: NodeId;
  /** Leader only: replication state of every peer, itself included. */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus>;
}

/** What `forceConfiguration` did. */
export interface ForceAccepted {
  /** The configuration before the call. */
  readonly old: ConfState;
  /** The configuration forced, to store durably; undefined when it already was in force. */
  readonly forced: ForcedConf | undefined;
  /** The term after the call (incremented when `forced` is set). */
  readonly term: number;
}

type CampaignKind = "pre-vote" | "election" | "transfer";

/** What `advance()` acknowledges. */
interface HandedOut {
  readonly hardState: HardState;
  readonly lastEntry: { readonly index: number; readonly term: number } | undefined;
  readonly snapshotIndex: number | undefined;
  readonly lastCommitted: number | undefined;
}

interface PendingConfChange {
  readonly change: ConfChange;
  readonly index: number;
  readonly term: number;
}

export class Raft {
  readonly id: NodeId;
  private readonly cfg: ResolvedConfig;
  private readonly log: RaftLog;

  private term = 0;
  private vote: NodeId = "";
  private lead: NodeId = "";
  private role: Role = "follower";
  private conf: ConfState;
  /** Committed CONF_CHANGE entries up to here have been applied to `conf`. */
  private confIndex: number;
  /**
   * Set by forceConfiguration (or handed back on restart) until a CONF_CHANGE entry above its
   * index commits: `conf` is its configuration, and committed entries up to its index are
   * ignored (a reset node's log may hold changes of the configuration it replaced).
   */
  private forced: ForcedConf | undefined = undefined;

  private ticks = 0;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  /**
   * Lease mode only: a restarted node cannot know whether it was following a live leader, so it
   * refuses votes for its first election timeout, as if it were (the lease must survive crashes).
   */
  private startupLease: boolean;
  private readonly votes = new Map<NodeId, boolean>();

  // Leader state; reset on every role change.
  private readonly progress = new Map<NodeId, Progress>();
  /** No CONF_CHANGE may be appended while the entry at this index is uncommitted. */
  private pendingConfIndex = 0;
  private pendingConf: PendingConfChange | undefined = undefined;
  private catchUp: { readonly change: ConfChange; idleTicks: number } | undefined = undefined;
  private leadTransferee: NodeId = "";
  private transferElapsed = 0;
  private timeoutNowSent = false;
  /** A TimeoutNow went out in this leadership: a rival may campaign through our lease. */
  private leaseRevoked = false;
  private removedSelf = false;
  private broadcastWanted = false;
  private readIndexTracker = new ReadIndexTracker();
  private readsAwaitingTermCommit: string[] = [];

  // Output collected for the next Ready.
  private outbox: Message[] = [];
  private readStates: ReadState[] = [];
  private notices: Notice[] = [];
  private persistedHardState: HardState;
  private reportedSoftState: SoftState = { leader: "", role: "follower" };
  private handedOut: HandedOut | undefined = undefined;

  constructor(config: RaftConfig) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    const storage = this.cfg.storage;
    this.log = new RaftLog(storage);

    const hardState = storage.initialState();
    const snapshot = storage.snapshot();
    const commit = Math.max(hardState.commit, snapshot.meta.index);
    if (commit > this.log.lastIndex()) {
      throw new RangeError(
        `raft: commit ${commit} is beyond the last index ${this.log.lastIndex()}`,
      );
    }
    this.log.committed = commit;
    this.log.applied = Math.min(Math.max(this.cfg.applied, snapshot.meta.index), commit);
    this.conf = sortedConf(snapshot.meta.conf);
    this.confIndex = snapshot.meta.index;
    const forced = this.cfg.forcedConf;
    // A snapshot above the reset index was taken after the forced configuration was superseded.
    if (forced !== undefined && forced.index >= snapshot.meta.index) {
      this.forced = { conf: sortedConf(forced.conf), index: forced.index };
      this.conf = this.forced.conf;
    }
    this.term = hardState.term;
    this.vote = hardState.vote;
    this.persistedHardState = {
      term: hardState.term,
      vote: hardState.vote,
      commit: hardState.commit,
    };
    this.becomeFollower(this.term, "");
    this.applyConfThrough(commit);
    this.startupLease = this.cfg.readMode === "lease";
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs

  /** Advances logical time by one tick. */
  tick(): void {
    this.ticks++;
    if (this.role === "leader") this.tickLeader();
    else this.tickElection();
  }

  /** Starts an election now (pre-vote first when enabled); a no-op on a leader or non-voter. */
  campaign(): void {
    this.startCampaign(this.cfg.preVote ? "pre-vote" : "election");
  }

  /** Handles a message from a peer. Messages addressed to another node are ignored. */
  step(message: Message): void {
    if (message.to !== this.id || message.from === this.id) return;
    if (message.type === "pre-vote" || message.type === "request-vote") {
      this.handleVoteRequest(message);
      return;
    }
    if (message.term < this.term) {
      this.stepLowerTerm(message);
      return;
    }
    if (message.term > this.term) {
      // A granted pre-vote answer carries the voter's term, which says nothing about leaders.
      if (!(message.type === "pre-vote-response" && message.granted)) {
        const fromLeader = !isResponse(message);
        this.becomeFollower(message.term, fromLeader ? message.from : "");
      }
    }
    switch (message.type) {
      case "append-entries":
      case "install-snapshot":
      case "timeout-now":
        this.stepLeaderRequest(message);
        return;
      case "pre-vote-response":
        if (this.role === "pre-candidate") this.recordVote(message.from, message.granted);
        return;
      case "request-vote-response":
        if (this.role === "candidate") this.recordVote(message.from, message.granted);
        return;
      case "append-entries-response":
        if (this.role === "leader") this.handleAppendResponse(message);
        return;
      case "install-snapshot-response":
        if (this.role === "leader") this.handleSnapshotResponse(message);
        return;
      case "timeout-now-response":
        if (this.role === "leader" && !message.success && message.from === this.leadTransferee) {
          this.abortTransfer("rejected");
        }
        return;
    }
  }

  /**
   * DANGEROUS (CliService.ResetPeer): makes `voters` this node's configuration now, bypassing
   * consensus, to recover a group that lost its majority for good. Refused with "group-healthy"
   * while this node leads or heard from a leader within the election timeout. Otherwise the node
   * moves to the next term with no vote, as a follower with no progress tracking, and campaigns
   * under `voters`; the forced configuration overrides that of its log and snapshot until a
   * CONF_CHANGE entry above its current last index commits, and each leadership of this node
   * until then starts with a RESET entry carrying `voters` (instead of the no-op), which teaches
   * the configuration to every later member. The runtime must store `forced` durably (with the
   * new term, which the next Ready carries) before reporting success, and pass it back as
   * `RaftConfig.forcedConf` on restart. Already in force (as a set): no change, term kept.
   */
  forceConfiguration(voters: readonly NodeId[]): Result<ForceAccepted> {
    const old = this.conf;
    const conf = sortedConf({ voters: [...new Set(voters)] });
    if (!conf.voters.includes(this.id)) {
      return err({ reason: "conf-change-invalid", detail: "the voters must include this node" });
    }
    if (conf.voters.length > this.cfg.maxVoters) {
      return err({ reason: "conf-change-invalid", detail: `at most ${this.cfg.maxVoters} voters` });
    }
    if (sameVoters(old, conf)) return ok({ old, forced: undefined, term: this.term });
    const healthy =
      this.role === "leader" || (this.lead !== "" && this.electionElapsed < this.cfg.electionTicks);
    if (healthy) return err({ reason: "group-healthy", leader: this.lead });
    this.forced = { conf, index: this.log.lastIndex() };
    this.conf = conf;
    // A new term with no vote: whatever this node promised under the old configuration stays in
    // the old term. becomeFollower also drops votes and progress.
    this.becomeFollower(this.term + 1, "");
    return ok({ old, forced: this.forced, term: this.term });
  }

  /** Appends a command. Leader only; refused while a leadership transfer is in progress. */
  propose(data: Uint8Array): Result<ProposalAccepted> {
    const refused = this.refuseUnlessAcceptingWrites();
    if (refused !== undefined) return refused;
    const entry = this.appendEntry(EntryType.Normal, data);
    return ok({ index: entry.index, term: entry.term });
  }

  /**
   * Adds or removes one voter. A removal is appended at once. An addition first replicates the
   * log to the new peer (as a non-voter) until it is within `catchUpMargin` entries of the
   * leader and served from the log, then appends the entry; a peer that makes no progress for
   * `catchUpTimeoutTicks` is given up (notice "conf-change-aborted"). The change takes effect
   * when its entry commits; a leader that removed itself then steps down.
   *
   * Asking again for the change in progress joins it (same answer); any other change is refused
   * until it is committed.
   */
  proposeConfChange(change: ConfChange): Result<ConfChangeAccepted> {
    const refused = this.refuseUnlessAcceptingWrites();
    if (refused !== undefined) return refused;
    const pending = this.pendingConf;
    if (
      pending !== undefined &&
      pending.index > this.log.committed &&
      pending.change.kind === change.kind &&
      pending.change.node === change.node
    ) {
      return ok({ appended: true, index: pending.index, term: pending.term });
    }
    if (
      this.catchUp !== undefined &&
      change.kind === "add" &&
      this.catchUp.change.node === change.node
    ) {
      return ok({ appended: false });
    }
    const isVoter = this.conf.voters.includes(change.node);
    if (change.kind === "add" && isVoter) {
      return err({ reason: "peer-already-member", node: change.node });
    }
    if (change.kind === "remove" && !isVoter) {
      return err({ reason: "peer-not-member", node: change.node });
    }
    if (this.catchUp !== undefined || this.pendingConfIndex > this.log.committed) {
      return err({ reason: "conf-change-in-progress" });
    }
    if (change.kind === "remove") {
      if (this.conf.voters.length === 1) {
        return err({ reason: "conf-change-invalid", detail: "cannot remove the last voter" });
      }
      const entry = this.appendConfChange(change);
      return ok({ appended: true, index: entry.index, term: entry.term });
    }
    if (this.conf.voters.length >= this.cfg.maxVoters) {
      return err({ reason: "conf-change-invalid", detail: `at most ${this.cfg.maxVoters} voters` });
    }
    this.catchUp = { change, idleTicks: 0 };
    if (!this.progress.has(change.node)) this.progress.set(change.node, this.newProgress());
    this.sendAppend(change.node, true);
    return ok({ appended: false });
  }

  /**
   * Hands leadership to `to` (default: the voter with the most up-to-date log). The leader stops
   * accepting proposals, catches the transferee up, then sends it TimeoutNow; the transfer is
   * abandoned after an election timeout (notice "transfer-aborted"). It succeeds when this node
   * steps down in favour of the transferee (visible in the soft state).
   */
  transferLeader(to?: NodeId): Result<void> {
    if (this.role !== "leader") return err({ reason: "not-leader", leader: this.lead });
    const target = to ?? this.mostUpToDatePeer();
    if (target === this.id) return ok(undefined);
    if (target === undefined || !this.conf.voters.includes(target)) {
      return err({ reason: "peer-not-member", node: target ?? "" });
    }
    if (target === this.leadTransferee) return ok(undefined);
    if (this.confChangeInProgress()) return err({ reason: "conf-change-in-progress" });
    if (this.leadTransferee !== "") {
      return err({ reason: "leader-transferring", transferee: this.leadTransferee });
    }
    this.leadTransferee = target;
    this.transferElapsed = 0;
    this.timeoutNowSent = false;
    const progress = this.progress.get(target);
    if (progress !== undefined && progress.match === this.log.lastIndex()) {
      this.sendTimeoutNow(target);
    } else {
      this.sendAppend(target, true);
    }
    return ok(undefined);
  }

  /**
   * Registers a linearizable read. Its `ReadState` appears in a later Ready once leadership is
   * confirmed; serve it when the applied index reaches `ReadState.index`. Reads pending when
   * this node stops leading are never answered: fail them when the soft state shows it.
   */
  readIndex(requestId: string): Result<void> {
    if (this.role !== "leader") return err({ reason: "not-leader", leader: this.lead });
    if (this.committedInCurrentTerm()) this.serveRead(requestId);
    else this.readsAwaitingTermCommit.push(requestId);
    return ok(undefined);
  }

  /** The transport could not deliver to `to`: stop streaming and probe it again. */
  reportUnreachable(to: NodeId): void {
    const progress = this.role === "leader" ? this.progress.get(to) : undefined;
    if (progress?.state === "replicate") progress.becomeProbe();
  }

  /**
   * The transport gave up sending the snapshot to `to`: probe again after the next heartbeat.
   * The transport must report every transfer that fails or is abandoned: the leader sends
   * nothing but heartbeats to a peer in snapshot state until the transfer ends either way. (A
   * lost final response is harmless: the next heartbeat answer shows the installed index.)
   */
  reportSnapshotFailed(to: NodeId): void {
    const progress = this.role === "leader" ? this.progress.get(to) : undefined;
    if (progress?.state !== "snapshot") return;
    progress.pendingSnapshot = 0;
    progress.becomeProbe();
    progress.probeSent = true;
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  /** Whether `ready()` has anything to hand out (always false until the last one is advanced). */
  hasReady(): boolean {
    if (this.handedOut !== undefined) return false;
    return (
      !sameSoftState(this.softState(), this.reportedSoftState) ||
      !sameHardState(this.hardState(), this.persistedHardState) ||
      this.log.unstable.entries.length > 0 ||
      this.log.unstable.snapshot !== undefined ||
      this.log.hasNextCommittedEntries() ||
      this.outbox.length > 0 ||
      this.readStates.length > 0 ||
      this.notices.length > 0 ||
      (this.role === "leader" && (this.broadcastWanted || this.readIndexTracker.wantsRound))
    );
  }

  /** Collects the next batch of work for the runtime (see ready.ts for the contract). */
  ready(): Ready {
    if (this.handedOut !== undefined) {
      throw new Error("raft: ready() called again before advance()");
    }
    if (this.role === "leader") {
      // Deferred to here so that every proposal and acknowledgement since the last batch shares
      // one AppendEntries per follower, and all reads since then share one round.
      if (this.readIndexTracker.wantsRound) this.broadcastHeartbeat();
      this.flushBroadcast();
    }
    const softState = this.softState();
    const hardState = this.hardState();
    const termOrVoteChanged =
      hardState.term !== this.persistedHardState.term ||
      hardState.vote !== this.persistedHardState.vote;
    const entries = [...this.log.unstable.entries];
    const snapshot = this.log.unstable.snapshot;
    const committedEntries = this.log.nextCommittedEntries(this.cfg.maxCommittedBytesPerReady);
    const messages: Message[] = [];
    const messagesAfterPersist: Message[] = [];
    for (const message of this.outbox) {
      // A message carrying a term or vote this batch introduces must wait until it is durable,
      // or a crash could make this node forget a vote it cast or a term it led.
      if (termOrVoteChanged || isResponse(message)) messagesAfterPersist.push(message);
      else messages.push(message);
    }
    const last = entries.at(-1);
    this.handedOut = {
      hardState,
      lastEntry: last === undefined ? undefined : { index: last.index, term: last.term },
      snapshotIndex: snapshot?.meta.index,
      lastCommitted: committedEntries.at(-1)?.index,
    };
    const ready: Ready = {
      softState: sameSoftState(softState, this.reportedSoftState) ? undefined : softState,
      hardState: sameHardState(hardState, this.persistedHardState) ? undefined : hardState,
      snapshot,
      entries,
      mustSync: termOrVoteChanged || entries.length > 0 || snapshot !== undefined,
      committedEntries,
      messages,
      messagesAfterPersist,
      readStates: this.readStates,
      notices: this.notices,
    };
    this.reportedSoftState = softState;
    this.outbox = [];
    this.readStates = [];
    this.notices = [];
    return ready;
  }

  /**
   * The last Ready is handled: its snapshot, entries and hard state are durable and visible in
   * the LogStorage, and its committed entries are applied.
   */
  advance(): void {
    const handedOut = this.handedOut;
    if (handedOut === undefined) throw new Error("raft: advance() without a ready()");
    this.handedOut = undefined;
    if (handedOut.snapshotIndex !== undefined) {
      this.log.unstable.stableSnapshotTo(handedOut.snapshotIndex);
      this.log.appliedTo(handedOut.snapshotIndex);
    }
    if (handedOut.lastEntry !== undefined) {
      this.log.unstable.stableTo(handedOut.lastEntry.index, handedOut.lastEntry.term);
    }
    if (handedOut.lastCommitted !== undefined) this.log.appliedTo(handedOut.lastCommitted);
    this.persistedHardState = handedOut.hardState;
    if (this.role === "leader") {
      // The leader's own copy counts toward a majority only once it is durable.
      const own = this.progress.get(this.id);
      if (own?.maybeUpdate(this.log.lastPersistedIndex())) this.maybeCommit();
    }
  }

  status(): Status {
    const progress = new Map<NodeId, ProgressStatus>();
    for (const [id, pr] of this.progress) {
      progress.set(id, {
        match: pr.match,
        next: pr.next,
        state: pr.state,
        recentActive: pr.recentActive,
        pendingSnapshot: pr.pendingSnapshot,
        catchingUp: this.catchUp?.change.node === id,
      });
    }
    return {
      id: this.id,
      term: this.term,
      vote: this.vote,
      leader: this.lead,
      role: this.role,
      commit: this.log.committed,
      applied: this.log.applied,
      firstIndex: this.log.firstIndex(),
      lastIndex: this.log.lastIndex(),
      conf: this.conf,
      transferee: this.leadTransferee,
      progress,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Time

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) this.startupLease = false;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.startCampaign(this.cfg.preVote ? "pre-vote" : "election");
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.leadTransferee !== "" && ++this.transferElapsed >= this.cfg.electionTicks) {
      this.abortTransfer("timeout");
    }
    if (this.catchUp !== undefined && ++this.catchUp.idleTicks >= this.cfg.catchUpTimeoutTicks) {
      this.abortCatchUp();
    }
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) {
        const active = hasQuorum(
          this.conf.voters,
          (voter) => voter === this.id || this.progress.get(voter)?.recentActive === true,
        );
        for (const [id, pr] of this.progress) if (id !== this.id) pr.recentActive = false;
        if (!active) {
          this.becomeFollower(this.term, "");
          return;
        }
      }
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Roles

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = "";
    }
    this.lead = "";
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.votes.clear();
    this.progress.clear();
    this.pendingConfIndex = 0;
    this.pendingConf = undefined;
    this.catchUp = undefined;
    this.leadTransferee = "";
    this.transferElapsed = 0;
    this.timeoutNowSent = false;
    this.leaseRevoked = false;
    this.removedSelf = false;
    this.broadcastWanted = false;
    this.readIndexTracker = new ReadIndexTracker();
    this.readsAwaitingTermCommit = [];
  }

  private becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.role = "follower";
    this.lead = lead;
  }

  private becomePreCandidate(): void {
    // Neither term nor vote change: a pre-vote must leave no trace if it fails.
    this.role = "pre-candidate";
    this.lead = "";
    this.votes.clear();
    this.electionElapsed = 0;
    this.resetRandomizedElectionTimeout();
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.role = "candidate";
    this.vote = this.id;
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.role = "leader";
    this.lead = this.id;
    for (const voter of this.conf.voters) this.progress.set(voter, this.newProgress());
    const own = this.progress.get(this.id);
    if (own !== undefined) {
      own.maybeUpdate(this.log.lastPersistedIndex());
      own.becomeReplicate();
    }
    // The entry of its own term commits everything before it (Raft §5.4.2) and, until it commits,
    // holds back reads and membership changes. A reset node's is a RESET entry instead, which
    // carries its forced configuration to every member that receives it.
    const first =
      this.forced === undefined
        ? this.appendEntry(EntryType.NoOp, EMPTY)
        : this.appendEntry(
            EntryType.ConfChange,
            encodeConfChange({ change: { kind: "reset" }, conf: this.forced.conf }),
          );
    this.pendingConfIndex = first.index;
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout =
      this.cfg.electionTicks + this.cfg.random.nextInt(this.cfg.electionTicks);
  }

  private promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  /** A leader lease is running here: refuse votes (unless for a leadership transfer). */
  private inLease(): boolean {
    return (
      this.cfg.checkQuorum &&
      (this.lead !== "" || this.startupLease) &&
      this.electionElapsed < this.cfg.electionTicks
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Elections

  private startCampaign(kind: CampaignKind): void {
    if (!this.promotable() || this.role === "leader") return;
    if (kind === "pre-vote") this.becomePreCandidate();
    else this.becomeCandidate();
    this.votes.set(this.id, true);
    if (this.tallyVotes()) return;
    const term = kind === "pre-vote" ? this.term + 1 : this.term;
    const lastLogIndex = this.log.lastIndex();
    const lastLogTerm = this.log.lastTerm();
    for (const voter of this.conf.voters) {
      if (voter === this.id) continue;
      if (kind === "pre-vote") {
        this.send<PreVoteRequest>({ type: "pre-vote", to: voter, term, lastLogIndex, lastLogTerm });
      } else {
        this.send<RequestVoteRequest>({
          type: "request-vote",
          to: voter,
          term,
          lastLogIndex,
          lastLogTerm,
          leaderTransfer: kind === "transfer",
        });
      }
    }
  }

  private recordVote(from: NodeId, granted: boolean): void {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    this.tallyVotes();
  }

  /** Acts on the election's outcome; returns whether it is decided. */
  private tallyVotes(): boolean {
    const result = voteResult(this.conf.voters, this.votes);
    if (result === "won") {
      if (this.role === "pre-candidate") this.startCampaign("election");
      else this.becomeLeader();
      return true;
    }
    if (result === "lost") {
      this.becomeFollower(this.term, "");
      return true;
    }
    return false;
  }

  /**
   * PreVote and RequestVote, with the spec's order of refusals: stale term, leader lease,
   * already voted, log not up to date. A pre-vote never changes this node's state.
   */
  private handleVoteRequest(request: PreVoteRequest | RequestVoteRequest): void {
    const isVote = request.type === "request-vote";
    let refusal: RejectReason | undefined;
    if (request.term < this.term) refusal = "stale-term";
    else if (!(isVote && request.leaderTransfer) && this.inLease()) refusal = "leader-alive";
    else {
      if (isVote && request.term > this.term) this.becomeFollower(request.term, "");
      if (request.term === this.term && this.vote !== "" && this.vote !== request.from) {
        refusal = "already-voted";
      } else if (!this.log.isUpToDate(request.lastLogIndex, request.lastLogTerm)) {
        refusal = "log-not-up-to-date";
      }
    }
    if (refusal === undefined && isVote) {
      this.vote = request.from;
      this.electionElapsed = 0;
    }
    this.send<RequestVoteResponse | PreVoteResponse>({
      type: isVote ? "request-vote-response" : "pre-vote-response",
      to: request.from,
      term: this.term,
      granted: refusal === undefined,
      ...(refusal === undefined ? {} : { rejectReason: refusal }),
    });
  }

  /** A message of an older term: requests are refused so their sender learns the newer term. */
  private stepLowerTerm(message: Message): void {
    switch (message.type) {
      case "append-entries":
        this.send<AppendEntriesResponse>({
          type: "append-entries-response",
          to: message.from,
          term: this.term,
          success: false,
          rejectReason: "stale-term",
          matchIndex: 0,
          rejectHintIndex: 0,
          rejectHintTerm: 0,
          lastLogIndex: this.log.lastIndex(),
          readContext: message.readContext,
        });
        return;
      case "install-snapshot":
        this.send<InstallSnapshotResponse>({
          type: "install-snapshot-response",
          to: message.from,
          term: this.term,
          success: false,
          rejectReason: "stale-term",
          installed: false,
          lastLogIndex: this.log.lastIndex(),
        });
        return;
      case "timeout-now":
        this.send<TimeoutNowResponse>({
          type: "timeout-now-response",
          to: message.from,
          term: this.term,
          success: false,
          rejectReason: "stale-term",
        });
        return;
      // Refusals carry the voter's own (possibly lower) term, so they still count against the
      // election; a granted pre-vote answer carries the voter's term too.
      case "pre-vote-response":
        if (this.role === "pre-candidate") this.recordVote(message.from, message.granted);
        return;
      case "request-vote-response":
        if (this.role === "candidate" && !message.granted) this.recordVote(message.from, false);
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Follower side of replication

  private stepLeaderRequest(
    message: AppendEntriesRequest | InstallSnapshotRequest | TimeoutNowRequest,
  ): void {
    if (this.role === "leader") {
      // Two leaders in one term would take two majorities of votes; this cannot happen.
      return;
    }
    if (this.role !== "follower") this.becomeFollower(this.term, message.from);
    this.lead = message.from;
    switch (message.type) {
      case "append-entries":
        this.electionElapsed = 0;
        this.handleAppendEntries(message);
        return;
      case "install-snapshot":
        this.electionElapsed = 0;
        this.handleInstallSnapshot(message);
        return;
      case "timeout-now":
        this.handleTimeoutNow(message);
        return;
    }
  }

  private handleAppendEntries(request: AppendEntriesRequest): void {
    const answer = (
      fields: Pick<
        AppendEntriesResponse,
        "success" | "matchIndex" | "rejectHintIndex" | "rejectHintTerm" | "rejectReason"
      >,
    ): void => {
      this.send<AppendEntriesResponse>({
        type: "append-entries-response",
        to: request.from,
        term: this.term,
        ...fields,
        lastLogIndex: this.log.lastIndex(),
        readContext: request.readContext,
      });
    };
    if (request.prevLogIndex < this.log.committed) {
      // Everything up to the commit index matches the leader's log already.
      answer({
        success: true,
        matchIndex: this.log.committed,
        rejectHintIndex: 0,
        rejectHintTerm: 0,
      });
      return;
    }
    const prev = { index: request.prevLogIndex, term: request.prevLogTerm };
    const lastNew = this.log.maybeAppend(prev, request.entries);
    if (lastNew !== undefined) {
      this.commitTo(Math.min(request.leaderCommit, lastNew));
      answer({ success: true, matchIndex: lastNew, rejectHintIndex: 0, rejectHintTerm: 0 });
      return;
    }
    const hint = this.log.findConflictByTerm(
      Math.min(request.prevLogIndex, this.log.lastIndex()),
      request.prevLogTerm,
    );
    answer({
      success: false,
      rejectReason: "log-mismatch",
      matchIndex: 0,
      rejectHintIndex: hint.index,
      rejectHintTerm: hint.term,
    });
  }

  private handleInstallSnapshot(request: InstallSnapshotRequest): void {
    const meta = request.snapshot.meta;
    let installed = false;
    if (meta.index <= this.log.committed) {
      installed = true;
    } else if (request.done) {
      if (this.log.matchTerm(meta.index, meta.term)) {
        // The log already holds the snapshot's last entry: commit up to it and keep the log; the
        // state machine reaches the same state by applying the entries.
        this.commitTo(meta.index);
      } else {
        this.log.restore(request.snapshot);
        this.confIndex = meta.index;
        // A snapshot at or below the reset index predates the forced configuration.
        if (this.forced !== undefined && meta.index <= this.forced.index) {
          this.conf = this.forced.conf;
        } else {
          this.forced = undefined;
          this.conf = sortedConf(meta.conf);
        }
      }
      installed = true;
    }
    this.send<InstallSnapshotResponse>({
      type: "install-snapshot-response",
      to: request.from,
      term: this.term,
      success: true,
      installed,
      lastLogIndex: this.log.lastIndex(),
    });
  }

  private handleTimeoutNow(request: TimeoutNowRequest): void {
    if (!this.promotable()) {
      this.send<TimeoutNowResponse>({
        type: "timeout-now-response",
        to: request.from,
        term: this.term,
        success: false,
        rejectReason: "not-voter",
      });
      return;
    }
    this.startCampaign("transfer");
    this.send<TimeoutNowResponse>({
      type: "timeout-now-response",
      to: request.from,
      term: this.term,
      success: true,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Leader side of replication

  private handleAppendResponse(response: AppendEntriesResponse): void {
    const pr = this.progress.get(response.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    if (response.readContext > 0) {
      // Refusals for a log mismatch confirm leadership in this term just as well.
      this.readIndexTracker.recordAck(response.from, response.readContext);
      this.releaseReads();
    }
    if (!response.success) {
      if (response.rejectReason !== "log-mismatch" || pr.state === "snapshot") return;
      const matchHint =
        response.rejectHintTerm > 0
          ? this.log.findConflictByTerm(response.rejectHintIndex, response.rejectHintTerm).index
          : response.rejectHintIndex;
      pr.backOff(matchHint);
      this.sendAppend(response.from, true);
      return;
    }
    if (this.catchUp?.change.node === response.from) this.catchUp.idleTicks = 0;
    const advanced = pr.maybeUpdate(response.matchIndex);
    // A probe that lands exactly on the known match point also proves where the logs agree.
    if (advanced || (pr.state === "probe" && response.matchIndex === pr.match)) {
      if (pr.state === "probe") pr.becomeReplicate();
      else if (pr.state === "snapshot" && pr.match >= pr.pendingSnapshot) {
        pr.becomeProbe();
        pr.becomeReplicate();
      } else if (pr.state === "replicate") pr.inflights.freeLE(pr.match);
      if (advanced) this.maybeCommit();
      if (this.role !== "leader") return;
      // Fill the inflight window; tell the peer the commit index if it has not heard it yet.
      let sent = this.sendAppend(response.from, pr.sentCommit < this.log.committed);
      while (sent) sent = this.sendAppend(response.from, false);
    } else {
      // A heartbeat answer or a duplicate: nothing new is acknowledged, but the peer is alive.
      if (pr.state === "probe") pr.probeSent = false;
      else if (pr.state === "replicate" && pr.inflights.full()) pr.inflights.freeFirstOne();
      // Behind: an append (possibly empty) tells whether entries were lost on the way. Once per
      // heartbeat interval, like etcd's answer to a heartbeat response: the answers to that
      // append, or to appends still in flight, would otherwise each send another, a ping-pong
      // that lasts as long as any entry is in flight (several empty appends per commit).
      if (pr.match < this.log.lastIndex() && !pr.lossCheckSent) {
        pr.lossCheckSent = true;
        this.sendAppend(response.from, true);
      }
    }
    this.afterPeerProgress(response.from, pr);
  }

  private handleSnapshotResponse(response: InstallSnapshotResponse): void {
    const pr = this.progress.get(response.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    if (!response.success) {
      this.reportSnapshotFailed(response.from);
      return;
    }
    if (this.catchUp?.change.node === response.from) this.catchUp.idleTicks = 0;
    if (!response.installed || pr.state !== "snapshot") return;
    // The answer does not say which snapshot it installed: it may answer an earlier transfer, so
    // it must not count as holding the pending one (that would overstate `match` and let a
    // commit count a replica that lacks the entries). Probe right after the pending snapshot
    // instead; the peer's acknowledgement moves `match`, its refusal backs off (as etcd does).
    pr.becomeProbe();
    // The peer may have kept entries after the snapshot; probe from its end of log.
    pr.next = Math.max(pr.next, Math.min(response.lastLogIndex, this.log.lastIndex()) + 1);
    this.sendAppend(response.from, true);
    this.afterPeerProgress(response.from, pr);
  }

  /** Leadership transfer and catch-up wait for a peer's log; check whether it got there. */
  private afterPeerProgress(peer: NodeId, pr: Progress): void {
    if (peer === this.leadTransferee && !this.timeoutNowSent && pr.match === this.log.lastIndex()) {
      this.sendTimeoutNow(peer);
    }
    if (
      this.catchUp?.change.node === peer &&
      pr.match + 1 >= this.log.firstIndex() &&
      this.log.lastIndex() - pr.match <= this.cfg.catchUpMargin
    ) {
      const change = this.catchUp.change;
      this.catchUp = undefined;
      this.appendConfChange(change);
    }
  }

  /** Sends entries from the peer's next index, or a snapshot when they are compacted away. */
  private sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    const prevLogIndex = pr.next - 1;
    const prevLogTerm = this.log.term(prevLogIndex);
    const entries =
      prevLogTerm === undefined
        ? undefined
        : this.log.entriesFrom(pr.next, this.cfg.maxBytesPerAppend, this.cfg.maxEntriesPerAppend);
    if (prevLogTerm === undefined || entries === undefined) return this.sendSnapshot(to, pr);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send<AppendEntriesRequest>({
      type: "append-entries",
      to,
      term: this.term,
      prevLogIndex,
      prevLogTerm,
      entries,
      leaderCommit: this.log.committed,
      readContext: this.readIndexTracker.latestRound,
    });
    pr.sentAppend(entries.at(-1)?.index, this.log.committed);
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    // A peer that has not answered lately would most likely waste the transfer.
    if (!pr.recentActive) return false;
    const snapshot = this.log.snapshot();
    pr.becomeSnapshot(snapshot.meta.index);
    this.send<InstallSnapshotRequest>({
      type: "install-snapshot",
      to,
      term: this.term,
      snapshot,
      done: true,
    });
    return true;
  }

  /**
   * An empty AppendEntries to every peer, starting a read round. It claims to follow the peer's
   * match index, which the peer is known to hold, so it is never refused and lets the peer
   * commit up to there.
   */
  private broadcastHeartbeat(): void {
    const round = this.readIndexTracker.startRound(this.ticks);
    for (const to of this.peers()) {
      const pr = this.progress.get(to);
      if (pr === undefined) continue;
      pr.lossCheckSent = false;
      const matchTerm = this.log.term(pr.match);
      const prev =
        matchTerm === undefined ? { index: 0, term: 0 } : { index: pr.match, term: matchTerm };
      this.send<AppendEntriesRequest>({
        type: "append-entries",
        to,
        term: this.term,
        prevLogIndex: prev.index,
        prevLogTerm: prev.term,
        entries: [],
        leaderCommit: this.log.committed,
        readContext: round,
      });
    }
  }

  /** Sends new entries, and the new commit index, to every peer that can take them. */
  private flushBroadcast(): void {
    if (!this.broadcastWanted) return;
    this.broadcastWanted = false;
    for (const to of this.peers()) {
      const pr = this.progress.get(to);
      if (pr === undefined) continue;
      let sent = this.sendAppend(to, pr.sentCommit < this.log.committed);
      while (sent) sent = this.sendAppend(to, false);
    }
  }

  private maybeCommit(): void {
    let advanced = false;
    while (this.role === "leader") {
      const index = quorumIndex(this.conf.voters, (voter) => this.progress.get(voter)?.match ?? 0);
      // Only entries of the current term commit by counting replicas (Raft §5.4.2).
      if (index <= this.log.committed || this.log.term(index) !== this.term) break;
      this.commitTo(index);
      advanced = true;
    }
    if (!advanced) return;
    this.broadcastWanted = true;
    if (this.committedInCurrentTerm() && this.readsAwaitingTermCommit.length > 0) {
      const waiting = this.readsAwaitingTermCommit;
      this.readsAwaitingTermCommit = [];
      for (const requestId of waiting) this.serveRead(requestId);
    }
    if (this.removedSelf) this.stepDownAfterRemoval();
  }

  private commitTo(index: number): void {
    this.log.commitTo(index);
    this.applyConfThrough(this.log.committed);
  }

  // ---------------------------------------------------------------------------------------------
  // Membership

  /** Applies the CONF_CHANGE entries committed up to `index` (see conf-change.ts). */
  private applyConfThrough(index: number): void {
    while (this.confIndex < index) {
      const hi = Math.min(index, this.confIndex + CONF_SCAN_BATCH);
      for (const entry of this.log.slice(this.confIndex + 1, hi + 1, Number.POSITIVE_INFINITY)) {
        if (entry.type !== EntryType.ConfChange) continue;
        // Changes a reset node held at reset time are superseded by the forced configuration.
        if (this.forced !== undefined && entry.index <= this.forced.index) continue;
        this.forced = undefined;
        this.applyConf(decodeConfChange(entry.data).conf);
      }
      this.confIndex = hi;
    }
  }

  private applyConf(conf: ConfState): void {
    this.conf = sortedConf(conf);
    if (this.role !== "leader") return;
    for (const voter of this.conf.voters) {
      if (!this.progress.has(voter)) this.progress.set(voter, this.newProgress());
    }
    for (const id of [...this.progress.keys()]) {
      const keep =
        id === this.id || this.conf.voters.includes(id) || this.catchUp?.change.node === id;
      if (!keep) this.progress.delete(id);
    }
    // Stepping down waits until the commit loop is done, so that the new commit index still
    // goes out to the remaining voters.
    if (!this.conf.voters.includes(this.id)) this.removedSelf = true;
  }

  private stepDownAfterRemoval(): void {
    this.flushBroadcast();
    // Shorten the leaderless gap: the best remaining voter may campaign at once.
    const successor = this.mostUpToDatePeer();
    if (successor !== undefined && this.progress.get(successor)?.match === this.log.lastIndex()) {
      this.sendTimeoutNow(successor);
    }
    this.becomeFollower(this.term, "");
  }

  private appendConfChange(change: ConfChange): Entry {
    const conf = applyConfChange(this.conf, change);
    const entry = this.appendEntry(EntryType.ConfChange, encodeConfChange({ change, conf }));
    this.pendingConfIndex = entry.index;
    this.pendingConf = { change, index: entry.index, term: entry.term };
    return entry;
  }

  private abortCatchUp(): void {
    const catchUp = this.catchUp;
    if (catchUp === undefined) return;
    this.catchUp = undefined;
    if (!this.conf.voters.includes(catchUp.change.node)) this.progress.delete(catchUp.change.node);
    this.notices.push({
      kind: "conf-change-aborted",
      change: catchUp.change,
      reason: "catch-up-timeout",
    });
  }

  /** A membership change has been accepted and is not committed yet. */
  private confChangeInProgress(): boolean {
    return (
      this.catchUp !== undefined ||
      (this.pendingConf !== undefined && this.pendingConf.index > this.log.committed)
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Leadership transfer

  private sendTimeoutNow(to: NodeId): void {
    this.send<TimeoutNowRequest>({ type: "timeout-now", to, term: this.term });
    this.timeoutNowSent = true;
    this.leaseRevoked = true;
  }

  private abortTransfer(reason: "timeout" | "rejected"): void {
    this.notices.push({ kind: "transfer-aborted", transferee: this.leadTransferee, reason });
    this.leadTransferee = "";
    this.transferElapsed = 0;
    this.timeoutNowSent = false;
  }

  /** The voter (other than this node) with the highest match index, ties broken by id. */
  private mostUpToDatePeer(): NodeId | undefined {
    let best: NodeId | undefined;
    let bestMatch = -1;
    for (const voter of this.conf.voters) {
      if (voter === this.id) continue;
      const match = this.progress.get(voter)?.match ?? 0;
      if (match > bestMatch) {
        best = voter;
        bestMatch = match;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  private committedInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  private serveRead(requestId: string): void {
    const alone = this.conf.voters.length === 1 && this.conf.voters[0] === this.id;
    if (alone || (this.cfg.readMode === "lease" && this.leaseValid())) {
      this.readStates.push({ requestId, index: this.log.committed });
      return;
    }
    this.readIndexTracker.register(requestId, this.log.committed);
  }

  private releaseReads(): void {
    if (this.readIndexTracker.pendingCount === 0) return;
    const confirmed = this.readIndexTracker.confirmedRound(this.conf.voters, this.id);
    this.readStates.push(...this.readIndexTracker.release(confirmed));
  }

  private leaseValid(): boolean {
    if (this.leadTransferee !== "" || this.leaseRevoked) return false;
    const confirmed = this.readIndexTracker.confirmedRound(this.conf.voters, this.id);
    const start = this.readIndexTracker.leaseStart(confirmed);
    return (
      start !== undefined && this.ticks < start + this.cfg.electionTicks - this.cfg.leaseDriftTicks
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private refuseUnlessAcceptingWrites():
    | { readonly ok: false; readonly error: RaftError }
    | undefined {
    if (this.role !== "leader") return err({ reason: "not-leader", leader: this.lead });
    if (this.leadTransferee !== "") {
      return err({ reason: "leader-transferring", transferee: this.leadTransferee });
    }
    return undefined;
  }

  private appendEntry(type: EntryType, data: Uint8Array): Entry {
    const entry: Entry = { index: this.log.lastIndex() + 1, term: this.term, type, data };
    this.log.append([entry]);
    this.broadcastWanted = true;
    return entry;
  }

  private newProgress(): Progress {
    const pr = new Progress(this.log.lastIndex() + 1, this.cfg.maxInflightAppends);
    // Counted as active until the first check-quorum window has passed.
    pr.recentActive = true;
    return pr;
  }

  /** The peers the leader replicates to, in a fixed order (determinism). */
  private peers(): NodeId[] {
    return [...this.progress.keys()].filter((id) => id !== this.id).sort();
  }

  private send<M extends Message>(message: Omit<M, "from">): void {
    this.outbox.push({ ...message, from: this.id } as unknown as Message);
  }

  private softState(): SoftState {
    return { leader: this.lead, role: this.role };
  }

  private hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }
}

function sortedConf(conf: ConfState): ConfState {
  return { voters: [...conf.voters].sort() };
}

/** Equal as sets; both sorted (sortedConf). */
function sameVoters(a: ConfState, b: ConfState): boolean {
  return a.voters.length === b.voters.length && a.voters.every((v, i) => v === b.voters[i]);
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.leader === b.leader && a.role === b.role;
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

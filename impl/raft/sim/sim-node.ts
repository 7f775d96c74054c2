/**
 * One simulated node: a Raft core, its simulated disk and its key-value state machine, driven
 * like the real runtime drives a core (impl/raft/core/README.md) except that the disk write of a
 * Ready completes later, when the simulator says so. Between `ready()` and that completion the
 * core keeps taking ticks, messages and proposals; `messagesAfterPersist`, the applied entries
 * and the read answers wait for the write, as the Ready contract requires.
 *
 * Client requests arrive here too: puts are proposed and answered when their index is applied
 * (with their term: committed; another term: lost), reads go through read index.
 */
import {
  type ConfChange,
  type ConfState,
  decodeConfChange,
  EntryType,
  type Message,
  type NodeId,
  Raft,
  type ReadMode,
  type Ready,
  type Role,
  type SeededRandom,
} from "../core/index.js";
import { decodePut, encodePut, KvStateMachine } from "./kv-state-machine.js";
import { LogView, type SafetyChecker } from "./safety-checker.js";
import { SimDisk } from "./sim-disk.js";

/**
 * A deliberately broken core or runtime, to prove that the checks catch bugs. "vote-twice" grants
 * a vote it refused as already cast; "ignore-log-check" grants votes to candidates whose log is
 * behind; "ack-before-persist" sends votes and acknowledgements before the write is durable;
 * "stale-reads" answers reads from the local state machine without a read index.
 */
export type Mutation = "vote-twice" | "ignore-log-check" | "ack-before-persist" | "stale-reads";

export interface CoreOptions {
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly readMode: ReadMode;
  readonly electionTicks: number;
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  readonly catchUpMargin: number;
}

export type ClientRequest =
  | {
      readonly kind: "put";
      readonly tag: string;
      readonly id: string;
      readonly key: string;
      readonly value: string;
    }
  | { readonly kind: "get"; readonly tag: string; readonly key: string };

/** "ok": done (with the value for a get); "refused": certainly not done; "unknown": may be done. */
export type ClientAnswer =
  | { readonly outcome: "ok"; readonly value?: string | null }
  | { readonly outcome: "refused"; readonly leader: NodeId }
  | { readonly outcome: "unknown" };

/** What a node asks of the simulation around it. */
export interface NodeHost {
  readonly checker: SafetyChecker;
  readonly mutation: Mutation | undefined;
  send(message: Message): void;
  /** Completes the disk write in flight later (`persisted`), or now when `fsync` is false. */
  scheduleWrite(node: SimNode, fsync: boolean): void;
  answer(node: SimNode, tag: string, answer: ClientAnswer): void;
  /** The node's role or leader changed (the soft state of a Ready). */
  onRoleChange(node: SimNode, role: Role): void;
}

export class SimNode {
  readonly disk: SimDisk;
  /** Undefined while the node is down. */
  raft: Raft | undefined;
  /** Bumped by every crash: events of an earlier life are ignored. */
  incarnation = 0;
  role: Role = "follower";
  leader: NodeId = "";
  /** The core's term as of its last Ready (every term change shows in a hard state). */
  private term = 0;
  private machine = new KvStateMachine();
  private applied = 0;
  private appliedConf: ConfState;
  private inFlight: Ready | undefined;
  private readonly pendingPuts = new Map<number, { term: number; tag: string }>();
  private readonly pendingReads = new Map<string, string>();
  private readonly readsToServe: { index: number; tag: string; key: string }[] = [];
  private readonly readKeys = new Map<string, string>();

  constructor(
    readonly id: NodeId,
    voters: readonly NodeId[],
    private readonly options: CoreOptions,
    private readonly host: NodeHost,
  ) {
    this.disk = new SimDisk({ voters: [...voters] });
    this.appliedConf = { voters: [...voters] };
  }

  /** The index the state machine has applied up to. */
  get appliedIndex(): number {
    return this.applied;
  }

  get up(): boolean {
    return this.raft !== undefined;
  }

  /** Starts (or restarts) the core from what is durable. */
  start(random: SeededRandom): void {
    const storage = this.disk.storage;
    const snapshot = storage.snapshot();
    this.machine = KvStateMachine.restore(snapshot.data);
    this.applied = snapshot.meta.index;
    this.appliedConf = snapshot.meta.conf;
    this.role = "follower";
    this.leader = "";
    const raft = new Raft({
      id: this.id,
      storage,
      random,
      ...this.options,
      leaseDriftTicks: 2,
    });
    this.raft = raft;
    this.term = storage.initialState().term;
    const status = raft.status();
    this.host.checker.onStart(this.id, storage.initialState(), status.commit, this.applied);
  }

  /** Power loss: the core, the state machine and every write in flight are gone. */
  crash(random: SeededRandom, tornRate: number): void {
    this.raft = undefined;
    this.incarnation++;
    this.inFlight = undefined;
    this.disk.crash(random, tornRate);
    this.pendingPuts.clear();
    this.pendingReads.clear();
    this.readsToServe.length = 0;
    this.readKeys.clear();
    this.role = "follower";
    this.leader = "";
  }

  tick(): void {
    this.raft?.tick();
    this.pump();
  }

  step(message: Message): void {
    this.raft?.step(message);
    this.pump();
  }

  snapshotFailed(to: NodeId): void {
    this.raft?.reportSnapshotFailed(to);
    this.pump();
  }

  transferLeader(to: NodeId | undefined): void {
    this.raft?.transferLeader(to);
    this.pump();
  }

  proposeConfChange(change: ConfChange): void {
    this.raft?.proposeConfChange(change);
    this.pump();
  }

  conf(): ConfState | undefined {
    return this.raft?.status().conf;
  }

  /** A client request arrived (a request to a node that is down is simply lost). */
  request(request: ClientRequest): void {
    const raft = this.raft;
    if (raft === undefined) return;
    if (request.kind === "put") {
      const result = raft.propose(
        encodePut({ id: request.id, key: request.key, value: request.value }),
      );
      if (result.ok)
        this.pendingPuts.set(result.value.index, { term: result.value.term, tag: request.tag });
      else this.refuse(request.tag, result.error);
    } else if (this.host.mutation === "stale-reads") {
      this.host.answer(this, request.tag, { outcome: "ok", value: this.machine.get(request.key) });
    } else {
      const requestId = `${this.id}/${request.tag}`;
      this.host.checker.onReadAsked(requestId);
      const result = raft.readIndex(requestId);
      if (result.ok) {
        this.pendingReads.set(requestId, request.tag);
        this.readKeys.set(requestId, request.key);
      } else this.refuse(request.tag, result.error);
    }
    this.pump();
  }

  /**
   * Takes a snapshot of the state machine at the applied index and compacts the log, keeping
   * `keep` entries before it for followers that are slightly behind.
   */
  compact(keep: number): void {
    const storage = this.disk.storage;
    if (this.raft === undefined || this.applied <= storage.snapshot().meta.index) return;
    const snapshot = storage.createSnapshot(
      this.applied,
      this.appliedConf,
      this.machine.serialize(),
    );
    this.host.checker.onSnapshot(
      this.id,
      this.applied,
      snapshot.meta.term,
      this.machine.fingerprint(),
      false,
    );
    storage.compact(Math.max(storage.firstIndex() - 1, this.applied - keep));
  }

  /** Hands out Readies until the core has none or a disk write is in flight. */
  pump(): void {
    for (;;) {
      const raft = this.raft;
      if (raft === undefined || this.inFlight !== undefined || !raft.hasReady()) return;
      const ready = raft.ready();
      this.term = ready.hardState?.term ?? this.term;
      const term = this.term;
      this.host.checker.onReady(this.id, term, ready, new LogView(this.disk.storage, ready));
      if (ready.softState !== undefined) {
        this.role = ready.softState.role;
        this.leader = ready.softState.leader;
        this.host.onRoleChange(this, this.role);
      }
      this.inFlight = ready;
      for (const message of ready.messages) this.send(message);
      if (this.host.mutation === "ack-before-persist") {
        for (const message of ready.messagesAfterPersist) this.send(message);
      }
      this.disk.begin({
        snapshot: ready.snapshot,
        entries: ready.entries,
        hardState: ready.hardState,
      });
      if (ready.mustSync) {
        this.host.scheduleWrite(this, true);
        return;
      }
      this.finish();
    }
  }

  /** The disk write in flight is durable. */
  persisted(): void {
    this.finish();
    this.pump();
  }

  /** Finishes handling the Ready in flight once its write is durable (ready.ts steps 2–5). */
  private finish(): void {
    const raft = this.raft;
    const ready = this.inFlight;
    if (raft === undefined || ready === undefined) return;
    const checker = this.host.checker;
    this.disk.complete();
    if (ready.hardState !== undefined) checker.onDurable(this.id, ready.hardState);
    if (this.host.mutation !== "ack-before-persist") {
      for (const message of ready.messagesAfterPersist) this.send(message);
    }
    if (ready.snapshot !== undefined) {
      this.machine = KvStateMachine.restore(ready.snapshot.data);
      this.applied = ready.snapshot.meta.index;
      this.appliedConf = ready.snapshot.meta.conf;
      checker.onSnapshot(
        this.id,
        this.applied,
        ready.snapshot.meta.term,
        this.machine.fingerprint(),
        true,
      );
      // A put whose index the snapshot skipped may or may not be in it.
      for (const [index, pending] of this.pendingPuts) {
        if (index > this.applied) continue;
        this.pendingPuts.delete(index);
        this.host.answer(this, pending.tag, { outcome: "unknown" });
      }
    }
    for (const entry of ready.committedEntries) {
      checker.onApply(this.id, entry);
      this.applied = entry.index;
      if (entry.type === EntryType.Normal) {
        this.machine.apply(decodePut(entry.data));
      } else if (entry.type === EntryType.ConfChange) {
        this.appliedConf = decodeConfChange(entry.data).conf;
      }
      const pending = this.pendingPuts.get(entry.index);
      if (pending !== undefined) {
        this.pendingPuts.delete(entry.index);
        // Another term at that index: the proposal was overwritten and can never commit.
        const answer: ClientAnswer =
          pending.term === entry.term
            ? { outcome: "ok" }
            : { outcome: "refused", leader: this.leader };
        this.host.answer(this, pending.tag, answer);
      }
    }
    for (const read of ready.readStates) {
      checker.onReadState(this.id, read);
      const tag = this.pendingReads.get(read.requestId);
      const key = this.readKeys.get(read.requestId);
      this.pendingReads.delete(read.requestId);
      this.readKeys.delete(read.requestId);
      if (tag !== undefined && key !== undefined)
        this.readsToServe.push({ index: read.index, tag, key });
    }
    this.serveReads();
    if (this.role !== "leader") this.failLeaderWork();
    this.inFlight = undefined;
    raft.advance();
  }

  private serveReads(): void {
    let kept = 0;
    for (const read of this.readsToServe) {
      if (read.index <= this.applied) {
        this.host.answer(this, read.tag, { outcome: "ok", value: this.machine.get(read.key) });
      } else this.readsToServe[kept++] = read;
    }
    this.readsToServe.length = kept;
  }

  /**
   * Leadership is lost (README "Leadership loss"): pending proposals may still commit under the
   * next leader, so their outcome is unknown; reads not yet confirmed never will be.
   */
  private failLeaderWork(): void {
    for (const pending of this.pendingPuts.values()) {
      this.host.answer(this, pending.tag, { outcome: "unknown" });
    }
    this.pendingPuts.clear();
    for (const tag of this.pendingReads.values()) {
      this.host.answer(this, tag, { outcome: "refused", leader: this.leader });
    }
    this.pendingReads.clear();
    this.readKeys.clear();
  }

  private refuse(
    tag: string,
    error: { reason: string; leader?: NodeId; transferee?: NodeId },
  ): void {
    const leader = error.leader ?? error.transferee ?? "";
    this.host.answer(this, tag, { outcome: "refused", leader });
  }

  /**
   * The checker sees what the core asked to send; a mutation alters the message after that, so
   * that only its consequences (two leaders, a lost entry, a stale read) can give it away.
   */
  private send(message: Message): void {
    this.host.checker.onSend(this.id, message, this.disk.storage);
    this.host.send(this.mutate(message));
  }

  private mutate(message: Message): Message {
    const mutation = this.host.mutation;
    if (message.type !== "request-vote-response" && message.type !== "pre-vote-response") {
      return message;
    }
    if (message.granted) return message;
    const wrongly =
      (mutation === "vote-twice" && message.rejectReason === "already-voted") ||
      (mutation === "ignore-log-check" && message.rejectReason === "log-not-up-to-date");
    if (!wrongly) return message;
    return {
      type: message.type,
      from: message.from,
      to: message.to,
      term: message.term,
      granted: true,
    };
  }
}

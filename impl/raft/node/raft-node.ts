/**
 * The runtime of one node of one Raft group: it drives a pure core (core/raft.ts) with time,
 * durable storage, a transport and the application's state machine, following the Ready contract
 * of core/ready.ts.
 *
 * Everything that touches the core runs in one loop, in order: queued inputs (ticks, messages,
 * proposals, reads, admin calls) are stepped, then one Ready is handled end to end — messages
 * that need nothing durable go out at once, entries and hard state are persisted, the messages
 * that depend on them follow, committed entries are applied and their proposals resolved — and
 * only then the next. While a Ready is being persisted, new proposals and acknowledgements pile
 * up in the core and all go into the next Ready, one append and one fsync for all of them:
 * that is the group commit. A few jobs that must not interleave with any input (installing a
 * received snapshot, compacting after a snapshot) run in the same loop as tasks.
 */
import { randomInt } from "node:crypto";
import type { Logger } from "pino";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import {
  type ConfChange,
  type ConfState,
  decodeConfChange,
  type Entry,
  EntryType,
  type HardState,
  type InstallSnapshotRequest,
  type InstallSnapshotResponse,
  isResponse,
  type MemoryStorage,
  type Message,
  type NodeId,
  Raft,
  type RaftConfig,
  type Random,
  type Ready,
  type Request,
  type Response,
  SeededRandom,
  type Snapshot,
  type SnapshotMeta,
  type Status,
} from "../core/index.js";
import {
  DataCorruptionError,
  type RaftStorage,
  type SnapshotReceiver,
  StorageError,
} from "../storage/index.js";
import { LeaderOperations } from "./leader-operations.js";
import { recoverLog, withoutPayload } from "./log-view.js";
import {
  fromRaftError,
  leadershipLost,
  nodeFailure,
  notLeader,
  RaftNodeError,
  stopped,
} from "./node-error.js";
import { ProposalTracker } from "./proposal-tracker.js";
import type { RaftTransport, ReplySink } from "./raft-transport.js";
import { ReadTracker } from "./read-tracker.js";
import { ResponseMatcher } from "./response-matcher.js";
import { type SnapshotChunk, type SnapshotChunkAnswer, SnapshotInbox } from "./snapshot-inbox.js";
import type { StateMachine } from "./state-machine.js";

/** A snapshot every this many applied entries bounds the in-memory log view and replay time. */
export const DEFAULT_SNAPSHOT_EVERY_ENTRIES = 10_000;
/**
 * Entries kept behind a snapshot, so that a follower slightly behind is caught up from the log
 * rather than with a snapshot transfer (the core's catch-up margin is also 1000).
 */
export const DEFAULT_SNAPSHOT_KEEP_ENTRIES = 1_000;

const NO_PAYLOAD = new Uint8Array(0);
/** Loop turns between two forced yields to the event loop (see `loop`). */
const YIELD_EVERY_TURNS = 32;

/** What a proposal to a node resolves with: the state machine's result for its entry. */
export type ApplyResult<Machine extends StateMachine> = Awaited<ReturnType<Machine["apply"]>>;

/** Core settings a node passes through (ids, storage and randomness are the node's). */
export type CoreOptions = Partial<Omit<RaftConfig, "id" | "storage" | "random" | "applied">>;

export interface RaftNodeOptions<Machine extends StateMachine> {
  readonly groupId: bigint;
  /** This node's address ("host:port"), its id in the group. */
  readonly id: NodeId;
  /**
   * The voters the group was created with; empty for a peer that waits to be added. Pass the
   * same list on every open: it applies until a snapshot or committed change replaces it.
   */
  readonly peers: readonly NodeId[];
  /** The group's storage, opened; the node closes it when it stops. */
  readonly storage: RaftStorage;
  readonly stateMachine: Machine;
  readonly transport: RaftTransport;
  readonly core?: CoreOptions;
  /** Take a snapshot after this many entries applied since the last one. */
  readonly snapshotEveryEntries?: number;
  /** Log entries kept behind each snapshot. */
  readonly snapshotKeepEntries?: number;
  /** Election timeouts; seeded from the OS by default. */
  readonly random?: Random;
  readonly logger?: Logger;
}

type Work =
  | { readonly kind: "input"; readonly run: () => void; readonly abort?: (error: unknown) => void }
  | {
      readonly kind: "task";
      readonly run: () => Promise<void>;
      readonly abort?: (error: unknown) => void;
    };

type NodeState = "running" | "stopped" | "failed";

export class RaftNode<Machine extends StateMachine = StateMachine> {
  readonly groupId: bigint;
  readonly id: NodeId;
  private readonly core: Raft;
  private readonly view: MemoryStorage;
  private readonly storage: RaftStorage;
  private readonly machine: Machine;
  private readonly transport: RaftTransport;
  private readonly logger: Logger | undefined;
  private readonly snapshotEvery: number;
  private readonly snapshotKeep: number;

  private state: NodeState = "running";
  private failure: RaftNodeError | undefined;
  private work: Work[] = [];
  private loopScheduled = false;
  private loopRunning: Promise<void> | undefined;
  private readyCount = 0;

  private term: number;
  private leading = false;
  private leader: NodeId = "";
  /** Term and vote as last made durable (commit alone is never worth an fsync). */
  private savedHardState: HardState;
  private applied: number;
  private appliedConf: ConfState;
  /** The index of the newest snapshot taken or installed (snapshots are triggered from it). */
  private snapshotIndex: number;
  private snapshotting: Promise<SnapshotMeta | undefined> | undefined;

  private readonly responses = new ResponseMatcher();
  private readonly proposals = new ProposalTracker<ApplyResult<Machine>>();
  private readonly reads = new ReadTracker<Machine>();
  private readonly operations = new LeaderOperations();
  private readonly inbox: SnapshotInbox;
  private readonly replies: ReplySink;

  private constructor(
    options: RaftNodeOptions<Machine>,
    view: MemoryStorage,
    snapshot: Snapshot | undefined,
  ) {
    this.groupId = options.groupId;
    this.id = options.id;
    this.view = view;
    this.storage = options.storage;
    this.machine = options.stateMachine;
    this.transport = options.transport;
    this.logger = options.logger;
    this.snapshotEvery = options.snapshotEveryEntries ?? DEFAULT_SNAPSHOT_EVERY_ENTRIES;
    this.snapshotKeep = options.snapshotKeepEntries ?? DEFAULT_SNAPSHOT_KEEP_ENTRIES;
    this.core = new Raft({
      ...options.core,
      id: options.id,
      storage: view,
      random: options.random ?? new SeededRandom(randomInt(2 ** 47)),
      forcedConf: options.storage.forcedConf(),
    });
    const hardState = view.initialState();
    this.term = hardState.term;
    this.savedHardState = hardState;
    this.applied = snapshot?.meta.index ?? 0;
    this.appliedConf = view.snapshot().meta.conf;
    this.snapshotIndex = this.applied;
    this.inbox = new SnapshotInbox(() => this.storage.receiveSnapshot());
    this.replies = {
      deliver: (response) => this.input(() => this.core.step(response)),
      failed: (request) =>
        this.input(() => {
          if (request.type === "append-entries") this.core.reportUnreachable(request.to);
          if (request.type === "install-snapshot") this.core.reportSnapshotFailed(request.to);
        }),
      openSnapshot: () => this.storage.snapshotReader(),
      leadsIn: (term) => this.state === "running" && this.leading && this.term === term,
    };
  }

  /**
   * Recovers a node from its storage: restores the state machine from the newest snapshot, then
   * replays the committed entries after it as the core hands them out.
   */
  static async open<Machine extends StateMachine>(
    options: RaftNodeOptions<Machine>,
  ): Promise<RaftNode<Machine>> {
    const { view, snapshot } = await recoverLog(options.storage, { voters: [...options.peers] });
    if (snapshot !== undefined) await options.stateMachine.restore(snapshot.data);
    const node = new RaftNode(options, view, snapshot);
    node.schedule();
    return node;
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs

  /** Advances the node's logical clock by one tick (the host calls it every tick period). */
  tick(): void {
    if (this.state === "running") this.input(() => this.core.tick());
  }

  /** Starts an election now (tests and operators; a no-op on a leader or non-voter). */
  campaign(): void {
    this.input(() => this.core.campaign());
  }

  /**
   * Replicates a command. Resolves with the state machine's result once the entry is committed
   * and applied here (leader only).
   * @throws RaftNodeError "not-leader", "leader-transferring"; "leadership-lost" (outcome
   * unknown), "dropped"; "stopped", "storage-failure".
   */
  propose(data: Uint8Array): Promise<ApplyResult<Machine>> {
    return new Promise((resolve, reject) => {
      this.input(() => {
        const accepted = this.core.propose(data);
        if (!accepted.ok) reject(fromRaftError(accepted.error));
        else this.proposals.track(accepted.value.index, accepted.value.term).then(resolve, reject);
      }, reject);
    });
  }

  /**
   * A linearizable read: confirms leadership (read index), waits until the state machine has
   * applied everything committed before the call, then runs `read` on it (leader only).
   */
  read<T>(read: (machine: Machine) => T | Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.input(() => {
        const { id, result } = this.reads.register(read);
        result.then(resolve, reject);
        const accepted = this.core.readIndex(id);
        if (!accepted.ok) this.reads.cancel(id, fromRaftError(accepted.error));
      }, reject);
    });
  }

  /**
   * Adds or removes one voter; resolves with the configuration once the change is committed and
   * applied here. Asking again for the change in progress joins it.
   */
  changeMembership(change: ConfChange): Promise<ConfState> {
    return new Promise((resolve, reject) => {
      this.input(() => {
        const accepted = this.core.proposeConfChange(change);
        if (!accepted.ok) reject(fromRaftError(accepted.error));
        else this.operations.waitForChange(change).then(resolve, reject);
      }, reject);
    });
  }

  /**
   * DANGEROUS (CliService.ResetPeer): forces this node's configuration to `voters`, bypassing
   * consensus (core `forceConfiguration`). Resolves with the configurations before and after once
   * the forced configuration and the new term are durable; with the same configuration twice
   * when it already was in force.
   * @throws RaftNodeError "group-healthy", "conf-change-invalid"; "stopped", "storage-failure".
   */
  resetPeer(voters: readonly NodeId[]): Promise<{ old: ConfState; conf: ConfState }> {
    return new Promise((resolve, reject) => {
      this.input(() => {
        const accepted = this.core.forceConfiguration(voters);
        if (!accepted.ok) {
          reject(fromRaftError(accepted.error));
          return;
        }
        const { old, forced, term } = accepted.value;
        if (forced === undefined) {
          resolve({ old, conf: old });
          return;
        }
        // Runs before the Ready that carries the new term, so nothing can be sent in that term
        // before both are durable; the Ready then finds the term saved and does not write it again.
        this.task(async () => {
          await this.storage.saveForcedConf(forced);
          const durable = this.storage.hardState();
          const saved = { term, vote: "", commit: durable.commit };
          await this.storage.saveHardState(saved);
          this.savedHardState = saved;
          resolve({ old, conf: forced.conf });
        }, reject);
      }, reject);
    });
  }

  /**
   * Hands leadership to `to` (default: the most up-to-date voter); resolves with the transferee
   * once this node has stepped down for it.
   */
  transferLeader(to?: NodeId): Promise<NodeId> {
    return new Promise((resolve, reject) => {
      this.input(() => {
        const accepted = this.core.transferLeader(to);
        if (!accepted.ok) {
          reject(fromRaftError(accepted.error));
          return;
        }
        const transferee = to ?? this.core.status().transferee;
        if (transferee === "" || transferee === this.id) resolve(this.id);
        else this.operations.waitForTransfer(transferee).then(resolve, reject);
      }, reject);
    });
  }

  /**
   * Takes a snapshot at the applied index now (unless nothing was applied since the newest one)
   * and compacts the log; resolves with the newest durable snapshot (undefined: none exists).
   */
  async snapshotNow(): Promise<SnapshotMeta | undefined> {
    await this.snapshotting?.catch(() => {});
    return new Promise((resolve, reject) => {
      this.task(async () => {
        if (this.snapshotting !== undefined) {
          resolve(this.snapshotting.then(() => this.snapshotNow()));
        } else if (this.applied > this.snapshotIndex) {
          await this.captureSnapshot();
          resolve(this.snapshotting ?? this.storage.snapshotMeta());
        } else {
          resolve(this.storage.snapshotMeta());
        }
      }, reject);
    });
  }

  /** Handles a RaftService request from a peer; resolves with the core's answer. */
  handleRequest(request: Request): Promise<Response> {
    return new Promise((resolve, reject) => {
      this.input(() => {
        this.core.step(request);
        this.responses.expect(request, this.readyCount + 1).then(resolve, reject);
      }, reject);
    });
  }

  /**
   * Handles one InstallSnapshot chunk (raft.proto): term rules and leader contact through the
   * core, bytes into the inbox, and once the whole file is there and verified, the install.
   */
  receiveSnapshotChunk(chunk: SnapshotChunk): Promise<SnapshotChunkAnswer> {
    return this.inbox.exclusive(async () => {
      const probe = await this.stepSnapshotRequest(
        chunk,
        { meta: chunk.meta, data: NO_PAYLOAD },
        false,
      );
      if (!probe.success) return answerOf(probe, this.inbox.nextOffsetFor(chunk));
      if (probe.installed) {
        await this.inbox.discard();
        return answerOf(probe, chunk.totalBytes);
      }
      const transfer = await this.inbox.accept(chunk);
      if (transfer === "superseded") {
        return { ...answerOf(probe, 0), success: false, rejectReason: "snapshot-superseded" };
      }
      await transfer.write(chunk);
      if (!chunk.done || !transfer.complete) return answerOf(probe, transfer.nextOffset);
      this.inbox.release(transfer);
      if (!transfer.digestMatches(chunk.sha256)) {
        await transfer.receiver.abort();
        throw new CurveError(
          ErrorReason.DATA_CORRUPTED,
          `snapshot ${chunk.snapshotId} from ${chunk.from}: the SHA-256 of the received file does not match`,
        );
      }
      const installed = await this.installReceived(chunk, transfer.receiver);
      return answerOf(installed, installed.installed ? chunk.totalBytes : 0);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Observation

  /** The core's view (role, term, leader, commit, configuration, progress of peers). */
  status(): Status {
    return this.core.status();
  }

  get appliedIndex(): number {
    return this.applied;
  }

  /** The configuration as of the applied index (what a snapshot taken now records). */
  get appliedConfiguration(): ConfState {
    return this.appliedConf;
  }

  get stateMachine(): Machine {
    return this.machine;
  }

  /** Whether the node still runs (false once stopped, or failed on a storage error). */
  get running(): boolean {
    return this.state === "running";
  }

  /** Stops the node: fails everything pending, waits for the Ready in progress, closes storage. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopped";
    await this.loopRunning;
    this.abandonAll(stopped());
    await this.snapshotting?.catch(() => {});
    await this.inbox.exclusive(() => this.inbox.discard()).catch(() => {});
    await this.storage.close().catch(() => {});
  }

  // ---------------------------------------------------------------------------------------------
  // The loop

  /** Queues a synchronous step of the core. `abort` is told if the node stops first. */
  private input(run: () => void, abort?: (error: unknown) => void): void {
    if (this.state !== "running") {
      abort?.(this.failure ?? stopped());
      return;
    }
    this.work.push(abort === undefined ? { kind: "input", run } : { kind: "input", run, abort });
    this.schedule();
  }

  /** Queues a job that runs alone in the loop (no input interleaves with it). */
  private task(run: () => Promise<void>, abort?: (error: unknown) => void): void {
    if (this.state !== "running") {
      abort?.(this.failure ?? stopped());
      return;
    }
    this.work.push(abort === undefined ? { kind: "task", run } : { kind: "task", run, abort });
    this.schedule();
  }

  private schedule(): void {
    if (this.loopScheduled || this.loopRunning !== undefined || this.state !== "running") return;
    this.loopScheduled = true;
    // setImmediate rather than a microtask: inputs that arrive in the same event-loop turn (a
    // burst of proposals, several responses) are stepped together into one Ready.
    setImmediate(() => {
      this.loopScheduled = false;
      if (this.loopRunning !== undefined || this.state !== "running") return;
      this.loopRunning = this.loop().finally(() => {
        this.loopRunning = undefined;
        if (this.work.length > 0 || this.core.hasReady()) this.schedule();
      });
    });
  }

  private async loop(): Promise<void> {
    try {
      for (let turn = 1; this.state === "running"; turn++) {
        // A Ready with nothing to write resolves in microtasks only: give I/O (the transport,
        // other groups) its turn now and then, however busy this group is.
        if (turn % YIELD_EVERY_TURNS === 0) await new Promise((resolve) => setImmediate(resolve));
        if (this.work.length > 0) {
          await this.runWork();
          continue;
        }
        if (!this.core.hasReady()) return;
        await this.handleReady(this.core.ready());
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Steps every queued input, up to and including the first task. */
  private async runWork(): Promise<void> {
    const batch = this.work;
    this.work = [];
    for (let i = 0; i < batch.length; i++) {
      const work = batch[i] as Work;
      if (work.kind === "input") {
        work.run();
        continue;
      }
      // What was queued after the task waits for it, ahead of anything queued meanwhile.
      this.work = batch.slice(i + 1).concat(this.work);
      try {
        await work.run();
      } catch (error) {
        if (work.abort === undefined) throw error;
        work.abort(error);
      }
      return;
    }
  }

  private async handleReady(ready: Ready): Promise<void> {
    const readyNumber = ++this.readyCount;
    // 1. What depends on nothing durable goes out now: the leader's appends travel while its
    //    own disk write runs.
    for (const message of ready.messages) this.send(message);
    // 2. Persist, 3. make it visible to the core.
    await this.persist(ready);
    if (ready.snapshot !== undefined) this.view.applySnapshot(withoutPayload(ready.snapshot));
    if (ready.entries.length > 0) this.view.append(ready.entries);
    if (ready.hardState !== undefined) this.view.setHardState(ready.hardState);
    // 4. Votes, acknowledgements and anything carrying a new term: only once durable.
    for (const message of ready.messagesAfterPersist) this.send(message);
    this.responses.expireThrough(readyNumber, () => notAnswered());
    // 5. Apply.
    if (ready.snapshot !== undefined) await this.restore(ready.snapshot);
    for (const entry of ready.committedEntries) await this.apply(entry);
    this.reads.confirm(ready.readStates);
    this.reads.serve(this.applied, this.machine);
    for (const notice of ready.notices) this.operations.notice(notice);
    // After applying: a leader that removed itself steps down in the Ready that commits the
    // removal, and its caller must see the change succeed rather than leadership lost.
    this.followLeadership(ready);
    this.core.advance();
    if (
      this.snapshotting === undefined &&
      this.applied - this.snapshotIndex >= this.snapshotEvery
    ) {
      await this.captureSnapshot();
    }
  }

  private async persist(ready: Ready): Promise<void> {
    const snapshot = ready.snapshot;
    // A received snapshot is durable before the core hears of it (installReceived); this only
    // covers a snapshot that reached the core some other way.
    if (snapshot !== undefined && (this.storage.snapshotMeta()?.index ?? 0) < snapshot.meta.index) {
      await this.storage.saveSnapshot(snapshot.meta, snapshot.data);
    }
    const writes: Promise<void>[] = [];
    if (ready.entries.length > 0) writes.push(this.storage.append(ready.entries));
    const hardState = ready.hardState;
    if (
      hardState !== undefined &&
      (hardState.term !== this.savedHardState.term || hardState.vote !== this.savedHardState.vote)
    ) {
      // Written alongside the entries, so the commit recorded must not exceed what was durable
      // before them: a restart must never find a commit index beyond its log.
      const durable = Math.max(this.view.lastIndex(), snapshot?.meta.index ?? 0);
      const saved = { ...hardState, commit: Math.min(hardState.commit, durable) };
      writes.push(this.storage.saveHardState(saved));
      this.savedHardState = saved;
    }
    if (writes.length > 0) await Promise.all(writes);
  }

  private send(message: Message): void {
    if (isResponse(message)) this.responses.deliver(message);
    else this.transport.send(this.groupId, message, this.replies);
  }

  private async restore(snapshot: Snapshot): Promise<void> {
    await this.machine.restore(snapshot.data);
    this.applied = snapshot.meta.index;
    this.appliedConf = snapshot.meta.conf;
    this.snapshotIndex = Math.max(this.snapshotIndex, snapshot.meta.index);
  }

  private async apply(entry: Entry): Promise<void> {
    if (entry.index <= this.applied) return;
    let result: ApplyResult<Machine> | undefined;
    if (entry.type === EntryType.Normal) {
      result = (await this.machine.apply({
        index: entry.index,
        term: entry.term,
        data: entry.data,
      })) as ApplyResult<Machine>;
    }
    this.applied = entry.index;
    this.proposals.settle(entry.index, entry.term, result);
    if (entry.type === EntryType.ConfChange) {
      const record = decodeConfChange(entry.data);
      this.appliedConf = record.conf;
      this.machine.confChanged?.({ index: entry.index, conf: record.conf });
      this.operations.changeApplied(record);
    }
  }

  /** Fails what only a leader can finish when this node stops leading (or leads a new term). */
  private followLeadership(ready: Ready): void {
    const term = ready.hardState?.term ?? this.term;
    const leading =
      ready.softState === undefined ? this.leading : ready.softState.role === "leader";
    if (ready.softState !== undefined) this.leader = ready.softState.leader;
    if (this.leading && (!leading || term !== this.term)) {
      const lost = leadershipLost(this.leader);
      this.proposals.rejectAll(lost);
      this.reads.rejectUnconfirmed(notLeader(this.leader));
      this.operations.leadershipLost(lost);
    }
    this.leading = leading;
    this.term = term;
  }

  // ---------------------------------------------------------------------------------------------
  // Snapshots

  /**
   * Captures the state machine at the applied index (nothing applies meanwhile: this runs in the
   * loop), then writes it and compacts in the background.
   */
  private async captureSnapshot(): Promise<void> {
    const index = this.applied;
    if (index < this.view.firstIndex() - 1 || index > this.view.lastIndex()) return;
    const meta: SnapshotMeta = { index, term: this.view.term(index), conf: this.appliedConf };
    const data = await this.machine.snapshot();
    this.snapshotIndex = index;
    const saving = this.saveSnapshot(meta, data);
    this.snapshotting = saving;
    saving
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        if (this.snapshotting === saving) this.snapshotting = undefined;
      });
  }

  private async saveSnapshot(
    meta: SnapshotMeta,
    data: Uint8Array,
  ): Promise<SnapshotMeta | undefined> {
    try {
      await this.storage.saveSnapshot(meta, data);
    } catch (error) {
      // A newer snapshot arrived from the leader meanwhile: ours is not needed.
      if (error instanceof StorageError && error.reason === "compacted")
        return this.storage.snapshotMeta();
      throw error;
    }
    await new Promise<void>((resolve, reject) =>
      this.task(async () => this.compact(meta).then(resolve), reject),
    );
    return meta;
  }

  /** Records the durable snapshot in the core's view and drops the log behind it. */
  private async compact(meta: SnapshotMeta): Promise<void> {
    const view = this.view;
    const held = meta.index >= view.firstIndex() && meta.index <= view.lastIndex();
    if (held && meta.index > view.snapshot().meta.index && view.term(meta.index) === meta.term) {
      view.createSnapshot(meta.index, meta.conf, NO_PAYLOAD);
    }
    const through = view.snapshot().meta.index - this.snapshotKeep;
    if (through > view.firstIndex() - 1) {
      view.compact(through);
      await this.storage.compact(through);
    }
  }

  /**
   * Installs a fully received, verified snapshot file: makes it the group's durable snapshot
   * and hands it to the core, which answers whether it was installed. Runs as a task so that no
   * message changes the node's term between the check and the install.
   */
  private installReceived(
    chunk: SnapshotChunk,
    receiver: SnapshotReceiver,
  ): Promise<InstallSnapshotResponse> {
    return new Promise((resolve, reject) => {
      this.task(async () => {
        const status = this.core.status();
        const current =
          status.term === chunk.term && status.role === "follower" && status.leader === chunk.from;
        if (!current || chunk.meta.index <= status.commit) {
          // The leader moved on, or the log got there anyway: the answer to a plain chunk says
          // which (stale term, or installed).
          await receiver.abort();
          resolve(
            this.stepSnapshotRequestNow(chunk, { meta: chunk.meta, data: NO_PAYLOAD }, false),
          );
          return;
        }
        let snapshot: Snapshot | undefined;
        try {
          await receiver.finish();
          snapshot = await this.storage.loadSnapshot();
        } catch (error) {
          // Corrupt bytes are refused before anything changes: the leader sends them again.
          if (error instanceof DataCorruptionError) {
            throw new CurveError(
              ErrorReason.DATA_CORRUPTED,
              `received snapshot: ${error.message}`,
              {
                cause: error,
              },
            );
          }
          // Past that point the durable log may already follow the new snapshot while the core
          // does not: this node cannot go on.
          this.fail(error);
          throw error;
        }
        if (snapshot === undefined || snapshot.meta.index !== chunk.meta.index) {
          const error = new Error("the installed snapshot is not the newest on disk");
          this.fail(error);
          throw error;
        }
        resolve(this.stepSnapshotRequestNow(chunk, snapshot, true));
      }, reject);
    });
  }

  private stepSnapshotRequest(
    chunk: SnapshotChunk,
    snapshot: Snapshot,
    done: boolean,
  ): Promise<InstallSnapshotResponse> {
    return this.handleRequest(
      snapshotRequest(chunk, snapshot, done),
    ) as Promise<InstallSnapshotResponse>;
  }

  /** Steps from inside a task (the loop is busy, so it must not wait for the answer here). */
  private stepSnapshotRequestNow(
    chunk: SnapshotChunk,
    snapshot: Snapshot,
    done: boolean,
  ): Promise<InstallSnapshotResponse> {
    const request = snapshotRequest(chunk, snapshot, done);
    this.core.step(request);
    return this.responses.expect(request, this.readyCount + 1) as Promise<InstallSnapshotResponse>;
  }

  // ---------------------------------------------------------------------------------------------
  // Failure

  /** A storage failure or a bug: the node stops serving (its replicas carry on). */
  private fail(error: unknown): void {
    if (this.state !== "running") return;
    this.state = "failed";
    this.failure = error instanceof RaftNodeError ? error : nodeFailure(error);
    this.logger?.error({ err: error, group: String(this.groupId) }, "raft node failed");
    this.abandonAll(this.failure);
  }

  private abandonAll(error: unknown): void {
    for (const work of this.work.splice(0)) work.abort?.(error);
    this.responses.rejectAll(error);
    this.proposals.rejectAll(error);
    this.reads.rejectAll(error);
    this.operations.rejectAll(error);
  }
}

function snapshotRequest(
  chunk: SnapshotChunk,
  snapshot: Snapshot,
  done: boolean,
): InstallSnapshotRequest {
  return {
    type: "install-snapshot",
    from: chunk.from,
    to: chunk.to,
    term: chunk.term,
    snapshot,
    done,
  };
}

function answerOf(response: InstallSnapshotResponse, nextOffset: number): SnapshotChunkAnswer {
  return {
    term: response.term,
    success: response.success,
    ...(response.rejectReason === undefined ? {} : { rejectReason: response.rejectReason }),
    nextOffset,
    installed: response.installed,
    lastLogIndex: response.lastLogIndex,
  };
}

function notAnswered(): CurveError {
  return new CurveError(ErrorReason.INTERNAL, "the raft core did not answer the request");
}

/**
 * Raft peers played by the runner, for the black-box Raft cases: two RaftService servers on
 * 127.0.0.1 (HTTP/2, all three protocols, requests validated against raft.proto like any
 * server's) whose addresses the runner lists as members of a copyset it creates on the target.
 * The target then sends them its PreVote, RequestVote, AppendEntries and TimeoutNow; each peer
 * records what it receives, per group, and answers with the script the case installed for that
 * group. A group without a script gets `unavailable` (a peer that is down), so a case only
 * answers what it means to.
 *
 * The peers live for the whole run (one pair, shared by the cases and protocols): copysets the
 * runner created keep sending them messages after their case ends, and a closed port would only
 * turn those into connection errors on the target.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { pino } from "pino";
import {
  type AppendEntriesRequest,
  AppendEntriesResponseSchema,
  type Entry,
  type InstallSnapshotRequest,
  InstallSnapshotResponseSchema,
  type PreVoteRequest,
  PreVoteResponseSchema,
  RaftService,
  RejectReason,
  type RequestVoteRequest,
  RequestVoteResponseSchema,
  type TimeoutNowRequest,
  TimeoutNowResponseSchema,
} from "../../impl/gen/curve/raft/v1/raft_pb.js";
import { RAFT_READ_MAX_BYTES } from "../../impl/raft/transport/index.js";
import { type RunningServer, startServer } from "../../impl/server/start-server.js";

/** The messages the target can send to a runner peer, by kind. */
export interface ReceivedMessages {
  pre_vote: PreVoteRequest;
  request_vote: RequestVoteRequest;
  append_entries: AppendEntriesRequest;
  install_snapshot: InstallSnapshotRequest;
  timeout_now: TimeoutNowRequest;
}

/** A message the target sent to a runner peer. */
export type Received = {
  [K in keyof ReceivedMessages]: { readonly type: K; readonly message: ReceivedMessages[K] };
}[keyof ReceivedMessages];

type Answer<S extends Parameters<typeof create>[0]> = MessageInitShape<S>;

/** How a runner peer answers the messages of one group; absent handlers answer `unavailable`. */
export interface PeerScript {
  preVote?(request: PreVoteRequest): Answer<typeof PreVoteResponseSchema>;
  requestVote?(request: RequestVoteRequest): Answer<typeof RequestVoteResponseSchema>;
  appendEntries?(request: AppendEntriesRequest): Answer<typeof AppendEntriesResponseSchema>;
  timeoutNow?(request: TimeoutNowRequest): Answer<typeof TimeoutNowResponseSchema>;
}

/** How long a case waits for the target to send a message (elections take 1 to 2 T). */
export const RECEIVE_TIMEOUT_MS = 15_000;

/** One RaftService server the runner plays. */
export class RunnerPeer {
  readonly #received = new Map<bigint, Received[]>();
  readonly #scripts = new Map<bigint, PeerScript>();
  readonly #waiters = new Set<() => void>();

  private constructor(private readonly server: RunningServer) {}

  static async start(): Promise<RunnerPeer> {
    const holder: { peer?: RunnerPeer } = {};
    const server = await startServer({
      host: "127.0.0.1",
      port: 0,
      logger: pino({ level: "silent" }),
      readMaxBytes: RAFT_READ_MAX_BYTES,
      routes: (router) => {
        const peer = () => {
          if (holder.peer === undefined) throw new ConnectError("starting", Code.Unavailable);
          return holder.peer;
        };
        router.service(RaftService, {
          preVote: (r) =>
            create(PreVoteResponseSchema, peer().handle({ type: "pre_vote", message: r })),
          requestVote: (r) =>
            create(RequestVoteResponseSchema, peer().handle({ type: "request_vote", message: r })),
          appendEntries: (r) =>
            create(
              AppendEntriesResponseSchema,
              peer().handle({ type: "append_entries", message: r }),
            ),
          installSnapshot: (r) =>
            create(
              InstallSnapshotResponseSchema,
              peer().handle({ type: "install_snapshot", message: r }),
            ),
          timeoutNow: (r) =>
            create(TimeoutNowResponseSchema, peer().handle({ type: "timeout_now", message: r })),
        });
      },
    });
    holder.peer = new RunnerPeer(server);
    return holder.peer;
  }

  /** "127.0.0.1:port": this peer's address in the copysets the runner creates. */
  get address(): string {
    return this.server.address;
  }

  /** Installs (or replaces) the answers for `groupId`. */
  script(groupId: bigint, script: PeerScript): void {
    this.#scripts.set(groupId, script);
  }

  /** Every message of `groupId` received so far, oldest first. */
  received(groupId: bigint): readonly Received[] {
    return this.#received.get(groupId) ?? [];
  }

  /**
   * Waits until a message of `groupId` received from now on (or already, when `since` is
   * given as an index into `received`) satisfies `match`; returns it.
   */
  async receive<T extends keyof ReceivedMessages>(
    groupId: bigint,
    type: T,
    match: (message: ReceivedMessages[T]) => boolean = () => true,
    since = this.received(groupId).length,
  ): Promise<ReceivedMessages[T]> {
    const deadline = Date.now() + RECEIVE_TIMEOUT_MS;
    for (;;) {
      const found = this.received(groupId)
        .slice(since)
        .find((r) => r.type === type && match(r.message as ReceivedMessages[T]));
      if (found !== undefined) return found.message as ReceivedMessages[T];
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `${this.address} received no matching ${type} within ${RECEIVE_TIMEOUT_MS} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 250));
        this.#waiters.add(wake);
      });
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(received: Received): object {
    const groupId = received.message.groupId;
    let list = this.#received.get(groupId);
    if (list === undefined) {
      list = [];
      this.#received.set(groupId, list);
    }
    list.push(received);
    for (const wake of [...this.#waiters]) wake();
    const script = this.#scripts.get(groupId);
    const answer = answerOf(script, received);
    if (answer === undefined) throw new ConnectError("the runner peer is down", Code.Unavailable);
    return answer;
  }
}

function answerOf(script: PeerScript | undefined, received: Received): object | undefined {
  switch (received.type) {
    case "pre_vote":
      return script?.preVote?.(received.message);
    case "request_vote":
      return script?.requestVote?.(received.message);
    case "append_entries":
      return script?.appendEntries?.(received.message);
    case "timeout_now":
      return script?.timeoutNow?.(received.message);
    case "install_snapshot":
      return undefined;
  }
}

/**
 * A follower's log as a runner peer keeps it: it accepts AppendEntries by Raft's rules (match
 * at `prev_log_index`, truncate a conflicting suffix, append), so that the target can lead a
 * group whose other members are runner peers.
 */
export class FollowerLog {
  readonly entries: Entry[] = [];
  term = 0n;
  commit = 0n;

  /** The answer to `request` by the rules of RaftService.AppendEntries. */
  append(request: AppendEntriesRequest): Answer<typeof AppendEntriesResponseSchema> {
    if (request.term < this.term) {
      return { term: this.term, success: false, rejectReason: RejectReason.STALE_TERM };
    }
    this.term = request.term;
    const prev = request.prevLogIndex;
    const last = BigInt(this.entries.length);
    if (prev > last || (prev > 0n && this.termAt(prev) !== request.prevLogTerm)) {
      let hint = prev < last ? prev : last;
      while (hint > 0n && this.termAt(hint) > request.prevLogTerm) hint--;
      return {
        term: this.term,
        success: false,
        rejectReason: RejectReason.LOG_MISMATCH,
        rejectHintIndex: hint,
        rejectHintTerm: this.termAt(hint),
        lastLogIndex: last,
        readContext: request.readContext,
      };
    }
    for (const entry of request.entries) {
      const index = Number(entry.index);
      const existing = this.entries[index - 1];
      if (existing !== undefined && existing.term === entry.term) continue;
      this.entries.length = index - 1;
      this.entries.push(entry);
    }
    const match = prev + BigInt(request.entries.length);
    const leaderCommit = request.leaderCommit < match ? request.leaderCommit : match;
    if (leaderCommit > this.commit) this.commit = leaderCommit;
    return {
      term: this.term,
      success: true,
      matchIndex: match,
      lastLogIndex: BigInt(this.entries.length),
      readContext: request.readContext,
    };
  }

  termAt(index: bigint): bigint {
    return index === 0n ? 0n : (this.entries[Number(index) - 1]?.term ?? 0n);
  }
}

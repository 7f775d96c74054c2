/**
 * RaftService AppendEntries, TimeoutNow and InstallSnapshot, black box: a runner peer leads the
 * target (or the target leads the runner peers), and the cases check the log rules through the
 * answers and through GetCopysetStatus.
 */
import { createHash } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { EntryType, RaftService, RejectReason } from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { FollowerLog } from "../../runner/raft-peers.js";
import { invalidArgument } from "../expected.js";
import {
  appendFrom,
  type BlackBoxGroup,
  blackBoxGroup,
  leadTarget,
  noOps,
  voteFrom,
} from "./black-box-group.js";

const m = RaftService.method;
const SOME_GROUP = (5n << 32n) | 1n;

function reason(value: RejectReason): string {
  return RejectReason[value] ?? String(value);
}

async function commitIndexOf(group: BlackBoxGroup): Promise<bigint> {
  return (await group.status()).commitIndex;
}

/** A snapshot chunk from runner peer A to the target. */
function chunk(
  group: BlackBoxGroup,
  fields: {
    term: bigint;
    snapshotId: string;
    index: bigint;
    file: Uint8Array;
    offset?: number;
    end?: number;
    sha256?: Uint8Array;
  },
) {
  const offset = fields.offset ?? 0;
  const end = fields.end ?? fields.file.length;
  const done = end === fields.file.length;
  return {
    groupId: group.groupId,
    from: group.a.address,
    to: group.target,
    term: fields.term,
    meta: {
      lastIncludedIndex: fields.index,
      lastIncludedTerm: fields.term,
      configuration: {
        voters: [group.target, group.a.address, group.b.address].map((address) => ({ address })),
      },
    },
    snapshotId: fields.snapshotId,
    totalBytes: BigInt(fields.file.length),
    offset: BigInt(offset),
    data: fields.file.subarray(offset, end),
    done,
    sha256: done
      ? (fields.sha256 ?? createHash("sha256").update(fields.file).digest())
      : new Uint8Array(),
  };
}

const validationCases: ConformanceCase[] = [
  rejects({
    id: "raft.append_entries.entries_not_contiguous",
    method: m.appendEntries,
    spec: "entries must be numbered prev_log_index + 1, prev_log_index + 2, ... (rule append_entries.entries_contiguous).",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      entries: [...noOps(1n, [2n]), ...noOps(3n, [2n])],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.append_entries.entry_term_above_term",
    method: m.appendEntries,
    spec: "every entry's term must be between prev_log_term and the leader's term (rule append_entries.entry_terms_in_range).",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      entries: noOps(1n, [3n]),
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.append_entries.entry_type_unspecified",
    method: m.appendEntries,
    spec: "What the entry is; must be a defined, non-zero value.",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      entries: [{ index: 1n, term: 2n, type: EntryType.UNSPECIFIED }],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.append_entries.noop_with_data",
    method: m.appendEntries,
    spec: "only NORMAL entries carry data (rule entry.data_only_for_normal).",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      entries: [{ index: 1n, term: 2n, type: EntryType.NO_OP, data: new Uint8Array([1]) }],
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.append_entries.prev_log_id_inconsistent",
    method: m.appendEntries,
    spec: "prev_log_index and prev_log_term are both zero (empty prefix) or both non-zero.",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      prevLogIndex: 3n,
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.timeout_now.term_zero",
    method: m.timeoutNow,
    spec: "The leader's term (>= 1).",
    request: { groupId: SOME_GROUP, from: "127.0.0.1:7001", to: "127.0.0.1:7002", term: 0n },
    expect: invalidArgument("term"),
  }),
  rejects({
    id: "raft.install_snapshot.done_without_sha256",
    method: m.installSnapshot,
    spec: "sha256 (32 bytes) must be set on the last chunk and only there (rule install_snapshot.sha256_iff_done).",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      meta: {
        lastIncludedIndex: 1n,
        lastIncludedTerm: 1n,
        configuration: { voters: [{ address: "127.0.0.1:7001" }] },
      },
      snapshotId: "s1",
      totalBytes: 1n,
      data: new Uint8Array([1]),
      done: true,
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.install_snapshot.chunk_past_total",
    method: m.installSnapshot,
    spec: "offset + size(data) must not exceed total_bytes (rule install_snapshot.chunk_in_range).",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      meta: {
        lastIncludedIndex: 1n,
        lastIncludedTerm: 1n,
        configuration: { voters: [{ address: "127.0.0.1:7001" }] },
      },
      snapshotId: "s1",
      totalBytes: 2n,
      offset: 1n,
      data: new Uint8Array([1, 2]),
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.install_snapshot.chunk_over_1_mib",
    method: m.installSnapshot,
    spec: "The bytes of the file at `offset`: 1 byte to 1 MiB.",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      meta: {
        lastIncludedIndex: 1n,
        lastIncludedTerm: 1n,
        configuration: { voters: [{ address: "127.0.0.1:7001" }] },
      },
      snapshotId: "s1",
      totalBytes: 4n * 1024n * 1024n,
      data: new Uint8Array(1024 * 1024 + 1),
    },
    expect: invalidArgument("data"),
  }),
  rejects({
    id: "raft.install_snapshot.meta_missing",
    method: m.installSnapshot,
    spec: "What the snapshot covers; identical in every chunk of one snapshot. Required.",
    request: {
      groupId: SOME_GROUP,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      snapshotId: "s1",
      totalBytes: 2n,
      data: new Uint8Array([1]),
    },
    expect: invalidArgument("meta"),
  }),
];

export const replicationCases: ConformanceCase[] = [
  ...validationCases,
  steps({
    id: "raft.append_entries.unknown_group",
    method: m.appendEntries,
    spec: "`not_found` ERROR_REASON_GROUP_NOT_FOUND: this server hosts no node of `group_id` (for example a new peer whose copyset was not created yet).",
    reasons: [ErrorReason.GROUP_NOT_FOUND],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "empty");
      const unknown = { ...group, groupId: group.groupId + 1n };
      await expectError(group.raft.appendEntries(appendFrom(unknown, group.a, { term: 1n })), {
        code: Code.NotFound,
        reason: ErrorReason.GROUP_NOT_FOUND,
      });
    },
  }),
  steps({
    id: "raft.append_entries.heartbeat_recognises_leader",
    method: m.appendEntries,
    spec: "The receiver, after the term rules: recognises `from` as the leader of `term` (it becomes the `leader_hint` of its NOT_LEADER errors), becomes/stays follower and resets its election timer.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const reply = await group.raft.appendEntries(appendFrom(group, group.a, { term: 2n }));
      check(reply.success, `heartbeat refused: ${reason(reply.rejectReason)}`);
      check(reply.term === 2n, `response term ${reply.term}, expected 2`);
      const leader = await group.cli.getLeader({
        poolId: group.poolId,
        copysetId: group.copysetId,
      });
      check(
        leader.leader?.address === group.a.address,
        `GetLeader names ${leader.leader?.address}`,
      );
      check(leader.term === 2n, `GetLeader term ${leader.term}`);
    },
  }),
  steps({
    id: "raft.append_entries.stale_term_rejected",
    method: m.appendEntries,
    spec: "A request with a lower term is rejected with REJECT_REASON_STALE_TERM and changes nothing.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await group.raft.requestVote(voteFrom(group, group.a, 5n));
      const reply = await group.raft.appendEntries(
        appendFrom(group, group.b, { term: 3n, entries: noOps(1n, [3n]) }),
      );
      check(
        !reply.success && reply.rejectReason === RejectReason.STALE_TERM,
        `got ${reason(reply.rejectReason)}, expected STALE_TERM`,
      );
      check(reply.term === 5n, `response term ${reply.term}, expected 5`);
      const status = await group.status();
      check(
        status.lastLogIndex === 0n,
        `a stale AppendEntries appended: last_log_index ${status.lastLogIndex}`,
      );
    },
  }),
  steps({
    id: "raft.append_entries.log_mismatch_hint",
    method: m.appendEntries,
    spec: "`reject_hint_index` = the largest index i <= min(prev_log_index, its last index) whose term is <= `prev_log_term` …, and `reject_hint_term` = the term at i.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [1n, 2n, 2n]);
      const past = await group.raft.appendEntries(
        appendFrom(group, group.a, { term: 2n, prevLogIndex: 6n, prevLogTerm: 2n }),
      );
      check(
        !past.success && past.rejectReason === RejectReason.LOG_MISMATCH,
        `probe past the end: ${reason(past.rejectReason)}`,
      );
      check(
        past.rejectHintIndex === 3n && past.rejectHintTerm === 2n,
        `hint (${past.rejectHintIndex}, ${past.rejectHintTerm}), expected (3, 2)`,
      );
      const lower = await group.raft.appendEntries(
        appendFrom(group, group.a, { term: 2n, prevLogIndex: 3n, prevLogTerm: 1n }),
      );
      check(
        !lower.success && lower.rejectReason === RejectReason.LOG_MISMATCH,
        `probe with another term: ${reason(lower.rejectReason)}`,
      );
      check(
        lower.rejectHintIndex === 1n && lower.rejectHintTerm === 1n,
        `hint (${lower.rejectHintIndex}, ${lower.rejectHintTerm}), expected (1, 1)`,
      );
    },
  }),
  steps({
    id: "raft.append_entries.conflicting_suffix_truncated",
    method: m.appendEntries,
    spec: "at the first entry whose term differs, the follower deletes that entry and all that follow it, then appends the rest.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n, 2n, 2n]);
      const reply = await group.raft.appendEntries(
        appendFrom(group, group.b, {
          term: 3n,
          prevLogIndex: 1n,
          prevLogTerm: 2n,
          entries: noOps(2n, [3n]),
        }),
      );
      check(
        reply.success && reply.matchIndex === 2n,
        `success ${reply.success}, match_index ${reply.matchIndex}, expected 2`,
      );
      const status = await group.status();
      check(
        status.lastLogIndex === 2n,
        `last_log_index ${status.lastLogIndex} after the truncation, expected 2`,
      );
      const gone = await group.raft.appendEntries(
        appendFrom(group, group.b, { term: 3n, prevLogIndex: 3n, prevLogTerm: 2n }),
      );
      check(
        !gone.success && gone.rejectReason === RejectReason.LOG_MISMATCH,
        "the truncated entry 3 still matches",
      );
    },
  }),
  steps({
    id: "raft.append_entries.duplicate_keeps_log",
    method: m.appendEntries,
    spec: "if the follower has an entry at that index with the same term, it is kept (duplicates and reordered messages are harmless) … Idempotent: a duplicated or replayed request never changes the follower's log twice.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n, 2n, 2n]);
      const replay = await group.raft.appendEntries(
        appendFrom(group, group.a, { term: 2n, entries: noOps(1n, [2n, 2n]) }),
      );
      check(
        replay.success && replay.matchIndex === 2n,
        `replay: success ${replay.success}, match_index ${replay.matchIndex}, expected 2`,
      );
      const status = await group.status();
      check(
        status.lastLogIndex === 3n,
        `a replay of entries 1-2 changed the log: last_log_index ${status.lastLogIndex}`,
      );
    },
  }),
  steps({
    id: "raft.append_entries.commit_bounded_by_match",
    method: m.appendEntries,
    spec: "The follower commits up to min(`leader_commit`, the last index this request proved to match); it never lowers its own commit index.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n, 2n, 2n]);
      await group.raft.appendEntries(
        appendFrom(group, group.a, {
          term: 2n,
          prevLogIndex: 1n,
          prevLogTerm: 2n,
          leaderCommit: 3n,
        }),
      );
      let commit = await commitIndexOf(group);
      check(commit === 1n, `commit_index ${commit} after leader_commit 3 with a match proved to 1`);
      await group.raft.appendEntries(
        appendFrom(group, group.a, {
          term: 2n,
          prevLogIndex: 3n,
          prevLogTerm: 2n,
          leaderCommit: 3n,
        }),
      );
      commit = await commitIndexOf(group);
      check(commit === 3n, `commit_index ${commit}, expected 3`);
      const lower = await group.raft.appendEntries(
        appendFrom(group, group.a, {
          term: 2n,
          prevLogIndex: 3n,
          prevLogTerm: 2n,
          leaderCommit: 1n,
        }),
      );
      check(lower.success, "a heartbeat with a lower leader_commit was refused");
      commit = await commitIndexOf(group);
      check(commit === 3n, `commit_index lowered to ${commit}`);
    },
  }),
  steps({
    id: "raft.append_entries.below_commit_answers_commit",
    method: m.appendEntries,
    spec: "If `prev_log_index` is below its commit index, the entries up to its commit index are known to match: it answers `success = true`, `match_index` = its commit index, and ignores the entries.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n, 2n, 2n], 3n);
      const reply = await group.raft.appendEntries(
        appendFrom(group, group.a, {
          term: 2n,
          prevLogIndex: 1n,
          prevLogTerm: 2n,
          entries: noOps(2n, [2n]),
        }),
      );
      check(
        reply.success && reply.matchIndex === 3n,
        `success ${reply.success}, match_index ${reply.matchIndex}, expected 3`,
      );
    },
  }),
  steps({
    id: "raft.append_entries.target_leads_with_noop_then_commit_in_heartbeats",
    method: m.appendEntries,
    spec: "A candidate wins with votes from a majority of its configuration; it then becomes leader and, before anything else, appends one entry of its term … An entry is committed when it is stored on a majority of the leader's configuration and its term is the leader's current term … Followers learn the commit index from `AppendEntries.leader_commit`.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      // A earlier led term 2 and left two uncommitted entries on the target.
      await leadTarget(group, group.a, 2n, [2n, 2n]);
      const follower = new FollowerLog();
      follower.term = 2n;
      follower.entries.push(...noOps(1n, [2n, 2n]));
      const grant = {
        preVote: () => ({ granted: true }),
        requestVote: (r: { term: bigint }) => ({ term: r.term, granted: true }),
      };
      // Only A votes and acknowledges; B stays down. One vote is a majority of 3 with the target's own.
      group.a.script(group.groupId, { ...grant, appendEntries: (r) => follower.append(r) });
      const vote = await group.a.receive(group.groupId, "request_vote");
      check(
        vote.lastLogIndex === 2n && vote.lastLogTerm === 2n,
        `RequestVote names last entry (${vote.lastLogIndex}, ${vote.lastLogTerm}), expected (2, 2)`,
      );
      const first = await group.a.receive(
        group.groupId,
        "append_entries",
        (r) => r.term === vote.term,
      );
      const own = first.entries.find((e) => e.index === 3n);
      check(
        own !== undefined && own.term === vote.term,
        "the new leader's first entry at index 3 is not of its term",
      );
      check(
        own.type === EntryType.NO_OP,
        `the new leader's first entry is ${EntryType[own.type]}, expected NO_OP`,
      );
      const withCommit = await group.a.receive(
        group.groupId,
        "append_entries",
        (r) => r.leaderCommit >= 3n,
        0,
      );
      check(withCommit.term === vote.term, `leader_commit 3 came in term ${withCommit.term}`);
      const status = await group.status();
      check(
        status.commitIndex >= 3n,
        `the leader's commit_index is ${status.commitIndex}, expected 3`,
      );
    },
  }),
  steps({
    id: "raft.timeout_now.starts_election_with_transfer_flag",
    method: m.timeoutNow,
    spec: "Idempotent: a repeated request arrives with a now stale term and is rejected. … The receiver … increments its term, votes for itself (durably), becomes candidate without a pre-vote, answers `success = true` with its new term, and sends `RequestVote` with `leader_transfer = true` to the other voters.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n]);
      const reply = await group.raft.timeoutNow({
        groupId: group.groupId,
        from: group.a.address,
        to: group.target,
        term: 2n,
      });
      check(
        reply.success && reply.term === 3n,
        `success ${reply.success}, term ${reply.term}, expected true and 3`,
      );
      const vote = await group.b.receive(group.groupId, "request_vote", (r) => r.term === 3n, 0);
      check(vote.leaderTransfer, "the RequestVote after TimeoutNow has leader_transfer false");
      check(
        vote.lastLogIndex === 1n && vote.lastLogTerm === 2n,
        `RequestVote names (${vote.lastLogIndex}, ${vote.lastLogTerm}), expected (1, 2)`,
      );
      const preVotes = group.b
        .received(group.groupId)
        .filter((r) => r.type === "pre_vote" && r.message.term === 3n);
      check(preVotes.length === 0, "the target ran a pre-vote for the TimeoutNow election");
      const repeat = await group.raft.timeoutNow({
        groupId: group.groupId,
        from: group.a.address,
        to: group.target,
        term: 2n,
      });
      check(
        !repeat.success && repeat.rejectReason === RejectReason.STALE_TERM,
        `a repeated TimeoutNow: ${reason(repeat.rejectReason)}, expected STALE_TERM (idempotent by term)`,
      );
    },
  }),
  steps({
    id: "raft.timeout_now.stale_term_rejected",
    method: m.timeoutNow,
    spec: "Rejections (OK with `success = false`): REJECT_REASON_STALE_TERM, … Idempotent: a repeated request arrives with a now stale term and is rejected.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await group.raft.requestVote(voteFrom(group, group.a, 5n));
      const reply = await group.raft.timeoutNow({
        groupId: group.groupId,
        from: group.a.address,
        to: group.target,
        term: 3n,
      });
      check(
        !reply.success && reply.rejectReason === RejectReason.STALE_TERM,
        `got ${reason(reply.rejectReason)}, expected STALE_TERM`,
      );
      check(reply.term === 5n, `response term ${reply.term}, expected 5`);
    },
  }),
  steps({
    id: "raft.timeout_now.not_voter",
    method: m.timeoutNow,
    spec: "REJECT_REASON_NOT_VOTER (the receiver is not a voter of its configuration).",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx, "empty");
      const reply = await group.raft.timeoutNow({
        groupId: group.groupId,
        from: group.a.address,
        to: group.target,
        term: 1n,
      });
      check(
        !reply.success && reply.rejectReason === RejectReason.NOT_VOTER,
        `got success ${reply.success} ${reason(reply.rejectReason)}, expected NOT_VOTER`,
      );
    },
  }),
  steps({
    id: "raft.install_snapshot.stale_term_rejected",
    method: m.installSnapshot,
    spec: "Rejections (OK with `success = false`): REJECT_REASON_STALE_TERM, REJECT_REASON_SNAPSHOT_SUPERSEDED.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await group.raft.requestVote(voteFrom(group, group.a, 5n));
      const reply = await group.raft.installSnapshot(
        chunk(group, {
          term: 3n,
          snapshotId: "stale",
          index: 4n,
          file: new Uint8Array(16),
          end: 8,
        }),
      );
      check(
        !reply.success && reply.rejectReason === RejectReason.STALE_TERM,
        `got ${reason(reply.rejectReason)}, expected STALE_TERM`,
      );
      check(reply.term === 5n, `response term ${reply.term}`);
    },
  }),
  steps({
    id: "raft.install_snapshot.already_committed_installed",
    method: m.installSnapshot,
    spec: "If `meta.last_included_index` <= its commit index, it needs nothing: it discards any transfer in progress and answers `success = true`, `installed = true`.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n, 2n], 2n);
      const reply = await group.raft.installSnapshot(
        chunk(group, { term: 2n, snapshotId: "old", index: 2n, file: new Uint8Array(16), end: 8 }),
      );
      check(
        reply.success && reply.installed,
        `success ${reply.success}, installed ${reply.installed}`,
      );
    },
  }),
  steps({
    id: "raft.install_snapshot.chunks_idempotent_by_offset",
    method: m.installSnapshot,
    spec: "Chunks are idempotent by offset: bytes before `next_offset` are ignored (a duplicate), the part of `data` from `next_offset` on is appended; a chunk that starts after `next_offset` (a gap) stores nothing.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const file = new Uint8Array(64).fill(7);
      const send = (offset: number, end: number) =>
        group.raft.installSnapshot(
          chunk(group, { term: 2n, snapshotId: "resume", index: 9n, file, offset, end }),
        );
      const first = await send(0, 16);
      check(
        first.success && first.nextOffset === 16n,
        `first chunk: next_offset ${first.nextOffset}, expected 16`,
      );
      const dup = await send(0, 16);
      check(
        dup.success && dup.nextOffset === 16n,
        `duplicate chunk: next_offset ${dup.nextOffset}, expected 16`,
      );
      const gap = await send(32, 48);
      check(
        gap.success && gap.nextOffset === 16n,
        `chunk after a gap: next_offset ${gap.nextOffset}, expected 16`,
      );
      const overlap = await send(8, 24);
      check(
        overlap.success && overlap.nextOffset === 24n,
        `overlapping chunk: next_offset ${overlap.nextOffset}, expected 24`,
      );
    },
  }),
  steps({
    id: "raft.install_snapshot.meta_change_invalid",
    method: m.installSnapshot,
    spec: "`failed_precondition` ERROR_REASON_SNAPSHOT_TRANSFER_INVALID: the chunk's `meta` or `total_bytes` differ from those of the transfer in progress with the same `snapshot_id` and `from`.",
    reasons: [ErrorReason.SNAPSHOT_TRANSFER_INVALID],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const file = new Uint8Array(32).fill(1);
      await group.raft.installSnapshot(
        chunk(group, { term: 2n, snapshotId: "changing", index: 9n, file, end: 8 }),
      );
      await expectError(
        group.raft.installSnapshot(
          chunk(group, {
            term: 2n,
            snapshotId: "changing",
            index: 9n,
            file: new Uint8Array(40),
            offset: 8,
            end: 16,
          }),
        ),
        { code: Code.FailedPrecondition, reason: ErrorReason.SNAPSHOT_TRANSFER_INVALID },
      );
    },
  }),
  steps({
    id: "raft.install_snapshot.sha256_mismatch_data_loss",
    method: m.installSnapshot,
    spec: "`data_loss` ERROR_REASON_DATA_CORRUPTED: the SHA-256 of the received file does not match `sha256` … The transfer is discarded and the node's state is unchanged.",
    reasons: [ErrorReason.DATA_CORRUPTED],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const file = new Uint8Array(32).fill(3);
      await expectError(
        group.raft.installSnapshot(
          chunk(group, {
            term: 2n,
            snapshotId: "corrupt",
            index: 9n,
            file,
            sha256: new Uint8Array(32),
          }),
        ),
        { code: Code.DataLoss, reason: ErrorReason.DATA_CORRUPTED },
      );
      const status = await group.status();
      check(
        status.snapshotIndex === 0n && status.commitIndex === 0n,
        "a corrupt snapshot changed the node's state",
      );
    },
  }),
  steps({
    id: "raft.install_snapshot.older_transfer_superseded",
    method: m.installSnapshot,
    spec: "A chunk of a snapshot other than the one in progress starts a new transfer … when its (`term`, `meta.last_included_index`) is at least the in-progress transfer's; otherwise it is rejected with REJECT_REASON_SNAPSHOT_SUPERSEDED and the transfer in progress is kept.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const file = new Uint8Array(32).fill(5);
      await group.raft.installSnapshot(
        chunk(group, { term: 2n, snapshotId: "newer", index: 9n, file, end: 8 }),
      );
      const older = await group.raft.installSnapshot(
        chunk(group, { term: 2n, snapshotId: "older", index: 4n, file, end: 8 }),
      );
      check(
        !older.success && older.rejectReason === RejectReason.SNAPSHOT_SUPERSEDED,
        `got success ${older.success} ${reason(older.rejectReason)}`,
      );
      const resumed = await group.raft.installSnapshot(
        chunk(group, { term: 2n, snapshotId: "newer", index: 9n, file, offset: 8, end: 16 }),
      );
      check(
        resumed.nextOffset === 16n,
        `the transfer in progress was not kept: next_offset ${resumed.nextOffset}`,
      );
    },
  }),
];

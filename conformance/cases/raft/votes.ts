/**
 * RaftService PreVote and RequestVote, black box: the runner's peers ask the target for votes
 * in a copyset whose other members they are (black-box-group.ts).
 */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import { RaftService, RejectReason } from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import type { ConformanceCase } from "../../runner/case.js";
import { check } from "../../runner/case-failure.js";
import { rejects, steps } from "../../runner/define-case.js";
import { expectError } from "../../runner/expect-error.js";
import { invalidArgument } from "../expected.js";
import { blackBoxGroup, leadTarget, voteFrom } from "./black-box-group.js";

const m = RaftService.method;
const TERM_RULES =
  "A node that receives a request with a higher term adopts it (persisting it, with no vote) and becomes a follower, before handling the request.";

function rejected(reason: RejectReason): string {
  return RejectReason[reason] ?? String(reason);
}

/** Checks a vote answer: granted or refused with `reason`, and the responder's term. */
function checkVote(
  what: string,
  reply: { granted: boolean; rejectReason: RejectReason; term: bigint },
  expected:
    | { granted: true; term: bigint }
    | { granted: false; reason: RejectReason; term: bigint },
): void {
  const got = reply.granted ? "granted" : `refused ${rejected(reply.rejectReason)}`;
  if (expected.granted) {
    check(reply.granted, `${what}: expected granted, got ${got}`);
  } else {
    check(
      !reply.granted && reply.rejectReason === expected.reason,
      `${what}: expected refused ${rejected(expected.reason)}, got ${got}`,
    );
  }
  check(
    reply.term === expected.term,
    `${what}: response term ${reply.term}, expected ${expected.term}`,
  );
}

const validationCases: ConformanceCase[] = [
  rejects({
    id: "raft.request_vote.last_log_term_not_below_term",
    method: m.requestVote,
    spec: "A candidate never has an entry of its new term when it campaigns, hence `last_log_term` < `term`.",
    request: {
      groupId: (5n << 32n) | 1n,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 3n,
      lastLogIndex: 4n,
      lastLogTerm: 3n,
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.request_vote.from_equals_to",
    method: m.requestVote,
    spec: "from and to must differ (rule raft.from_not_to).",
    request: { groupId: (5n << 32n) | 1n, from: "127.0.0.1:7001", to: "127.0.0.1:7001", term: 3n },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.request_vote.group_id_zero_copyset",
    method: m.requestVote,
    spec: "The group: (pool_id << 32) | copyset_id, both halves non-zero.",
    request: { groupId: 5n << 32n, from: "127.0.0.1:7001", to: "127.0.0.1:7002", term: 3n },
    expect: invalidArgument("group_id"),
  }),
  rejects({
    id: "raft.request_vote.term_zero",
    method: m.requestVote,
    spec: "The candidate's current term, already incremented for this election (>= 1).",
    request: { groupId: (5n << 32n) | 1n, from: "127.0.0.1:7001", to: "127.0.0.1:7002", term: 0n },
    expect: invalidArgument("term"),
  }),
  rejects({
    id: "raft.request_vote.last_log_id_inconsistent",
    method: m.requestVote,
    spec: "last_log_index and last_log_term are both zero (empty log) or both non-zero.",
    request: {
      groupId: (5n << 32n) | 1n,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 3n,
      lastLogIndex: 2n,
    },
    expect: invalidArgument(),
  }),
  rejects({
    id: "raft.pre_vote.from_not_host_port",
    method: m.preVote,
    spec: 'The candidate\'s address ("host:port").',
    request: { groupId: (5n << 32n) | 1n, from: "not an address", to: "127.0.0.1:7002", term: 3n },
    expect: invalidArgument("from"),
  }),
  rejects({
    id: "raft.pre_vote.last_log_term_not_below_term",
    method: m.preVote,
    spec: "last_log_term must be lower than the proposed term (rule pre_vote.last_log_term_below_term).",
    request: {
      groupId: (5n << 32n) | 1n,
      from: "127.0.0.1:7001",
      to: "127.0.0.1:7002",
      term: 2n,
      lastLogIndex: 1n,
      lastLogTerm: 2n,
    },
    expect: invalidArgument(),
  }),
];

export const voteCases: ConformanceCase[] = [
  ...validationCases,
  steps({
    id: "raft.request_vote.peer_mismatch",
    method: m.requestVote,
    spec: "`failed_precondition` ERROR_REASON_PEER_MISMATCH: `to` is not this server's address.",
    reasons: [ErrorReason.PEER_MISMATCH],
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await expectError(
        group.raft.requestVote({ ...voteFrom(group, group.a, 1n), to: group.b.address }),
        { code: Code.FailedPrecondition, reason: ErrorReason.PEER_MISMATCH },
      );
    },
  }),
  steps({
    id: "raft.request_vote.grants_and_adopts_term",
    method: m.requestVote,
    spec: `${TERM_RULES} … it grants iff it has not voted for another node in this term and the candidate's log is at least as up to date as its own.`,
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      const reply = await group.raft.requestVote(voteFrom(group, group.a, 5n));
      checkVote("RequestVote term 5 to a fresh node", reply, { granted: true, term: 5n });
      const status = await group.status();
      check(status.term === 5n, `GetCopysetStatus term ${status.term} after granting in term 5`);
    },
  }),
  steps({
    id: "raft.request_vote.one_vote_per_term",
    method: m.requestVote,
    spec: "REJECT_REASON_ALREADY_VOTED: the voter already voted for another node in this term. … Idempotent: a node that granted its vote grants it again to the same candidate in the same term.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      checkVote("first candidate", await group.raft.requestVote(voteFrom(group, group.a, 4n)), {
        granted: true,
        term: 4n,
      });
      checkVote(
        "second candidate, same term",
        await group.raft.requestVote(voteFrom(group, group.b, 4n)),
        {
          granted: false,
          reason: RejectReason.ALREADY_VOTED,
          term: 4n,
        },
      );
      checkVote(
        "first candidate again",
        await group.raft.requestVote(voteFrom(group, group.a, 4n)),
        {
          granted: true,
          term: 4n,
        },
      );
    },
  }),
  steps({
    id: "raft.request_vote.stale_term_rejected",
    method: m.requestVote,
    spec: "A request with a lower term is rejected with REJECT_REASON_STALE_TERM and changes nothing.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await group.raft.requestVote(voteFrom(group, group.a, 6n));
      checkVote(
        "RequestVote term 3 after term 6",
        await group.raft.requestVote(voteFrom(group, group.b, 3n)),
        {
          granted: false,
          reason: RejectReason.STALE_TERM,
          term: 6n,
        },
      );
    },
  }),
  steps({
    id: "raft.request_vote.log_not_up_to_date",
    method: m.requestVote,
    spec: "REJECT_REASON_LOG_NOT_UP_TO_DATE: the candidate's last log entry is older than the voter's (lower `last_log_term`, or the same term and a lower `last_log_index`).",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n, [2n, 2n]);
      // leader_transfer: the lease of leader A must not hide the log check.
      const vote = (term: bigint, index: bigint, lastTerm: bigint) =>
        group.raft.requestVote({
          ...voteFrom(group, group.b, term, index, lastTerm),
          leaderTransfer: true,
        });
      checkVote("same last term, shorter log", await vote(3n, 1n, 2n), {
        granted: false,
        reason: RejectReason.LOG_NOT_UP_TO_DATE,
        term: 3n,
      });
      checkVote("longer log, lower last term", await vote(4n, 9n, 1n), {
        granted: false,
        reason: RejectReason.LOG_NOT_UP_TO_DATE,
        term: 4n,
      });
      checkVote("equal log", await vote(5n, 2n, 2n), { granted: true, term: 5n });
    },
  }),
  steps({
    id: "raft.request_vote.leader_alive_keeps_term",
    method: m.requestVote,
    spec: "Unless `leader_transfer` is set, a receiver whose leader lease is running rejects with REJECT_REASON_LEADER_ALIVE and does not adopt the term.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      checkVote(
        "RequestVote right after a heartbeat",
        await group.raft.requestVote(voteFrom(group, group.b, 3n)),
        {
          granted: false,
          reason: RejectReason.LEADER_ALIVE,
          term: 2n,
        },
      );
      const status = await group.status();
      check(status.term === 2n, `term ${status.term} after a LEADER_ALIVE refusal, expected 2`);
    },
  }),
  steps({
    id: "raft.request_vote.leader_transfer_ignores_lease",
    method: m.requestVote,
    spec: "True when the election was started by `TimeoutNow` (a leadership transfer): voters then ignore their leader lease, because the current leader asked for this election.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      const reply = await group.raft.requestVote({
        ...voteFrom(group, group.b, 3n),
        leaderTransfer: true,
      });
      checkVote("RequestVote with leader_transfer during a lease", reply, {
        granted: true,
        term: 3n,
      });
    },
  }),
  steps({
    id: "raft.pre_vote.grants_without_state_change",
    method: m.preVote,
    spec: "The receiver grants iff a `RequestVote` with the same fields would be granted right now … It never changes its term, vote or timers because of a PreVote.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      checkVote(
        "PreVote term 7 to a fresh node",
        await group.raft.preVote(voteFrom(group, group.a, 7n)),
        {
          granted: true,
          term: 0n,
        },
      );
      const status = await group.status();
      check(status.term === 0n, `term ${status.term} after a PreVote, expected 0 (unchanged)`);
      // No vote was recorded for A: B gets the real vote of term 7.
      checkVote(
        "RequestVote term 7 from another node",
        await group.raft.requestVote(voteFrom(group, group.b, 7n)),
        {
          granted: true,
          term: 7n,
        },
      );
    },
  }),
  steps({
    id: "raft.pre_vote.stale_term_rejected",
    method: m.preVote,
    spec: "Rejections (OK with `granted = false`), checked in this order, the first that applies is reported: REJECT_REASON_STALE_TERM, …",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await group.raft.requestVote(voteFrom(group, group.a, 6n));
      checkVote(
        "PreVote term 4 after term 6",
        await group.raft.preVote(voteFrom(group, group.b, 4n)),
        {
          granted: false,
          reason: RejectReason.STALE_TERM,
          term: 6n,
        },
      );
    },
  }),
  steps({
    id: "raft.pre_vote.leader_alive",
    method: m.preVote,
    spec: "Leader lease (stickiness): a node that heard from a live leader of its current term less than T ago refuses `PreVote` and `RequestVote` with REJECT_REASON_LEADER_ALIVE.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await leadTarget(group, group.a, 2n);
      checkVote(
        "PreVote right after a heartbeat",
        await group.raft.preVote(voteFrom(group, group.b, 3n)),
        {
          granted: false,
          reason: RejectReason.LEADER_ALIVE,
          term: 2n,
        },
      );
    },
  }),
  steps({
    id: "raft.pre_vote.log_not_up_to_date",
    method: m.preVote,
    spec: "the candidate's log is at least as up to date as the receiver's (compare `last_log_term`, then `last_log_index`)",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      // Term 3 by a vote (no leader, so no lease), then entries from a leader of term 3 would
      // start a lease: give the log first, then move past the lease with a higher-term vote.
      await leadTarget(group, group.a, 2n, [2n, 2n, 2n]);
      await group.raft.requestVote({
        ...voteFrom(group, group.a, 3n, 3n, 2n),
        leaderTransfer: true,
      });
      checkVote(
        "PreVote with a shorter log",
        await group.raft.preVote(voteFrom(group, group.b, 4n, 1n, 2n)),
        {
          granted: false,
          reason: RejectReason.LOG_NOT_UP_TO_DATE,
          term: 3n,
        },
      );
    },
  }),
  steps({
    id: "raft.pre_vote.sent_with_next_term_and_no_term_change",
    method: m.preVote,
    spec: "A follower whose election timer fires, and which is a voter of its configuration, first runs a pre-vote: it sends `PreVote` with term = its term + 1 to every other voter **without** changing its own term or vote.",
    run: async (ctx) => {
      const group = await blackBoxGroup(ctx);
      await group.raft.requestVote(voteFrom(group, group.a, 4n));
      const preVote = await group.b.receive(group.groupId, "pre_vote", (r) => r.term === 5n);
      check(
        preVote.from === group.target,
        `PreVote from ${preVote.from}, expected ${group.target}`,
      );
      check(preVote.to === group.b.address, `PreVote to ${preVote.to}`);
      check(
        preVote.lastLogIndex === 0n && preVote.lastLogTerm === 0n,
        "PreVote of an empty log names a last entry",
      );
      const status = await group.status();
      check(
        status.term === 4n,
        `the candidate's term is ${status.term} during its pre-vote, expected 4`,
      );
    },
  }),
];

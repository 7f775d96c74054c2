import {
  AddPeerRequestSchema,
  ChangePeersRequestSchema,
  GetLeaderRequestSchema,
  RemovePeerRequestSchema,
  ResetPeerRequestSchema,
  SnapshotRequestSchema,
  TransferLeaderRequestSchema,
} from "../../../impl/gen/curve/raft/v1/cli_pb.js";
import {
  AppendEntriesRequestSchema,
  ConfChangeSchema,
  ConfChangeType,
  ConfigurationSchema,
  EntrySchema,
  EntryType,
  InstallSnapshotRequestSchema,
  PreVoteRequestSchema,
  RequestVoteRequestSchema,
  SnapshotMetaSchema,
  TimeoutNowRequestSchema,
} from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import { sample, type ValidationSample } from "./sample.js";

const MiB = 1024 * 1024;

/** Group (pool 1, copyset 7) on the Raft wire: (1 << 32) | 7. */
const groupId = (1n << 32n) | 7n;

const a = { id: 1, address: "10.0.0.1:16701" };
const b = { id: 2, address: "10.0.0.2:16701" };
const c = { id: 3, address: "10.0.0.3:16701" };
const d = { id: 4, address: "10.0.0.4:16701" };

const configuration = { voters: [a, b, c] };

const addressing = { groupId, from: a.address, to: b.address, term: 5n };

const normalEntry = { index: 11n, term: 5n, type: EntryType.NORMAL, data: new Uint8Array([1, 2]) };

const confChange = {
  type: ConfChangeType.ADD_PEER,
  peer: d,
  configuration: { voters: [a, b, c, d] },
};

const snapshotMeta = { lastIncludedIndex: 100n, lastIncludedTerm: 4n, configuration };

const preVote = { ...addressing, term: 6n, lastLogIndex: 10n, lastLogTerm: 5n };

const requestVote = { ...addressing, term: 6n, lastLogIndex: 10n, lastLogTerm: 5n };

const appendEntries = {
  ...addressing,
  prevLogIndex: 10n,
  prevLogTerm: 5n,
  entries: [normalEntry, { index: 12n, term: 5n, type: EntryType.NO_OP }],
  leaderCommit: 9n,
  readContext: 3n,
};

const lastChunk = {
  ...addressing,
  meta: snapshotMeta,
  snapshotId: "4-100-a1b2",
  totalBytes: BigInt(MiB + 10),
  offset: BigInt(MiB),
  data: new Uint8Array(10),
  done: true,
  sha256: new Uint8Array(32),
};

const cliGroup = { poolId: 1, copysetId: 7 };

const resetPeer = { ...cliGroup, peer: a, newPeers: [a] };

export const raftSamples: ValidationSample[] = [
  sample(EntrySchema, normalEntry, [
    { why: "index starts at 1", init: { ...normalEntry, index: 0n }, ruleId: "uint64.gt" },
    { why: "term is at least 1", init: { ...normalEntry, term: 0n }, ruleId: "uint64.gt" },
    {
      why: "type must not be unspecified",
      init: { ...normalEntry, type: EntryType.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    {
      why: "type must be defined",
      init: { ...normalEntry, type: 42 as EntryType },
      ruleId: "enum.defined_only",
    },
    {
      why: "data is at most 32 MiB",
      init: { ...normalEntry, data: new Uint8Array(32 * MiB + 1) },
      ruleId: "bytes.max_len",
    },
    {
      why: "a CONF_CHANGE entry carries a conf change",
      init: { index: 11n, term: 5n, type: EntryType.CONF_CHANGE },
      ruleId: "entry.conf_change_iff_type",
    },
    {
      why: "only CONF_CHANGE entries carry a conf change",
      init: { ...normalEntry, confChange },
      ruleId: "entry.conf_change_iff_type",
    },
    {
      why: "NO_OP entries carry no data",
      init: { ...normalEntry, type: EntryType.NO_OP },
      ruleId: "entry.data_only_for_normal",
    },
  ]),
  sample(ConfigurationSchema, configuration, [
    { why: "at least one voter", init: { voters: [] }, ruleId: "repeated.min_items" },
    {
      why: "at most 16 voters",
      init: {
        voters: Array.from({ length: 17 }, (_, i) => ({ id: i + 1, address: `10.0.1.${i}:16701` })),
      },
      ruleId: "repeated.max_items",
    },
    {
      why: "voter addresses are unique",
      init: { voters: [a, { ...a, id: 9 }] },
      ruleId: "configuration.unique_addresses",
    },
  ]),
  sample(ConfChangeSchema, confChange, [
    {
      why: "type must not be unspecified",
      init: { ...confChange, type: ConfChangeType.UNSPECIFIED },
      ruleId: "enum.not_in",
    },
    {
      why: "configuration is required",
      init: { type: ConfChangeType.ADD_PEER, peer: d },
      ruleId: "required",
    },
    {
      why: "ADD_PEER names the peer",
      init: { type: ConfChangeType.ADD_PEER, configuration },
      ruleId: "conf_change.peer_iff_single_change",
    },
    {
      why: "RESET names no peer",
      init: { type: ConfChangeType.RESET, peer: a, configuration },
      ruleId: "conf_change.peer_iff_single_change",
    },
    {
      why: "an added peer is in the resulting configuration",
      init: { ...confChange, configuration },
      ruleId: "conf_change.added_peer_is_voter",
    },
    {
      why: "a removed peer is not in the resulting configuration",
      init: { type: ConfChangeType.REMOVE_PEER, peer: c, configuration },
      ruleId: "conf_change.removed_peer_not_voter",
    },
  ]),
  sample(SnapshotMetaSchema, snapshotMeta, [
    {
      why: "last included index is at least 1",
      init: { ...snapshotMeta, lastIncludedIndex: 0n },
      ruleId: "uint64.gt",
    },
    {
      why: "last included term is at least 1",
      init: { ...snapshotMeta, lastIncludedTerm: 0n },
      ruleId: "uint64.gt",
    },
    {
      why: "configuration is required",
      init: { lastIncludedIndex: 100n, lastIncludedTerm: 4n },
      ruleId: "required",
    },
  ]),
  sample(PreVoteRequestSchema, preVote, [
    {
      why: "group id needs a pool id",
      init: { ...preVote, groupId: 7n },
      ruleId: "raft.group_id",
    },
    {
      why: "group id needs a copyset id",
      init: { ...preVote, groupId: 1n << 32n },
      ruleId: "raft.group_id",
    },
    {
      why: "from is host:port",
      init: { ...preVote, from: "10.0.0.1" },
      ruleId: "string.host_and_port",
    },
    { why: "to is required", init: { ...preVote, to: "" }, ruleId: "string.host_and_port_empty" },
    { why: "from and to differ", init: { ...preVote, to: a.address }, ruleId: "raft.from_not_to" },
    { why: "term is at least 1", init: { ...preVote, term: 0n }, ruleId: "uint64.gt" },
    {
      why: "an empty log has term 0",
      init: { ...preVote, lastLogIndex: 0n },
      ruleId: "raft.last_log_id_consistent",
    },
    {
      why: "the proposed term is above the last log term",
      init: { ...preVote, term: 5n },
      ruleId: "pre_vote.last_log_term_below_term",
    },
  ]),
  sample(RequestVoteRequestSchema, requestVote, [
    {
      why: "group id needs both halves",
      init: { ...requestVote, groupId: 0n },
      ruleId: "raft.group_id",
    },
    {
      why: "from is host:port",
      init: { ...requestVote, from: "no port" },
      ruleId: "string.host_and_port",
    },
    {
      why: "from and to differ",
      init: { ...requestVote, from: b.address },
      ruleId: "raft.from_not_to",
    },
    { why: "term is at least 1", init: { ...requestVote, term: 0n }, ruleId: "uint64.gt" },
    {
      why: "a non-empty log has a non-zero last term",
      init: { ...requestVote, lastLogTerm: 0n },
      ruleId: "raft.last_log_id_consistent",
    },
    {
      why: "the candidate's term is above its last log term",
      init: { ...requestVote, lastLogTerm: 6n },
      ruleId: "request_vote.last_log_term_below_term",
    },
  ]),
  sample(AppendEntriesRequestSchema, appendEntries, [
    {
      why: "group id needs a copyset id",
      init: { ...appendEntries, groupId: 2n << 32n },
      ruleId: "raft.group_id",
    },
    {
      why: "to is host:port",
      init: { ...appendEntries, to: "10.0.0.2:port" },
      ruleId: "string.host_and_port",
    },
    {
      why: "from and to differ",
      init: { ...appendEntries, to: a.address },
      ruleId: "raft.from_not_to",
    },
    { why: "term is at least 1", init: { ...appendEntries, term: 0n }, ruleId: "uint64.gt" },
    {
      why: "prev index and term are both zero or both set",
      init: { ...appendEntries, prevLogTerm: 0n, entries: [] },
      ruleId: "append_entries.prev_log_id_consistent",
    },
    {
      why: "prev term is at most the leader's term",
      init: { ...appendEntries, prevLogTerm: 6n, entries: [] },
      ruleId: "append_entries.prev_log_term_not_above_term",
    },
    {
      why: "entries start right after prev_log_index",
      init: { ...appendEntries, entries: [{ ...normalEntry, index: 12n }] },
      ruleId: "append_entries.entries_contiguous",
    },
    {
      why: "entries have no gap",
      init: { ...appendEntries, entries: [normalEntry, { ...normalEntry, index: 13n }] },
      ruleId: "append_entries.entries_contiguous",
    },
    {
      why: "entry terms do not exceed the leader's term",
      init: { ...appendEntries, entries: [{ ...normalEntry, term: 6n }] },
      ruleId: "append_entries.entry_terms_in_range",
    },
    {
      why: "entry terms are not below prev_log_term",
      init: { ...appendEntries, entries: [{ ...normalEntry, term: 4n }] },
      ruleId: "append_entries.entry_terms_in_range",
    },
    {
      why: "at most 1024 entries",
      init: {
        ...appendEntries,
        entries: Array.from({ length: 1025 }, (_, i) => ({
          index: 11n + BigInt(i),
          term: 5n,
          type: EntryType.NO_OP,
        })),
      },
      ruleId: "repeated.max_items",
    },
    {
      why: "entries are validated",
      init: { ...appendEntries, entries: [{ ...normalEntry, type: EntryType.UNSPECIFIED }] },
      ruleId: "enum.not_in",
    },
  ]),
  sample(InstallSnapshotRequestSchema, lastChunk, [
    {
      why: "group id needs a pool id",
      init: { ...lastChunk, groupId: 9n },
      ruleId: "raft.group_id",
    },
    {
      why: "from is required",
      init: { ...lastChunk, from: "" },
      ruleId: "string.host_and_port_empty",
    },
    {
      why: "from and to differ",
      init: { ...lastChunk, to: a.address },
      ruleId: "raft.from_not_to",
    },
    { why: "term is at least 1", init: { ...lastChunk, term: 0n }, ruleId: "uint64.gt" },
    {
      why: "meta is required",
      init: { ...lastChunk, meta: undefined },
      ruleId: "required",
    },
    {
      why: "snapshot id uses the allowed characters",
      init: { ...lastChunk, snapshotId: "snap/1" },
      ruleId: "string.pattern",
    },
    {
      why: "snapshot id is required",
      init: { ...lastChunk, snapshotId: "" },
      ruleId: "string.pattern",
    },
    {
      why: "a snapshot is not empty",
      init: { ...lastChunk, totalBytes: 0n, offset: 0n, data: new Uint8Array(0) },
      ruleId: "uint64.gt",
    },
    {
      why: "a chunk carries data",
      init: { ...lastChunk, offset: BigInt(MiB + 10), data: new Uint8Array(0) },
      ruleId: "bytes.min_len",
    },
    {
      why: "a chunk carries at most 1 MiB",
      init: {
        ...lastChunk,
        totalBytes: BigInt(3 * MiB),
        offset: BigInt(MiB),
        data: new Uint8Array(2 * MiB),
      },
      ruleId: "bytes.max_len",
    },
    {
      why: "a chunk stays inside the file",
      init: { ...lastChunk, data: new Uint8Array(11) },
      ruleId: "install_snapshot.chunk_in_range",
    },
    {
      why: "done is set on the chunk that ends the file",
      init: { ...lastChunk, done: false, sha256: new Uint8Array(0) },
      ruleId: "install_snapshot.done_iff_last_chunk",
    },
    {
      why: "done is not set on an earlier chunk",
      init: { ...lastChunk, offset: 0n, data: new Uint8Array(MiB) },
      ruleId: "install_snapshot.done_iff_last_chunk",
    },
    {
      why: "the last chunk carries a 32-byte SHA-256",
      init: { ...lastChunk, sha256: new Uint8Array(20) },
      ruleId: "install_snapshot.sha256_iff_done",
    },
    {
      why: "only the last chunk carries the SHA-256",
      init: { ...lastChunk, offset: 0n, data: new Uint8Array(MiB), done: false },
      ruleId: "install_snapshot.sha256_iff_done",
    },
    {
      why: "the snapshot's term is at most the leader's",
      init: { ...lastChunk, meta: { ...snapshotMeta, lastIncludedTerm: 6n } },
      ruleId: "install_snapshot.meta_term_not_above_term",
    },
    {
      why: "meta is validated",
      init: { ...lastChunk, meta: { ...snapshotMeta, configuration: { voters: [] } } },
      ruleId: "repeated.min_items",
    },
  ]),
  sample(TimeoutNowRequestSchema, addressing, [
    {
      why: "group id needs both halves",
      init: { ...addressing, groupId: 0n },
      ruleId: "raft.group_id",
    },
    {
      why: "to is host:port",
      init: { ...addressing, to: "[::1]" },
      ruleId: "string.host_and_port",
    },
    {
      why: "from and to differ",
      init: { ...addressing, from: b.address },
      ruleId: "raft.from_not_to",
    },
    { why: "term is at least 1", init: { ...addressing, term: 0n }, ruleId: "uint64.gt" },
  ]),
  sample(GetLeaderRequestSchema, cliGroup, [
    { why: "pool id is at least 1", init: { ...cliGroup, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { ...cliGroup, copysetId: 0 }, ruleId: "uint32.gt" },
  ]),
  sample(AddPeerRequestSchema, { ...cliGroup, peer: d }, [
    { why: "pool id is at least 1", init: { copysetId: 7, peer: d }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { poolId: 1, peer: d }, ruleId: "uint32.gt" },
    { why: "peer is required", init: cliGroup, ruleId: "required" },
    {
      why: "peer address is validated",
      init: { ...cliGroup, peer: { id: 4, address: "" } },
      ruleId: "string.min_len",
    },
  ]),
  sample(RemovePeerRequestSchema, { ...cliGroup, peer: c }, [
    { why: "pool id is at least 1", init: { copysetId: 7, peer: c }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { poolId: 1, peer: c }, ruleId: "uint32.gt" },
    { why: "peer is required", init: cliGroup, ruleId: "required" },
  ]),
  sample(ChangePeersRequestSchema, { ...cliGroup, newPeers: [a, b, d] }, [
    { why: "pool id is at least 1", init: { copysetId: 7, newPeers: [a] }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { poolId: 1, newPeers: [a] }, ruleId: "uint32.gt" },
    { why: "at least one peer", init: cliGroup, ruleId: "repeated.min_items" },
    {
      why: "at most 16 peers",
      init: {
        ...cliGroup,
        newPeers: Array.from({ length: 17 }, (_, i) => ({
          id: i + 1,
          address: `10.0.1.${i}:16701`,
        })),
      },
      ruleId: "repeated.max_items",
    },
    {
      why: "peer addresses are unique",
      init: { ...cliGroup, newPeers: [a, b, { ...b, id: 0 }] },
      ruleId: "change_peers.unique_addresses",
    },
  ]),
  sample(TransferLeaderRequestSchema, { ...cliGroup, transferee: b }, [
    { why: "pool id is at least 1", init: { copysetId: 7 }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { poolId: 1 }, ruleId: "uint32.gt" },
    {
      why: "transferee address is validated",
      init: { ...cliGroup, transferee: { id: 2, address: "x" } },
      ruleId: "string.min_len",
    },
  ]),
  sample(ResetPeerRequestSchema, resetPeer, [
    { why: "pool id is at least 1", init: { ...resetPeer, poolId: 0 }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { ...resetPeer, copysetId: 0 }, ruleId: "uint32.gt" },
    {
      why: "the node being reset is named",
      init: { ...cliGroup, newPeers: [a] },
      ruleId: "required",
    },
    {
      why: "at least one peer",
      init: { ...resetPeer, newPeers: [] },
      ruleId: "repeated.min_items",
    },
    {
      why: "peer addresses are unique",
      init: { ...resetPeer, newPeers: [a, a] },
      ruleId: "reset_peer.unique_addresses",
    },
    {
      why: "the forced configuration includes the node being reset",
      init: { ...resetPeer, newPeers: [b, c] },
      ruleId: "reset_peer.includes_peer",
    },
  ]),
  sample(SnapshotRequestSchema, { ...cliGroup, peer: a }, [
    { why: "pool id is at least 1", init: { copysetId: 7 }, ruleId: "uint32.gt" },
    { why: "copyset id is at least 1", init: { poolId: 1 }, ruleId: "uint32.gt" },
    {
      why: "peer address is validated when given",
      init: { ...cliGroup, peer: { id: 1, address: "" } },
      ruleId: "string.min_len",
    },
  ]),
];

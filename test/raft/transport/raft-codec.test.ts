/**
 * The core's messages ↔ raft.proto: every field survives the trip, CONF_CHANGE entries come back
 * byte for byte, and numbers the core cannot hold are refused.
 */
import { describe, expect, it } from "vitest";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";
import {
  ConfChangeType,
  EntryType as EntryTypePb,
  RejectReason,
} from "../../../impl/gen/curve/raft/v1/raft_pb.js";
import {
  type AppendEntriesRequest,
  type AppendEntriesResponse,
  type Entry,
  EntryType,
  encodeConfChange,
} from "../../../impl/raft/core/index.js";
import {
  appendEntriesFromWire,
  appendEntriesResponseFromWire,
  appendEntriesResponseToWire,
  appendEntriesToWire,
  entryFromWire,
  entryToWire,
  fromUint64,
  rejectFromWire,
  rejectToWire,
} from "../../../impl/raft/transport/raft-codec.js";

const GROUP = (1n << 32n) | 7n;

describe("raft codec", () => {
  it("entries of every type round-trip, a CONF_CHANGE entry byte for byte", () => {
    const entries: Entry[] = [
      { index: 1, term: 1, type: EntryType.NoOp, data: new Uint8Array(0) },
      { index: 2, term: 1, type: EntryType.Normal, data: new Uint8Array([1, 2, 3]) },
      {
        index: 3,
        term: 2,
        type: EntryType.ConfChange,
        data: encodeConfChange({
          change: { kind: "add", node: "10.0.0.4:8200" },
          conf: { voters: ["10.0.0.1:8200", "10.0.0.2:8200", "10.0.0.4:8200"] },
        }),
      },
    ];
    for (const entry of entries) expect(entryFromWire(entryToWire(entry))).toEqual(entry);
    const wire = entryToWire(entries[2] as Entry);
    expect(wire.type).toBe(EntryTypePb.CONF_CHANGE);
    expect(wire.data).toHaveLength(0);
    expect(wire.confChange?.peer?.address).toBe("10.0.0.4:8200");
  });

  it("a RESET entry (ResetPeer) round-trips as CONF_CHANGE_TYPE_RESET with no peer", () => {
    const entry: Entry = {
      index: 9,
      term: 4,
      type: EntryType.ConfChange,
      data: encodeConfChange({ change: { kind: "reset" }, conf: { voters: ["10.0.0.1:8200"] } }),
    };
    const wire = entryToWire(entry);
    expect(wire.confChange?.type).toBe(ConfChangeType.RESET);
    expect(wire.confChange?.peer).toBeUndefined();
    expect(wire.confChange?.configuration?.voters.map((p) => p.address)).toEqual(["10.0.0.1:8200"]);
    expect(entryFromWire(wire)).toEqual(entry);
  });

  it("an AppendEntries request and its answer round-trip", () => {
    const request: AppendEntriesRequest = {
      type: "append-entries",
      from: "127.0.0.1:1",
      to: "127.0.0.1:2",
      term: 5,
      prevLogIndex: 9,
      prevLogTerm: 4,
      entries: [{ index: 10, term: 5, type: EntryType.Normal, data: new Uint8Array([7]) }],
      leaderCommit: 8,
      readContext: 3,
    };
    const wire = appendEntriesToWire(GROUP, request);
    expect(wire.groupId).toBe(GROUP);
    expect(appendEntriesFromWire(wire)).toEqual(request);
    const answer: AppendEntriesResponse = {
      type: "append-entries-response",
      from: "127.0.0.1:2",
      to: "127.0.0.1:1",
      term: 5,
      success: false,
      rejectReason: "log-mismatch",
      matchIndex: 0,
      rejectHintIndex: 7,
      rejectHintTerm: 3,
      lastLogIndex: 7,
      readContext: 3,
    };
    expect(appendEntriesResponseFromWire(request, appendEntriesResponseToWire(answer))).toEqual(
      answer,
    );
  });

  it("reject reasons map one to one, UNSPECIFIED to none", () => {
    for (const reason of [
      "stale-term",
      "log-mismatch",
      "log-not-up-to-date",
      "already-voted",
      "leader-alive",
      "not-voter",
      "snapshot-superseded",
    ] as const) {
      expect(rejectFromWire(rejectToWire(reason))).toBe(reason);
    }
    expect(rejectToWire(undefined)).toBe(RejectReason.UNSPECIFIED);
    expect(rejectFromWire(RejectReason.UNSPECIFIED)).toBeUndefined();
  });

  it("a term or index beyond 2^53 - 1 is INVALID_ARGUMENT", () => {
    expect(() => fromUint64(1n << 60n, "term")).toThrow(
      expect.objectContaining({ reason: ErrorReason.INVALID_ARGUMENT }),
    );
    expect(fromUint64(BigInt(Number.MAX_SAFE_INTEGER), "term")).toBe(Number.MAX_SAFE_INTEGER);
  });
});

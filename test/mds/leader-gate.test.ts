/**
 * The leader gate (mds.proto's service comment): who serves, what a follower and a loading
 * leader answer, and that a leader which loses its lease stops serving at once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { electionPrefix } from "../../impl/mds/keys.js";
import { ElectedLeaderGate } from "../../impl/mds/leader-gate.js";
import { Election } from "../../impl/storage/election.js";
import { eventually } from "../support/eventually.js";
import { KV_BACKENDS, type KvBackend, openKvBackend } from "../support/mds-kv-backends.js";

function reasonOf(call: () => unknown): ErrorReason | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    return error instanceof CurveError ? error.reason : ErrorReason.UNSPECIFIED;
  }
}

describe("ElectedLeaderGate states", () => {
  it("a follower that knows the leader answers NOT_LEADER with its address", () => {
    const gate = new ElectedLeaderGate("10.0.0.2:6700");
    gate.follow("10.0.0.1:6700");
    let error: CurveError | undefined;
    try {
      gate.assertServing();
    } catch (e) {
      error = e as CurveError;
    }
    expect(error?.reason).toBe(ErrorReason.NOT_LEADER);
    expect(error?.leaderHint).toBe("10.0.0.1:6700");
  });

  it("a follower that knows no leader (or only itself, stale) answers LEADER_UNKNOWN", () => {
    const gate = new ElectedLeaderGate("10.0.0.2:6700");
    expect(reasonOf(() => gate.assertServing())).toBe(ErrorReason.LEADER_UNKNOWN);
    gate.follow("10.0.0.2:6700");
    expect(reasonOf(() => gate.assertServing())).toBe(ErrorReason.LEADER_UNKNOWN);
  });

  it("a follower cannot write", async () => {
    const gate = new ElectedLeaderGate("a:1");
    const error = await gate.txn({ compare: [], success: [] }).catch((e: unknown) => e);
    expect((error as CurveError).reason).toBe(ErrorReason.NOT_LEADER);
  });
});

describe.each(KV_BACKENDS)("ElectedLeaderGate with a real election on %s", (backend) => {
  let store: KvBackend;
  beforeEach(async () => {
    store = await openKvBackend(backend, "mds-gate");
  });
  afterEach(() => store.close());

  it("a new leader answers NOT_READY until its state is loaded, then serves", async () => {
    const gate = new ElectedLeaderGate("a:1");
    const leadership = await new Election(store.kv, electionPrefix()).campaign("a:1");
    const term = gate.begin(leadership);
    expect(reasonOf(() => gate.assertServing())).toBe(ErrorReason.NOT_READY);
    expect(gate.markReady(term)).toBe(true);
    expect(reasonOf(() => gate.assertServing())).toBeUndefined();
    await leadership.resign();
  });

  it("a leader whose lease is lost stops serving at once and its writes are refused", async () => {
    const gate = new ElectedLeaderGate("a:1");
    const leadership = await new Election(store.kv, electionPrefix()).campaign("a:1");
    const term = gate.begin(leadership);
    gate.markReady(term);
    await store.kv.revokeLease(leadership.lease.id);
    const write = await gate
      .txn({ compare: [], success: [{ type: "put", key: "/fenced", value: "x" }] })
      .catch((e: unknown) => e);
    expect((write as CurveError).reason).toBe(ErrorReason.NOT_LEADER);
    expect(await store.kv.get("/fenced")).toBeUndefined();
    await eventually(() => (term.aborted ? true : undefined));
    expect(reasonOf(() => gate.assertServing())).toBe(ErrorReason.LEADER_UNKNOWN);
    expect(gate.signal.aborted).toBe(true);
  });

  it("stop() answers NOT_READY (shutting down)", async () => {
    const gate = new ElectedLeaderGate("a:1");
    const leadership = await new Election(store.kv, electionPrefix()).campaign("a:1");
    gate.markReady(gate.begin(leadership));
    expect(gate.stop()).toBe(leadership);
    expect(reasonOf(() => gate.assertServing())).toBe(ErrorReason.NOT_READY);
    await leadership.resign();
  });
});

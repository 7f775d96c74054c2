/**
 * The copyset epoch a heartbeat reports: counted by the copyset's state machine from committed
 * membership entries, carried by its snapshots (so a restarted or newly added replica reports
 * the same epoch as the others), and checked when a snapshot is read.
 */
import { describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { CopysetMachine } from "../../impl/metaserver/copyset-node.js";
import { decodeEpochSnapshot, encodeEpochSnapshot } from "../../impl/metaserver/epoch-snapshot.js";

describe("copyset epoch", () => {
  it("starts at 0 and grows by one per committed membership entry", () => {
    const machine = new CopysetMachine(1, 7);
    expect(machine.epoch).toBe(0n);
    machine.confChanged();
    machine.confChanged();
    expect(machine.epoch).toBe(2n);
  });

  it("survives a snapshot and its restore on another replica", () => {
    const leader = new CopysetMachine(1, 7);
    leader.confChanged();
    const follower = new CopysetMachine(1, 7);
    follower.restore(leader.snapshot());
    expect(follower.epoch).toBe(1n);
  });

  it("a damaged snapshot header is DATA_CORRUPTED", () => {
    const bytes = encodeEpochSnapshot(5n, new Uint8Array([1, 2, 3]));
    expect(decodeEpochSnapshot(bytes)).toEqual({ epoch: 5n, body: new Uint8Array([1, 2, 3]) });
    const damaged = bytes.slice();
    damaged[14] = (damaged[14] ?? 0) ^ 0xff;
    let error: unknown;
    try {
      decodeEpochSnapshot(damaged);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CurveError);
    expect((error as CurveError).reason).toBe(ErrorReason.DATA_CORRUPTED);
  });
});

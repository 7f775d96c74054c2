import { describe, expect, it } from "vitest";
import { CurveError } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { PendingWriteLimit } from "../../impl/metaserver/pending-write-limit.js";

/** A write that stays pending until released. */
function heldWrite() {
  let release = (): void => {};
  const done = new Promise<string>((resolve) => {
    release = () => resolve("applied");
  });
  return { write: () => done, release };
}

describe("PendingWriteLimit", () => {
  it("refuses writes beyond the cap with OVERLOADED and retry_after_ms, without running them", async () => {
    const limit = new PendingWriteLimit({ maxPending: 2, retryAfterMs: 75 });
    const a = heldWrite();
    const b = heldWrite();
    const first = limit.run(a.write);
    const second = limit.run(b.write);
    expect(limit.pending).toBe(2);
    let ran = false;
    const refused = await limit
      .run(async () => {
        ran = true;
        return "never";
      })
      .catch((error: unknown) => error);
    expect(ran).toBe(false);
    expect(refused).toBeInstanceOf(CurveError);
    expect((refused as CurveError).reason).toBe(ErrorReason.OVERLOADED);
    expect((refused as CurveError).retryAfterMs).toBe(75);

    a.release();
    expect(await first).toBe("applied");
    expect(limit.pending).toBe(1);
    expect(await limit.run(async () => "admitted")).toBe("admitted");
    b.release();
    await second;
    expect(limit.pending).toBe(0);
  });

  it("a failed write frees its slot", async () => {
    const limit = new PendingWriteLimit({ maxPending: 1 });
    await expect(limit.run(() => Promise.reject(new Error("not leader")))).rejects.toThrow(
      "not leader",
    );
    expect(limit.pending).toBe(0);
    expect(await limit.run(async () => 1)).toBe(1);
  });

  it("a cap below 1 is raised to 1", () => {
    expect(new PendingWriteLimit({ maxPending: 0 }).maxPending).toBe(1);
  });
});

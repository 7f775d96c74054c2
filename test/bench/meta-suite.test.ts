/**
 * The meta suite's unlink budget: an unlink load consumes the files its create load made, so
 * its operation budget must stay below what is there, and no load runs on too few files.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unlinkBudget } from "../../bench/suites/meta.js";

const opsOf = (phase: { ops: number } | { durationMs: number } | undefined) =>
  phase !== undefined && "ops" in phase ? phase.ops : Number.NaN;

describe("unlinkBudget", () => {
  it("spends 90 % of the files, a fifth of it as warm-up", () => {
    const budget = unlinkBudget(1000);
    expect({ warmup: opsOf(budget?.warmup), measure: opsOf(budget?.measure) }).toEqual({
      warmup: 180,
      measure: 720,
    });
  });

  it("never spends more files than there are, and measures at least one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (files) => {
        const budget = unlinkBudget(files);
        if (budget === undefined) return files < 3;
        const warmup = opsOf(budget.warmup);
        const measure = opsOf(budget.measure);
        return warmup >= 1 && measure >= 1 && warmup + measure <= files;
      }),
    );
  });

  it("skips a directory with too few files", () => {
    expect(unlinkBudget(0)).toBeUndefined();
    expect(unlinkBudget(2)).toBeUndefined();
    expect(unlinkBudget(3)).toBeDefined();
  });
});

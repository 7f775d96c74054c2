/**
 * The seeded generator behind election timeouts and the simulator.
 */
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../../impl/raft/core/index.js";

describe("seeded random", () => {
  it("a seed replays the same sequence", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const draws = (r: SeededRandom) => Array.from({ length: 20 }, () => r.nextInt(1000));
    expect(draws(a)).toEqual(draws(b));
    expect(draws(new SeededRandom(43))).not.toEqual(draws(new SeededRandom(42)));
  });

  it("draws stay in range and cover it evenly", () => {
    const random = new SeededRandom(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[random.nextInt(10)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("forks are independent streams that replay from the parent's seed", () => {
    const parent = new SeededRandom(1);
    const child = parent.fork();
    const again = new SeededRandom(1).fork();
    expect(child.nextUint32()).toBe(again.nextUint32());
    expect(child.nextUint32()).not.toBe(parent.nextUint32());
  });

  it("seeds beyond 32 bits still matter", () => {
    expect(new SeededRandom(2 ** 40).nextUint32()).not.toBe(new SeededRandom(0).nextUint32());
  });

  it("refuses a bound that is not a positive integer", () => {
    expect(() => new SeededRandom(1).nextInt(0)).toThrow(RangeError);
    expect(() => new SeededRandom(1).nextInt(1.5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { SerialQueue } from "../../../impl/client/data/serial-queue.js";
import { TaskLimiter } from "../../../impl/client/data/task-limiter.js";

/** A promise resolved from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("the shared request limiter", () => {
  it("never runs more than its limit at once and runs every task", async () => {
    const limiter = new TaskLimiter(3);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 10 }, deferred);
    const done = gates.map((gate, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    for (const gate of gates) {
      await new Promise((r) => setImmediate(r));
      expect(running).toBeLessThanOrEqual(3);
      gate.resolve();
    }
    expect(await Promise.all(done)).toEqual([...Array(10).keys()]);
    expect(peak).toBe(3);
  });

  it("frees the slot of a failed task", async () => {
    const limiter = new TaskLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limiter.run(async () => 7)).toBe(7);
  });

  it("rejects a limit below 1", () => {
    expect(() => new TaskLimiter(0)).toThrow(RangeError);
  });
});

describe("the serial queue", () => {
  it("runs operations one at a time in call order, past failures", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => {
      log.push("a start");
      await gate.promise;
      log.push("a end");
    });
    const second = queue.run(async () => {
      log.push("b");
      throw new Error("b failed");
    });
    const third = queue.run(async () => log.push("c"));
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(["a start"]);
    gate.resolve();
    await first;
    await expect(second).rejects.toThrow("b failed");
    await third;
    expect(log).toEqual(["a start", "a end", "b", "c"]);
  });
});

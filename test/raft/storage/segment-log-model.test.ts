import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Entry } from "../../../impl/raft/core/types.js";
import { SegmentLog } from "../../../impl/raft/storage/segment-log.js";
import { entry, tempDirs, view } from "./helpers.js";

const newDir = tempDirs();

/** A command with its position in the log given as a fraction of the valid range. */
const command = fc.oneof(
  fc.record({
    kind: fc.constant("append" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    count: fc.integer({ min: 1, max: 6 }),
    bump: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("truncate" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("compact" as const),
    at: fc.double({ min: 0, max: 0.5, noNaN: true }),
  }),
  fc.record({ kind: fc.constant("read" as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant("settle" as const) }),
  // Lets a flush get part-way, so later commands land in the middle of its file actions.
  fc.record({ kind: fc.constant("tick" as const), turns: fc.integer({ min: 1, max: 4 }) }),
);

/** The reference: what the log must contain, kept as a plain array. */
class Reference {
  prev = { index: 0, term: 0 };
  list: Entry[] = [];
  get last(): number {
    return this.prev.index + this.list.length;
  }
  term(index: number): number {
    return index === this.prev.index ? this.prev.term : this.list[index - this.prev.index - 1].term;
  }
  pick(at: number, lo: number, hi: number): number {
    return lo + Math.min(hi - lo, Math.floor(at * (hi - lo + 1)));
  }
}

describe("segment log against a reference model", () => {
  it("un-awaited appends, truncations, compactions and reads agree with the model, also after reopen", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 120, max: 600 }),
        async (commands, segmentBytes) => {
          const dir = await newDir();
          const log = await SegmentLog.open(dir, { segmentBytes });
          const model = new Reference();
          let pending: Promise<unknown>[] = [];
          let generation = 0;
          for (const c of commands) {
            if (c.kind === "append") {
              const from = model.pick(c.at, model.prev.index + 1, model.last + 1);
              const term = model.term(from - 1) + (c.bump ? 1 : 0);
              generation++;
              const fresh = Array.from({ length: c.count }, (_, k) =>
                entry(from + k, term, `g${generation}`),
              );
              model.list = [...model.list.slice(0, from - model.prev.index - 1), ...fresh];
              pending.push(log.append(fresh));
            } else if (c.kind === "truncate") {
              const to = model.pick(c.at, model.prev.index, model.last);
              model.list = model.list.slice(0, to - model.prev.index);
              pending.push(log.truncateSuffix(to));
            } else if (c.kind === "compact") {
              const to = model.pick(c.at, model.prev.index, model.last);
              if (to > model.prev.index) {
                const prev = { index: to, term: model.term(to) };
                model.list = model.list.slice(to - model.prev.index);
                model.prev = prev;
              }
              pending.push(log.compact(to));
            } else if (c.kind === "read") {
              const lo = model.pick(c.at, model.prev.index + 1, model.last + 1);
              const expected = view(model.list.slice(lo - model.prev.index - 1));
              pending.push(
                log.entries(lo, model.last + 1).then((got) => expect(view(got)).toEqual(expected)),
              );
            } else if (c.kind === "tick") {
              for (let k = 0; k < c.turns; k++) await new Promise((r) => setImmediate(r));
            } else {
              await Promise.all(pending);
              pending = [];
            }
            expect([log.firstIndex(), log.lastIndex()]).toEqual([model.prev.index + 1, model.last]);
          }
          await Promise.all(pending);
          await log.close();

          const snapshot = model.prev.index > 0 ? model.prev : undefined;
          const reopened = await SegmentLog.open(dir, { segmentBytes }, snapshot);
          expect([reopened.firstIndex(), reopened.lastIndex()]).toEqual([
            model.prev.index + 1,
            model.last,
          ]);
          expect(view(await reopened.entries(model.prev.index + 1, model.last + 1))).toEqual(
            view(model.list),
          );
          await reopened.close();
        },
      ),
      { numRuns: 100 },
    );
  });
});

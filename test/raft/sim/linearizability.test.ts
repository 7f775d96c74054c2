import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkKvHistory,
  type KvInput,
  type KvOperation,
  type KvOutput,
} from "../../../impl/raft/sim/kv-model.js";

let nextClient = 0;
/** An operation by its own client over [call, ret]; ret undefined = never returned. */
function op(input: KvInput, output: KvOutput | undefined, call: number, ret?: number): KvOperation {
  return { client: nextClient++, input, output: ret === undefined ? undefined : output, call, ret };
}
const put = (key: string, value: string, call: number, ret?: number) =>
  op({ op: "put", key, value }, {}, call, ret);
const get = (key: string, value: string | null, call: number, ret?: number) =>
  op({ op: "get", key }, { value }, call, ret);
const cas = (
  key: string,
  expect: string | null,
  value: string,
  ok: boolean,
  call: number,
  ret?: number,
) => op({ op: "cas", key, expect, value }, { ok }, call, ret);

describe("linearizability checker: known histories", () => {
  it("a sequential history that follows the register is linearizable", () => {
    const result = checkKvHistory([
      get("x", null, 0, 1),
      put("x", "1", 2, 3),
      get("x", "1", 4, 5),
      cas("x", "1", "2", true, 6, 7),
      cas("x", "1", "3", false, 8, 9),
      get("x", "2", 10, 11),
    ]);
    expect(result.kind).toBe("ok");
  });

  it("a stale read after a completed write is not linearizable", () => {
    const result = checkKvHistory([
      put("x", "1", 0, 10),
      put("x", "2", 11, 20),
      get("x", "1", 21, 30),
    ]);
    expect(result.kind).toBe("not-linearizable");
    if (result.kind !== "not-linearizable") return;
    expect(result.partition).toBe("x");
    expect(result.counterexample).toContain('get(x) → "1"');
    expect(result.counterexample).toContain("turns impossible");
  });

  it("a lost write (a read of the old value after the write returned) is not linearizable", () => {
    const result = checkKvHistory([put("x", "1", 0, 10), get("x", null, 20, 30)]);
    expect(result.kind).toBe("not-linearizable");
  });

  it("a read concurrent with a write may see either value", () => {
    expect(checkKvHistory([put("x", "1", 0, 10), get("x", "1", 5, 15)]).kind).toBe("ok");
    expect(checkKvHistory([put("x", "1", 0, 10), get("x", null, 5, 15)]).kind).toBe("ok");
  });

  it("two overlapping writes may take effect in either order, but only one order", () => {
    const writes = () => [put("x", "1", 0, 10), put("x", "2", 0, 10)];
    expect(checkKvHistory([...writes(), get("x", "1", 20, 21)]).kind).toBe("ok");
    expect(checkKvHistory([...writes(), get("x", "2", 20, 21)]).kind).toBe("ok");
    const flipFlop = [
      ...writes(),
      get("x", "1", 20, 21),
      get("x", "2", 22, 23),
      get("x", "1", 24, 25),
    ];
    expect(checkKvHistory(flipFlop).kind).toBe("not-linearizable");
  });

  it("a write that never returned may have happened, or not", () => {
    const pending = () => put("x", "1", 0);
    expect(checkKvHistory([pending(), get("x", null, 5, 6)]).kind).toBe("ok");
    expect(checkKvHistory([pending(), get("x", "1", 5, 6)]).kind).toBe("ok");
    expect(checkKvHistory([pending(), get("x", null, 5, 6), get("x", "1", 7, 8)]).kind).toBe("ok");
  });

  it("once seen, a write that never returned cannot un-happen", () => {
    const result = checkKvHistory([put("x", "1", 0), get("x", "1", 5, 6), get("x", null, 7, 8)]);
    expect(result.kind).toBe("not-linearizable");
    if (result.kind === "not-linearizable") {
      expect(result.counterexample).toContain("never returned");
    }
  });

  it("a write cannot take effect before it was called", () => {
    expect(checkKvHistory([get("x", "1", 0, 1), put("x", "1", 2, 3)]).kind).toBe(
      "not-linearizable",
    );
  });

  it("two compare-and-sets from the same value cannot both succeed", () => {
    const result = checkKvHistory([
      cas("x", null, "a", true, 0, 10),
      cas("x", null, "b", true, 5, 15),
    ]);
    expect(result.kind).toBe("not-linearizable");
    expect(
      checkKvHistory([cas("x", null, "a", true, 0, 10), cas("x", null, "b", false, 5, 15)]).kind,
    ).toBe("ok");
  });

  it("a compare-and-set that never returned may have swapped", () => {
    const history = [put("x", "0", 0, 1), cas("x", "0", "1", true, 2), get("x", "1", 10, 11)];
    expect(checkKvHistory(history).kind).toBe("ok");
  });
});

describe("linearizability checker: partitions, budget, input", () => {
  it("checks each key on its own and reports the key that fails", () => {
    const good = [put("a", "1", 0, 10), get("a", "1", 11, 12)];
    expect(checkKvHistory([...good, put("b", "1", 0, 10), get("b", "1", 11, 12)])).toMatchObject({
      kind: "ok",
      partitions: 2,
    });
    const result = checkKvHistory([...good, put("b", "1", 0, 10), get("b", null, 11, 12)]);
    expect(result).toMatchObject({ kind: "not-linearizable", partition: "b" });
  });

  it("writes to other keys do not explain a read", () => {
    const result = checkKvHistory([put("a", "1", 0, 10), get("b", "1", 11, 12)]);
    expect(result).toMatchObject({ kind: "not-linearizable", partition: "b" });
  });

  it("answers unknown when the step budget runs out", () => {
    const history = Array.from({ length: 40 }, (_, i) => put("x", String(i), 0, 100));
    history.push(get("x", "never written", 200, 201));
    expect(checkKvHistory(history, { maxSteps: 1000 }).kind).toBe("unknown");
  });

  it("refuses an operation that returns before its call", () => {
    expect(() => checkKvHistory([get("x", null, 5, 4)])).toThrow(RangeError);
  });

  it("the counterexample is the shortest failing prefix of the history", () => {
    const result = checkKvHistory([
      put("x", "1", 0, 10),
      get("x", null, 11, 12), // the violation
      put("x", "2", 13, 14),
      get("x", "2", 15, 16),
      put("x", "3", 17, 18),
    ]);
    expect(result.kind).toBe("not-linearizable");
    if (result.kind !== "not-linearizable") return;
    expect(result.counterexample).toContain("no linearization of these 2 operations");
    expect(result.counterexample).toContain("get(x) → ∅");
    expect(result.counterexample).not.toContain('put(x, "3")');
  });
});

/**
 * Histories produced by a correct register: a random sequential run on a few keys; each
 * operation takes effect at time 10·i and is given a random interval around that point; some never
 * return. A correct checker must accept every one of them.
 */
const sequentialRun = fc
  .array(
    fc.record({
      kind: fc.constantFrom("put", "get", "cas"),
      key: fc.constantFrom("a", "b", "c"),
      value: fc.constantFrom("1", "2", "3"),
      expect: fc.constantFrom<string | null>(null, "1", "2", "3"),
      before: fc.integer({ min: 0, max: 45 }),
      after: fc.integer({ min: 0, max: 45 }),
      returns: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
    }),
    { maxLength: 40 },
  )
  .map((steps) => {
    const store = new Map<string, string>();
    return steps.map((s, i): KvOperation => {
      const now = store.get(s.key) ?? null;
      let input: KvInput;
      let output: KvOutput;
      if (s.kind === "put") {
        input = { op: "put", key: s.key, value: s.value };
        output = {};
        store.set(s.key, s.value);
      } else if (s.kind === "get") {
        input = { op: "get", key: s.key };
        output = { value: now };
      } else {
        input = { op: "cas", key: s.key, expect: s.expect, value: s.value };
        output = { ok: now === s.expect };
        if (now === s.expect) store.set(s.key, s.value);
      }
      const point = 10 * i + 50;
      return {
        client: i,
        input,
        output: s.returns ? output : undefined,
        call: point - s.before,
        ret: s.returns ? point + s.after : undefined,
      };
    });
  });

describe("linearizability checker: properties", () => {
  it("every history of a sequential register, with overlapping intervals, is linearizable", () => {
    fc.assert(
      fc.property(sequentialRun, (history) => {
        expect(checkKvHistory(history).kind).toBe("ok");
      }),
      { numRuns: 300 },
    );
  });

  it("a read of a value nobody wrote always makes the history non-linearizable", () => {
    fc.assert(
      fc.property(sequentialRun, fc.nat(), (history, pick) => {
        const reads = history.filter((o) => o.input.op === "get" && o.ret !== undefined);
        fc.pre(reads.length > 0);
        const victim = reads[pick % reads.length];
        const broken = history.map((o) =>
          o === victim ? { ...o, output: { value: "ghost" } } : o,
        );
        expect(checkKvHistory(broken).kind).toBe("not-linearizable");
      }),
      { numRuns: 200 },
    );
  });
});

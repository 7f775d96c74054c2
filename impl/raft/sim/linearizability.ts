/**
 * A linearizability checker for histories of concurrent operations against a sequential model,
 * in the manner of porcupine: the Wing–Gong search with Lowe's memoisation, run separately on
 * each independent part of the history (P-compositionality: a history is linearizable iff the
 * sub-history of every independent object is).
 *
 * The search walks a list of call and return events in time order. At a call it tries to take
 * that operation effect now: if the model accepts the observed output and the pair (set of
 * operations taken effect, model state) has not been explored before, the operation is removed
 * from the list and the walk restarts from the front. Reaching a return means its operation was
 * not placed before it returned, so the last choice is undone. An empty list is a linearization;
 * running out of choices is a proof that none exists.
 *
 * An operation that never returned (a timeout, a crash) has no output and returns "at infinity":
 * it may take effect anywhere after its call, and placing it after everything else is the same as
 * it never having happened.
 */

/** One operation of a history. Times are in any unit, from one clock (the simulator's). */
export interface Operation<I, O> {
  readonly client: number | string;
  readonly input: I;
  /** The observed result; undefined when the call never returned. */
  readonly output: O | undefined;
  readonly call: number;
  /** When the result arrived; undefined when the call never returned. */
  readonly ret: number | undefined;
}

/** A sequential specification. */
export interface Model<S, I, O> {
  init(): S;
  /** Operations with different keys touch independent objects and are checked separately. */
  partition(input: I): string;
  /**
   * The state after `input` took effect in `state` and produced `output`, or undefined when it
   * could not have produced that output there. `output` undefined (never returned) must be
   * accepted: only the state change is asked for.
   */
  step(state: S, input: I, output: O | undefined): S | undefined;
  /** True for operations that never change the state: unfinished ones are dropped up front. */
  readOnly(input: I): boolean;
  /** Any hash consistent with equal(); collisions only cost time. */
  hash(state: S): number;
  equal(a: S, b: S): boolean;
  describeOperation(input: I, output: O | undefined): string;
  describeState(state: S): string;
}

export interface CheckOptions {
  /** Search steps (events visited) over the whole check. Deterministic: use this in simulation. */
  readonly maxSteps?: number;
  /** Wall-clock budget in milliseconds. */
  readonly timeoutMs?: number;
}

export type CheckResult =
  | { readonly kind: "ok"; readonly partitions: number; readonly steps: number }
  | {
      readonly kind: "not-linearizable";
      /** The independent object (key) whose history has no linearization. */
      readonly partition: string;
      /** The shortest prefix of that history that fails, its ops and the best partial order. */
      readonly counterexample: string;
      readonly steps: number;
    }
  | { readonly kind: "unknown"; readonly reason: string; readonly steps: number };

const DEFAULT_MAX_STEPS = 50_000_000;
/** How many steps pass between looks at the clock. */
const CLOCK_EVERY = 4096;
/** A counterexample lists the operations nearest the failure; earlier ones are counted. */
const SHOWN_OPERATIONS = 12;
const SHOWN_ORDER = 8;

export function checkLinearizability<S, I, O>(
  history: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  options: CheckOptions = {},
): CheckResult {
  for (const op of history) {
    if (op.ret !== undefined && op.ret < op.call) {
      throw new RangeError(`operation of client ${op.client} returns (${op.ret}) before its call`);
    }
  }
  const budget = new Budget(options);
  const partitions = new Map<string, Operation<I, O>[]>();
  for (const op of history) {
    if (op.ret === undefined && model.readOnly(op.input)) continue;
    const key = model.partition(op.input);
    const list = partitions.get(key);
    if (list === undefined) partitions.set(key, [op]);
    else list.push(op);
  }
  let unknown: string | undefined;
  for (const [key, ops] of [...partitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const outcome = search(ops, model, budget);
    if (outcome.kind === "unknown") {
      unknown ??= `the budget ran out while checking "${key}"`;
      break;
    }
    if (outcome.kind === "fail") {
      return {
        kind: "not-linearizable",
        partition: key,
        counterexample: explain(key, ops, model, budget, outcome),
        steps: budget.steps,
      };
    }
  }
  if (unknown !== undefined) return { kind: "unknown", reason: unknown, steps: budget.steps };
  return { kind: "ok", partitions: partitions.size, steps: budget.steps };
}

class Budget {
  steps = 0;
  private readonly maxSteps: number;
  private readonly deadline: number;

  constructor(options: CheckOptions) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.deadline =
      options.timeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : performance.now() + options.timeoutMs;
  }

  /** Counts one step; false once the budget is spent. */
  spend(): boolean {
    this.steps++;
    if (this.steps > this.maxSteps) return false;
    return this.steps % CLOCK_EVERY !== 0 || performance.now() < this.deadline;
  }
}

interface EventNode {
  readonly op: number;
  readonly isCall: boolean;
  /** For a call: its return. */
  match: EventNode | undefined;
  prev: EventNode | undefined;
  next: EventNode | undefined;
}

type SearchOutcome<S> =
  | { kind: "ok" }
  | { kind: "unknown" }
  | {
      kind: "fail";
      /** The longest sequence of ops found that could take effect in order. */
      longest: number[];
      /** The state after them, and the op whose return was reached unplaced. */
      state: S;
      stuck: number;
    };

function search<S, I, O>(
  ops: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  budget: Budget,
): SearchOutcome<S> {
  const head = buildEventList(ops);
  const zobrist = zobristKeys(ops.length);
  const linearized = new Uint32Array(Math.ceil(ops.length / 32));
  let linearizedHash = 0;
  const seen = new Map<number, { bits: Uint32Array; state: S }[]>();
  const stack: { call: EventNode; state: S; hash: number }[] = [];
  let best: { longest: number[]; state: S; stuck: number } | undefined;
  let state = model.init();
  let event = head.next;

  while (event !== undefined) {
    if (!budget.spend()) return { kind: "unknown" };
    if (event.isCall) {
      const op = ops[event.op];
      const after = model.step(state, op.input, op.output);
      if (after !== undefined) {
        toggle(linearized, event.op);
        const hash = (linearizedHash ^ zobrist[event.op]) >>> 0;
        const key = mix(hash, model.hash(after));
        if (remember(seen, key, linearized, after, model)) {
          stack.push({ call: event, state, hash: linearizedHash });
          state = after;
          linearizedHash = hash;
          lift(event);
          event = head.next;
          continue;
        }
        toggle(linearized, event.op);
      }
      event = event.next;
    } else {
      if (best === undefined || stack.length > best.longest.length) {
        best = { longest: stack.map((s) => s.call.op), state, stuck: event.op };
      }
      const top = stack.pop();
      if (top === undefined) return { kind: "fail", ...best };
      state = top.state;
      linearizedHash = top.hash;
      toggle(linearized, top.call.op);
      unlift(top.call);
      event = top.call.next;
    }
  }
  return { kind: "ok" };
}

/** Call and return events in time order (calls first on ties), after a head sentinel. */
function buildEventList<I, O>(ops: readonly Operation<I, O>[]): EventNode {
  const events: { time: number; node: EventNode }[] = [];
  ops.forEach((op, i) => {
    const call: EventNode = {
      op: i,
      isCall: true,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    const ret: EventNode = {
      op: i,
      isCall: false,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    call.match = ret;
    events.push(
      { time: op.call, node: call },
      { time: op.ret ?? Number.POSITIVE_INFINITY, node: ret },
    );
  });
  // Calls before returns at equal times: touching operations count as concurrent.
  events.sort(
    (a, b) =>
      a.time - b.time ||
      Number(b.node.isCall) - Number(a.node.isCall) ||
      a.node.op - b.node.op ||
      0,
  );
  const head: EventNode = {
    op: -1,
    isCall: false,
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let tail = head;
  for (const { node } of events) {
    node.prev = tail;
    tail.next = node;
    tail = node;
  }
  return head;
}

/** Takes a call and its return out of the list. */
function lift(call: EventNode): void {
  const ret = call.match as EventNode;
  (call.prev as EventNode).next = call.next;
  (call.next as EventNode).prev = call.prev;
  (ret.prev as EventNode).next = ret.next;
  if (ret.next !== undefined) ret.next.prev = ret.prev;
}

/** Puts back what lift() took out; the neighbours' links still point at the right places. */
function unlift(call: EventNode): void {
  const ret = call.match as EventNode;
  (ret.prev as EventNode).next = ret;
  if (ret.next !== undefined) ret.next.prev = ret;
  (call.prev as EventNode).next = call;
  (call.next as EventNode).prev = call;
}

function toggle(bits: Uint32Array, i: number): void {
  bits[i >>> 5] ^= 1 << (i & 31);
}

/** Records (bits, state); false when it was already there. */
function remember<S, I, O>(
  seen: Map<number, { bits: Uint32Array; state: S }[]>,
  key: number,
  bits: Uint32Array,
  state: S,
  model: Model<S, I, O>,
): boolean {
  const bucket = seen.get(key);
  if (bucket?.some((e) => model.equal(e.state, state) && sameBits(e.bits, bits))) return false;
  const entry = { bits: bits.slice(), state };
  if (bucket === undefined) seen.set(key, [entry]);
  else bucket.push(entry);
  return true;
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One random 32-bit key per operation; the XOR of the keys of a set hashes the set and is updated
 * in O(1) as operations are placed and undone. Fixed seed: the checker must be deterministic.
 */
function zobristKeys(n: number): Uint32Array {
  const keys = new Uint32Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x >>> 0;
  }
  return keys;
}

function mix(a: number, b: number): number {
  return (Math.imul(a ^ (b >>> 0), 0x85ebca6b) ^ (b * 31)) >>> 0;
}

// --- explaining a failure --------------------------------------------------------------------

/**
 * Narrows a failing history to its shortest failing prefix: cut at the return time T, keep the
 * operations called by T, and treat those still running at T as unfinished. Linearizability is
 * closed under such prefixes, so a binary search over the return times finds the first return
 * that makes the history impossible — the operation to look at.
 */
function explain<S, I, O>(
  key: string,
  ops: readonly Operation<I, O>[],
  model: Model<S, I, O>,
  budget: Budget,
  full: Extract<SearchOutcome<S>, { kind: "fail" }>,
): string {
  const returns = [...new Set(ops.flatMap((op) => (op.ret === undefined ? [] : [op.ret])))].sort(
    (a, b) => a - b,
  );
  let lo = 0;
  let hi = returns.length - 1;
  let failing: { cut: number; prefix: Operation<I, O>[]; outcome: typeof full } | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const prefix = prefixAt(ops, returns[mid], model);
    const outcome = search(prefix, model, budget);
    if (outcome.kind === "unknown") break;
    if (outcome.kind === "fail") {
      failing = { cut: returns[mid], prefix, outcome };
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  const { prefix, outcome } = failing ?? { prefix: ops, outcome: full };
  const show = (op: Operation<I, O>) =>
    `client ${op.client}: ${model.describeOperation(op.input, op.output)} ` +
    `[${op.call}, ${op.ret ?? "never returned"}]`;
  const lines = [`key "${key}": no linearization of these ${prefix.length} operations`];
  if (failing !== undefined) {
    const culprits = prefix.filter((op) => op.ret === failing?.cut);
    lines[0] += ` (the history turns impossible when ${culprits.map(show).join("; ")} returns)`;
  }
  const byCall = [...prefix].sort((a, b) => a.call - b.call);
  if (byCall.length > SHOWN_OPERATIONS) {
    lines.push(`  … ${byCall.length - SHOWN_OPERATIONS} earlier operations`);
  }
  for (const op of byCall.slice(-SHOWN_OPERATIONS)) lines.push(`  ${show(op)}`);
  const order = outcome.longest.map((i) =>
    model.describeOperation(prefix[i].input, prefix[i].output),
  );
  const shownOrder = order.length > SHOWN_ORDER ? ["…", ...order.slice(-SHOWN_ORDER)] : order;
  lines.push(
    `longest order that takes effect (${order.length} operations): ${shownOrder.join(", ") || "none"}`,
    `then state ${model.describeState(outcome.state)}, and ${show(prefix[outcome.stuck])} ` +
      "cannot take effect before it returns",
  );
  return lines.join("\n");
}

function prefixAt<S, I, O>(
  ops: readonly Operation<I, O>[],
  cut: number,
  model: Model<S, I, O>,
): Operation<I, O>[] {
  const prefix: Operation<I, O>[] = [];
  for (const op of ops) {
    if (op.call > cut) continue;
    if (op.ret !== undefined && op.ret <= cut) prefix.push(op);
    else if (!model.readOnly(op.input)) prefix.push({ ...op, output: undefined, ret: undefined });
  }
  return prefix;
}

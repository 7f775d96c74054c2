/**
 * The key-value register model for the linearizability checker: each key is an independent
 * register holding a string or nothing (null), with put, get and compare-and-set.
 */
import {
  type CheckOptions,
  type CheckResult,
  checkLinearizability,
  type Model,
  type Operation,
} from "./linearizability.js";

export type KvInput =
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "get"; readonly key: string }
  | {
      readonly op: "cas";
      readonly key: string;
      /** The value the register must hold (null: absent) for the swap to happen. */
      readonly expect: string | null;
      readonly value: string;
    };

/** get: `value`; cas: `ok` (whether it swapped); put: nothing. */
export interface KvOutput {
  readonly value?: string | null;
  readonly ok?: boolean;
}

export type KvOperation = Operation<KvInput, KvOutput>;

/** A register's content; null when the key was never written. */
export type KvState = string | null;

export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => null,
  partition: (input) => input.key,
  step(state, input, output) {
    switch (input.op) {
      case "put":
        return input.value;
      case "get":
        return output === undefined || output.value === state ? state : undefined;
      case "cas": {
        const swaps = state === input.expect;
        if (output !== undefined && output.ok !== swaps) return undefined;
        return swaps ? input.value : state;
      }
    }
  },
  readOnly: (input) => input.op === "get",
  hash(state) {
    if (state === null) return 0x811c9dc5;
    // FNV-1a
    let h = 0x811c9dc5;
    for (let i = 0; i < state.length; i++) h = Math.imul(h ^ state.charCodeAt(i), 0x01000193);
    return h >>> 0;
  },
  equal: (a, b) => a === b,
  describeOperation(input, output) {
    const shown = (v: string | null | undefined) =>
      v === null || v === undefined ? "∅" : JSON.stringify(v);
    const result = (text: string) => (output === undefined ? "→ ?" : `→ ${text}`);
    switch (input.op) {
      case "put":
        return `put(${input.key}, ${shown(input.value)}) ${result("ok")}`;
      case "get":
        return `get(${input.key}) ${result(shown(output?.value))}`;
      case "cas":
        return `cas(${input.key}, ${shown(input.expect)} ⇒ ${shown(input.value)}) ${result(String(output?.ok))}`;
    }
  },
  describeState: (state) => (state === null ? "∅" : JSON.stringify(state)),
};

/** Checks a key-value history, key by key. */
export function checkKvHistory(
  history: readonly KvOperation[],
  options?: CheckOptions,
): CheckResult {
  return checkLinearizability(history, kvModel, options);
}

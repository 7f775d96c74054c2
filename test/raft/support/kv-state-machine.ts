/**
 * A key-value state machine for the Raft node tests: every write carries a unique id, and the
 * machine records the ids in the order it applied them, so a test can check that every
 * acknowledged write is present and none was applied twice. The record is part of the
 * snapshot, so it survives restarts and snapshot installs like the data does.
 */
import type { AppliedEntry, StateMachine } from "../../../impl/raft/node/index.js";

export interface KvWrite {
  readonly id: string;
  readonly key: string;
  readonly value: string;
}

export interface KvApplied {
  readonly index: number;
}

export class KvStateMachine implements StateMachine<KvApplied> {
  private data = new Map<string, string>();
  /** Write ids in apply order. */
  private ids: string[] = [];

  static encode(write: KvWrite): Uint8Array {
    return Buffer.from(JSON.stringify(write));
  }

  apply(entry: AppliedEntry): KvApplied {
    const write = JSON.parse(Buffer.from(entry.data).toString()) as KvWrite;
    this.data.set(write.key, write.value);
    this.ids.push(write.id);
    return { index: entry.index };
  }

  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify({ data: [...this.data], ids: this.ids }));
  }

  restore(bytes: Uint8Array): void {
    const state = JSON.parse(Buffer.from(bytes).toString()) as {
      data: [string, string][];
      ids: string[];
    };
    this.data = new Map(state.data);
    this.ids = state.ids;
  }

  get(key: string): string | undefined {
    return this.data.get(key);
  }

  appliedIds(): readonly string[] {
    return this.ids;
  }
}

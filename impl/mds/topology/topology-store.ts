/**
 * The topology state of the current term of leadership, and the one way to change it.
 *
 * A term's state is the KV records (TopologyView, kept current by a watch) plus what only the
 * leader's memory holds and a new leader starts without (topology.proto, heartbeat.proto):
 * server liveness and reported space, partition counters from heartbeats, configuration
 * changes in flight. It is loaded on first use in a term and dropped when the term ends.
 *
 * Changes run one at a time (`exclusive`) and commit through the leader gate with a compare on
 * the mod revision of every record they replace (or its absence), so a write based on a stale
 * view fails instead of overwriting; the change is then re-run on a freshly loaded view.
 */
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import type { ConfigChange, MetaServerSpace } from "../../gen/curve/mds/v1/cluster_pb.js";
import { ServerState } from "../../gen/curve/mds/v1/topology_pb.js";
import type { Compare, TxnOp } from "../../storage/kv-store.js";
import { MAX_TXN_OPS } from "../../storage/kv-store.js";
import { KeyedMutex } from "../keyed-mutex.js";
import type { MdsContext } from "../mds-context.js";
import { kvCall } from "../storage-failure.js";
import type { ServerKind } from "./topology-records.js";
import { TopologyView, type Versioned } from "./topology-view.js";

/** What the leader knows about a server from its heartbeats (memory only). */
export interface ServerLiveness {
  state: ServerState;
  /** Clock ms from which silence is timed: the term's start, or the registration. */
  since: number;
  /** Clock ms of the last accepted heartbeat. */
  lastHeartbeatAt: number | undefined;
  /** Wall-clock ms of the last accepted heartbeat, for `last_heartbeat_time`. */
  lastHeartbeatWallMs: number | undefined;
  startTime: Timestamp | undefined;
  leaderCount: number;
  /** Metaservers. */
  space: MetaServerSpace | undefined;
  /** Chunkservers: the capacity last reported (the registered one until then). */
  capacityBytes: bigint | undefined;
  usedBytes: bigint;
  chunkCount: bigint;
  diskError: string | undefined;
}

/** What heartbeats reported about a partition (memory only). */
export interface PartitionCounters {
  readonly nextId: bigint;
  readonly inodeCount: bigint;
  readonly dentryCount: bigint;
}

/** A configuration change the MDS decided on, for the epoch it applies to. */
export interface IssuedChange {
  readonly epoch: bigint;
  readonly change: ConfigChange;
  /** True once the server the change adds has its empty replica: the change is sent from then. */
  ready: boolean;
  /** True while that replica is being created. */
  preparing: boolean;
}

/** Configuration changes of one copyset (memory only). */
export interface CopysetChanges {
  /** The change its leader reported in flight, with the epoch it reported. */
  reported: { readonly epoch: bigint; readonly change: ConfigChange } | undefined;
  /** The change the MDS decided on. */
  issued: IssuedChange | undefined;
}

/** One write of a change: put or delete `key`, expecting it at `expected` (undefined: absent). */
export type TopologyWrite =
  | {
      readonly type: "put";
      readonly key: string;
      readonly value: Uint8Array;
      readonly expected: Versioned<unknown> | undefined;
    }
  | { readonly type: "delete"; readonly key: string; readonly expected: Versioned<unknown> };

/** A put of `value` at `key` replacing `expected` (undefined: the key must be absent). */
export function putWrite(
  key: string,
  value: Uint8Array,
  expected: Versioned<unknown> | undefined,
): TopologyWrite {
  return { type: "put", key, value, expected };
}

/** A delete of the record `expected`. */
export function deleteWrite(expected: Versioned<unknown>): TopologyWrite {
  return { type: "delete", key: expected.key, expected };
}

/** Thrown by `commit` when a compared record changed; `exclusive` re-runs the change. */
class StaleViewError extends Error {
  override readonly name = "StaleViewError";
}

/** Writes per transaction (one compare and one op each): the fence takes one of the budget. */
const WRITES_PER_TXN = MAX_TXN_OPS - 1;
/** A change re-run this many times on a stale view gives up (it keeps racing another writer). */
const MAX_ATTEMPTS = 4;

/** The state of one term of leadership. */
export class TopologyTerm {
  readonly signal: AbortSignal;
  /** Clock ms when the term's state was loaded: silence is timed from here. */
  readonly startedAt: number;
  view: TopologyView;
  readonly #liveness = new Map<string, ServerLiveness>();
  readonly partitionCounters = new Map<number, PartitionCounters>();
  readonly copysetChanges = new Map<string, CopysetChanges>();
  readonly #ctx: MdsContext;

  constructor(ctx: MdsContext, signal: AbortSignal, view: TopologyView) {
    this.#ctx = ctx;
    this.signal = signal;
    this.view = view;
    this.startedAt = ctx.clock.now();
  }

  /** The liveness of a server: UNSTABLE, timed from the term's start, until it is heard. */
  liveness(kind: ServerKind, id: number): ServerLiveness {
    const key = `${kind}/${id}`;
    let entry = this.#liveness.get(key);
    if (!entry) {
      entry = newLiveness(this.startedAt);
      this.#liveness.set(key, entry);
    }
    return entry;
  }

  /** Starts the liveness of a server registered now: UNSTABLE until its first heartbeat. */
  registered(kind: ServerKind, id: number): void {
    this.#liveness.set(`${kind}/${id}`, newLiveness(this.#ctx.clock.now()));
  }

  /** Forgets the liveness of a deleted server. */
  forget(kind: ServerKind, id: number): void {
    this.#liveness.delete(`${kind}/${id}`);
  }

  /** The configuration-change bookkeeping of a copyset. */
  changesOf(ref: string): CopysetChanges {
    let entry = this.copysetChanges.get(ref);
    if (!entry) {
      entry = { reported: undefined, issued: undefined };
      this.copysetChanges.set(ref, entry);
    }
    return entry;
  }

  /**
   * Commits `writes` through the leader gate, in transactions of at most WRITES_PER_TXN writes
   * (each one atomic), and waits until the view shows them. Throws StaleViewError when a
   * compared record changed meanwhile.
   */
  async commit(writes: readonly TopologyWrite[]): Promise<void> {
    for (let i = 0; i < writes.length; i += WRITES_PER_TXN) {
      const batch = writes.slice(i, i + WRITES_PER_TXN);
      const compare: Compare[] = batch.map((w) =>
        w.expected
          ? { key: w.key, target: "modRevision", op: "==", value: w.expected.modRevision }
          : { key: w.key, target: "absent" },
      );
      const success: TxnOp[] = batch.map((w) =>
        w.type === "put"
          ? { type: "put", key: w.key, value: w.value }
          : { type: "delete", key: w.key },
      );
      const result = await this.#ctx.gate.txn({ compare, success });
      if (!result.succeeded) throw new StaleViewError("a topology record changed meanwhile");
      await this.view.reached(result.revision);
    }
  }
}

function newLiveness(since: number): ServerLiveness {
  return {
    state: ServerState.UNSTABLE,
    since,
    lastHeartbeatAt: undefined,
    lastHeartbeatWallMs: undefined,
    startTime: undefined,
    leaderCount: 0,
    space: undefined,
    capacityBytes: undefined,
    usedBytes: 0n,
    chunkCount: 0n,
    diskError: undefined,
  };
}

/** The topology state of one MDS process, across its terms of leadership. */
export class TopologyStore {
  readonly #ctx: MdsContext;
  #term: Promise<TopologyTerm> | undefined;
  #termSignal: AbortSignal | undefined;
  readonly #changes = new KeyedMutex<"topology">();

  constructor(ctx: MdsContext) {
    this.#ctx = ctx;
  }

  /** The current term's state, loading it on first use in a term. NOT_LEADER when not leading. */
  async term(): Promise<TopologyTerm> {
    const signal = this.#ctx.gate.signal;
    if (signal.aborted) throw new CurveError(ErrorReason.NOT_LEADER, "this MDS is not the leader");
    if (this.#termSignal !== signal || !this.#term) {
      this.#termSignal = signal;
      this.#term = this.#loadTerm(signal);
      this.#term.catch(() => {
        if (this.#termSignal === signal) this.#term = undefined;
      });
    }
    const term = await this.#term;
    if (term.view.broken) await this.#reloadView(term);
    return term;
  }

  /**
   * Runs `change` alone (no other change of the topology runs meanwhile), on the current term;
   * when its commit finds a stale view, reloads the view and runs it again.
   */
  exclusive<T>(change: (term: TopologyTerm) => Promise<T>): Promise<T> {
    return this.#changes.run("topology", async () => {
      for (let attempt = 1; ; attempt++) {
        const term = await this.term();
        try {
          return await change(term);
        } catch (error) {
          if (!(error instanceof StaleViewError) || attempt >= MAX_ATTEMPTS) throw error;
          await this.#reloadView(term);
        }
      }
    });
  }

  async #loadTerm(signal: AbortSignal): Promise<TopologyTerm> {
    const view = await this.#loadView();
    const term = new TopologyTerm(this.#ctx, signal, view);
    const end = () => void term.view.close();
    if (signal.aborted) end();
    else signal.addEventListener("abort", end, { once: true });
    return term;
  }

  async #reloadView(term: TopologyTerm): Promise<void> {
    const old = term.view;
    term.view = await this.#loadView();
    await old.close();
    if (term.signal.aborted) await term.view.close();
  }

  #loadView(): Promise<TopologyView> {
    return kvCall(() =>
      TopologyView.load(this.#ctx.kv, (key, error) =>
        this.#ctx.logger.error({ key, err: error }, "unreadable topology record left out"),
      ),
    );
  }
}

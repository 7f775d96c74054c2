/**
 * Who may serve: the MDS leader gate. Every handler of the MDS services calls `assertServing()`
 * first, and every write goes through `txn()`, which is fenced on this process's leader key
 * (Leadership.txn), so a deposed leader can never change state whatever it believes.
 *
 * States, as mds.proto's service comment describes them:
 * - follower: `unavailable` NOT_LEADER with the leader's advertised address as `leader_hint`,
 *   or LEADER_UNKNOWN while no leader is known;
 * - leading, still loading its state from etcd: `unavailable` NOT_READY;
 * - leading and ready: serving;
 * - stopped (shutting down): `unavailable` NOT_READY.
 *
 * One process may lead several terms over its life (it loses its lease, campaigns again, wins).
 * Each term has its own AbortSignal (`signal`), aborted the moment the term ends, so that the
 * background tasks and in-memory caches of a term end with it.
 */
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { Election, type Leadership } from "../storage/election.js";
import { bytesToText } from "../storage/kv-bytes.js";
import type { KvStore, Txn, TxnResult } from "../storage/kv-store.js";
import { electionPrefix } from "./keys.js";
import { toCurveError } from "./storage-failure.js";

/** What handlers, repositories and background tasks see of leadership. */
export interface LeaderGate {
  /** Throws the `unavailable` CurveError of the current state unless this MDS serves. */
  assertServing(): void;
  /**
   * Runs a KV transaction only while this process leads, fenced on its leader key. A refused
   * fence is `unavailable` NOT_LEADER; a store failure `internal` STORAGE_FAILURE. Allowed while
   * loading (a new leader may repair state before it serves).
   */
  txn(txn: Txn): Promise<TxnResult>;
  /** Aborts when the current term of leadership ends; already aborted when not leading. */
  readonly signal: AbortSignal;
}

type GateState =
  | { readonly kind: "follower"; readonly leaderHint: string | undefined }
  | { readonly kind: "loading" | "serving"; readonly term: Term }
  | { readonly kind: "stopped" };

interface Term {
  readonly leadership: Leadership;
  readonly controller: AbortController;
}

const NOT_LEADING: AbortSignal = AbortSignal.abort(new Error("not leading"));

/** The gate of one MDS process, driven by its election loop (leader-election.ts). */
export class ElectedLeaderGate implements LeaderGate {
  /** This process's advertised address: a hint naming ourselves is never given out. */
  #selfAddress: string | undefined;
  #state: GateState = { kind: "follower", leaderHint: undefined };

  constructor(selfAddress?: string) {
    this.#selfAddress = selfAddress;
  }

  /** Sets the advertised address once it is known (after the port is bound). */
  setSelfAddress(address: string): void {
    this.#selfAddress = address;
  }

  /** "follower" | "loading" | "serving" | "stopped", for health and logs. */
  get state(): GateState["kind"] {
    return this.#current().kind;
  }

  /** The fencing token of the current term (the leader key's create revision), if leading. */
  get term(): number | undefined {
    const state = this.#current();
    return state.kind === "loading" || state.kind === "serving"
      ? state.term.leadership.createRevision
      : undefined;
  }

  get signal(): AbortSignal {
    const state = this.#current();
    return state.kind === "loading" || state.kind === "serving"
      ? state.term.controller.signal
      : NOT_LEADING;
  }

  assertServing(): void {
    const state = this.#current();
    switch (state.kind) {
      case "serving":
        return;
      case "loading":
        throw new CurveError(ErrorReason.NOT_READY, "the new MDS leader is loading its state");
      case "stopped":
        throw new CurveError(ErrorReason.NOT_READY, "this MDS is shutting down");
      case "follower":
        if (state.leaderHint === undefined || state.leaderHint === this.#selfAddress) {
          throw new CurveError(ErrorReason.LEADER_UNKNOWN, "no MDS leader is known right now");
        }
        throw new CurveError(ErrorReason.NOT_LEADER, `the MDS leader is ${state.leaderHint}`, {
          leaderHint: state.leaderHint,
        });
    }
  }

  async txn(txn: Txn): Promise<TxnResult> {
    const state = this.#current();
    if (state.kind !== "loading" && state.kind !== "serving") {
      throw new CurveError(ErrorReason.NOT_LEADER, "this MDS is not the leader");
    }
    try {
      return await state.term.leadership.txn(txn);
    } catch (error) {
      throw toCurveError(error);
    }
  }

  /** Follows another leader (or none): ends the current term, if any. */
  follow(leaderHint: string | undefined): void {
    if (this.#state.kind === "stopped") return;
    this.#endTerm();
    this.#state = { kind: "follower", leaderHint };
  }

  /** Starts a term: loading until `markReady`. Returns the term's signal. */
  begin(leadership: Leadership): AbortSignal {
    if (this.#state.kind === "stopped") throw new CurveError(ErrorReason.NOT_READY, "stopped");
    this.#endTerm();
    const controller = new AbortController();
    const term: Term = { leadership, controller };
    const end = (): void => {
      if (!controller.signal.aborted) controller.abort(leadership.lost.reason);
      if (this.#termOf(this.#state) === term)
        this.#state = { kind: "follower", leaderHint: undefined };
    };
    if (leadership.lost.aborted) end();
    else leadership.lost.addEventListener("abort", end, { once: true });
    if (!controller.signal.aborted) this.#state = { kind: "loading", term };
    return controller.signal;
  }

  /** Serves, if the term whose signal is given is still the current one. */
  markReady(termSignal: AbortSignal): boolean {
    const state = this.#state;
    if (state.kind !== "loading" || state.term.controller.signal !== termSignal) return false;
    if (termSignal.aborted) return false;
    this.#state = { kind: "serving", term: state.term };
    return true;
  }

  /** Stops serving for good (shutdown); returns the leadership to resign, if any. */
  stop(): Leadership | undefined {
    const term = this.#termOf(this.#state);
    this.#endTerm();
    this.#state = { kind: "stopped" };
    return term?.leadership;
  }

  /** The state, with a term that has silently ended turned into "follower, leader unknown". */
  #current(): GateState {
    const term = this.#termOf(this.#state);
    if (term && (term.controller.signal.aborted || term.leadership.lost.aborted)) {
      // A leader that loses its lease stops serving at once, even before the abort listener ran.
      if (!term.controller.signal.aborted) term.controller.abort(term.leadership.lost.reason);
      this.#state = { kind: "follower", leaderHint: undefined };
    }
    return this.#state;
  }

  #termOf(state: GateState): Term | undefined {
    return state.kind === "loading" || state.kind === "serving" ? state.term : undefined;
  }

  #endTerm(): void {
    const term = this.#termOf(this.#state);
    if (term && !term.controller.signal.aborted) term.controller.abort(new Error("term ended"));
  }
}

/** A gate that always leads, for tests and single-process tools; `close` resigns. */
export interface SoleLeaderGate extends LeaderGate {
  readonly term: number | undefined;
  /** The leadership it holds (a test may depose it by revoking `leadership.lease`). */
  readonly leadership: Leadership;
  close(): Promise<void>;
}

/** Options of `soleLeaderGate`. */
export interface SoleLeaderGateOptions {
  /** Election prefix. Default: the MDS election prefix (keys.ts). */
  readonly electionPrefix?: string;
  /** Lease TTL in seconds. Default 5. */
  readonly ttlSeconds?: number;
  /** The value to campaign with. Default "sole-leader". */
  readonly address?: string;
}

/**
 * Campaigns once on `kv` and serves as soon as it leads: a real Election, so writes are fenced
 * exactly as in a running MDS (and a test can depose it by revoking its lease).
 */
export async function soleLeaderGate(
  kv: KvStore,
  options: SoleLeaderGateOptions = {},
): Promise<SoleLeaderGate> {
  const address = options.address ?? "sole-leader";
  const election = new Election(kv, options.electionPrefix ?? electionPrefix(), {
    ttlSeconds: options.ttlSeconds ?? 5,
  });
  const leadership = await election.campaign(address);
  const gate = new ElectedLeaderGate(address);
  gate.markReady(gate.begin(leadership));
  return {
    leadership,
    assertServing: () => gate.assertServing(),
    txn: (txn) => gate.txn(txn),
    get signal() {
      return gate.signal;
    },
    get term() {
      return gate.term;
    },
    close: async () => {
      const held = gate.stop();
      await held?.resign().catch(() => undefined);
    },
  };
}

/** The leader's advertised address from an election value. */
export function leaderAddressOf(value: Uint8Array): string {
  return bytesToText(value);
}

/**
 * What every part of the MDS (handlers, domain services, repositories, background tasks) is
 * given: one value per MDS process, built by mds-server.ts (or by a test).
 *
 * Leadership: handlers call `gate.assertServing()` first; every write goes through `gate.txn`
 * (fenced on the leader key); reads may use `kv` directly. Background tasks and in-memory state
 * of a term of leadership are started by mds-server.ts each time this process becomes leader
 * (after the state has been loaded) and must stop when `gate.signal` (the term's signal, read
 * when the task starts) aborts.
 */
import type { Logger } from "pino";
import type { Clock } from "../storage/clock.js";
import type { KvStore } from "../storage/kv-store.js";
import type { IdAllocator } from "./id-allocator.js";
import type { LeaderGate } from "./leader-gate.js";
import type { MdsConfig } from "./mds-config.js";

/** The shared dependencies of one MDS process. */
export interface MdsContext {
  readonly kv: KvStore;
  readonly gate: LeaderGate;
  readonly ids: IdAllocator;
  /** Drives timeouts, sessions and background intervals (a ManualClock in tests). */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: MdsConfig;
}

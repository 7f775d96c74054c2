/**
 * The holder's side of a lease, shared by both stores: the keep-alive loop and the rule that
 * decides when the holder must consider the lease lost. Keeping this in one place is what makes
 * "leadership lost" mean the same thing on etcd and on the embedded store.
 */
import type { Clock, Timer } from "./clock.js";
import { isKvError, KvError } from "./kv-error.js";
import type { Lease, LeaseId } from "./kv-store.js";

/** How a managed lease talks to its store. */
export interface LeaseTransport {
  /**
   * Refreshes the lease; resolves to the TTL (seconds) the store reset it to, 0 or less when the
   * store no longer knows it. Should give up (reject `unavailable`) after `timeoutMs`.
   */
  keepAlive(timeoutMs: number): Promise<number>;
  /** Ends the lease at the store; rejects `lease_not_found` when it is already gone. */
  revoke(): Promise<void>;
}

/** Everything a ManagedLease needs to start. */
export interface ManagedLeaseOptions {
  readonly id: LeaseId;
  readonly ttlSeconds: number;
  readonly clock: Clock;
  readonly transport: LeaseTransport;
  /** Keep the lease alive every TTL/3. */
  readonly keepAlive: boolean;
  /** Clock time at which the grant request was sent: the TTL is counted from there. */
  readonly grantSentAt: number;
}

/** After a failed keep-alive, try again this soon (but never wait longer than TTL/3). */
const RETRY_DELAY_MS = 200;

/** A lease whose `lost` signal fires no later than the store can expire it. */
export class ManagedLease implements Lease {
  readonly id: LeaseId;
  readonly ttlSeconds: number;
  readonly #clock: Clock;
  readonly #transport: LeaseTransport;
  readonly #lost = new AbortController();
  readonly #intervalMs: number;
  /** Clock time by which the store may have expired the lease, as far as the holder knows. */
  #deadline: number;
  #deadlineTimer: Timer | undefined;
  #tickTimer: Timer | undefined;
  #autoKeepAlive: boolean;

  constructor(options: ManagedLeaseOptions) {
    this.id = options.id;
    this.ttlSeconds = options.ttlSeconds;
    this.#clock = options.clock;
    this.#transport = options.transport;
    this.#intervalMs = (options.ttlSeconds * 1000) / 3;
    this.#deadline = options.grantSentAt + options.ttlSeconds * 1000;
    this.#autoKeepAlive = options.keepAlive;
    this.#armDeadline();
    if (this.#autoKeepAlive) this.#scheduleTick(this.#intervalMs);
  }

  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  async keepAliveOnce(): Promise<number> {
    this.#throwIfLost();
    const sentAt = this.#clock.now();
    let ttl: number;
    try {
      ttl = await this.#transport.keepAlive(Math.max(1, this.#deadline - sentAt));
    } catch (error) {
      if (isKvError(error, "lease_not_found") || isKvError(error, "closed")) this.markLost(error);
      throw error;
    }
    if (ttl <= 0) {
      const error = new KvError("lease_not_found", `lease ${this.id} has expired or was revoked`);
      this.markLost(error);
      throw error;
    }
    this.#throwIfLost();
    // The store counts the new TTL from when it received the request, which is after `sentAt`.
    this.#deadline = Math.max(this.#deadline, sentAt + ttl * 1000);
    this.#armDeadline();
    return ttl;
  }

  release(): void {
    this.#autoKeepAlive = false;
    this.#tickTimer?.cancel();
    this.#tickTimer = undefined;
  }

  async revoke(): Promise<void> {
    this.release();
    if (this.lost.aborted && isKvError(this.lost.reason, "closed")) throw this.lost.reason;
    try {
      await this.#transport.revoke();
    } catch (error) {
      if (!isKvError(error, "lease_not_found")) throw error;
    }
    this.markLost(new KvError("lease_not_found", `lease ${this.id} was revoked by its holder`));
  }

  /**
   * Declares the lease lost (idempotent): stops every timer and aborts `lost` with `error`.
   * Stores call this when they learn first-hand that the lease ended or when they close.
   */
  markLost(error: KvError): void {
    if (this.#lost.signal.aborted) return;
    this.release();
    this.#deadlineTimer?.cancel();
    this.#deadlineTimer = undefined;
    this.#lost.abort(error);
  }

  #throwIfLost(): void {
    if (this.#lost.signal.aborted) throw this.#lost.signal.reason;
  }

  #armDeadline(): void {
    this.#deadlineTimer?.cancel();
    this.#deadlineTimer = this.#clock.setTimer(this.#deadline - this.#clock.now(), () => {
      this.#deadlineTimer = undefined;
      this.#expireLocally();
    });
  }

  #expireLocally(): void {
    if (this.#clock.now() < this.#deadline) {
      this.#armDeadline();
      return;
    }
    const keptAlive = this.#autoKeepAlive;
    this.markLost(
      new KvError(
        "unavailable",
        `no keep-alive of lease ${this.id} was confirmed within its ${this.ttlSeconds} s TTL`,
      ),
    );
    // Keep-alives were failing, yet the store may still hold the lease (it was only unreachable
    // from here): end it there as soon as possible, so that others (the next election candidate)
    // need not wait for its expiry. A lease left to expire on purpose is left to the store.
    if (keptAlive) this.#transport.revoke().catch(() => undefined);
  }

  #scheduleTick(ms: number): void {
    if (!this.#autoKeepAlive || this.lost.aborted) return;
    this.#tickTimer = this.#clock.setTimer(ms, () => {
      this.#tickTimer = undefined;
      this.#tick();
    });
  }

  #tick(): void {
    this.keepAliveOnce().then(
      () => this.#scheduleTick(this.#intervalMs),
      () => this.#scheduleTick(Math.min(this.#intervalMs, RETRY_DELAY_MS)),
    );
  }
}

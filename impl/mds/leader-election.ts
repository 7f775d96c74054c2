/**
 * The election loop of one MDS process (DESIGN §1): campaign under the MDS election prefix with
 * the advertised address as value; on winning, load the term's state (`onTerm`), then serve until
 * the term ends; then campaign again. Meanwhile, observe who leads, so that the gate can answer
 * NOT_LEADER with the leader's address.
 *
 * A leader stops serving the moment its Leadership's `lost` signal aborts (lease lost, leader key
 * gone): the gate checks it on every call. Whatever it still tries to write is refused by the
 * fence.
 */
import type { Logger } from "pino";
import type { Clock } from "../storage/clock.js";
import { Election, type LeaderInfo, type LeaderObservation } from "../storage/election.js";
import type { KvStore } from "../storage/kv-store.js";
import { electionPrefix } from "./keys.js";
import { type ElectedLeaderGate, leaderAddressOf } from "./leader-gate.js";

export interface LeaderElectionOptions {
  readonly kv: KvStore;
  readonly gate: ElectedLeaderGate;
  /** This process's advertised "host:port": the value it campaigns with. */
  readonly address: string;
  readonly ttlSeconds: number;
  /** Pause after a failed campaign or term start. */
  readonly retryMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Loads the state of a new term and starts its background tasks; the gate serves once it
   * resolves. A failure ends the term (this process resigns and campaigns again).
   */
  readonly onTerm: (signal: AbortSignal) => Promise<void>;
}

/** A running election loop. */
export class LeaderElectionLoop {
  readonly #options: LeaderElectionOptions;
  readonly #election: Election;
  readonly #stop = new AbortController();
  #observation: LeaderObservation | undefined;
  #observing: Promise<void> | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    this.#election = new Election(options.kv, electionPrefix(), { ttlSeconds: options.ttlSeconds });
  }

  /** Starts observing and campaigning. */
  async start(): Promise<void> {
    this.#observing = this.#observeLoop();
    this.#loop = this.#campaignLoop();
  }

  /** Stops campaigning; a leader resigns, so a follower takes over without waiting for the TTL. */
  async stop(): Promise<void> {
    this.#stop.abort(new Error("stopping"));
    const leadership = this.#options.gate.stop();
    await this.#observing;
    await this.#observation?.cancel().catch(() => undefined);
    await leadership?.resign().catch(() => undefined);
    await this.#loop;
  }

  /**
   * Stops as a crashed process would: no resignation, no more keep-alives, so the leader key
   * stays until its lease expires (after the election TTL) and only then may another MDS lead.
   */
  async abandon(): Promise<void> {
    this.#stop.abort(new Error("abandoned"));
    const leadership = this.#options.gate.stop();
    leadership?.lease.release();
    await this.#observing;
    await this.#observation?.cancel().catch(() => undefined);
    await this.#loop;
  }

  /** Observes the election, retrying while the store cannot be reached. */
  async #observeLoop(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      try {
        this.#observation = await this.#election.observe((leader) => this.#observed(leader));
        if (stop.aborted) await this.#observation.cancel().catch(() => undefined);
        return;
      } catch (error) {
        this.#options.logger.warn({ err: error }, "cannot observe the MDS election yet");
        await sleep(this.#options.clock, this.#options.retryMs, stop);
      }
    }
  }

  #observed(leader: LeaderInfo | undefined): void {
    const { gate } = this.#options;
    // While leading, the Leadership's own signals are authoritative; a late observation is not.
    if (gate.state === "loading" || gate.state === "serving") return;
    gate.follow(leader && leaderAddressOf(leader.value));
  }

  async #campaignLoop(): Promise<void> {
    const { gate, logger, address } = this.#options;
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      try {
        const leadership = await this.#election.campaign(address, { signal: stop });
        if (stop.aborted) {
          await leadership.resign().catch(() => undefined);
          return;
        }
        const term = gate.begin(leadership);
        logger.info({ address, term: leadership.createRevision }, "elected MDS leader; loading");
        try {
          await this.#options.onTerm(term);
          if (gate.markReady(term)) logger.info({ address }, "MDS leader serving");
        } catch (error) {
          logger.error({ err: error }, "could not start the term; resigning");
          await leadership.resign().catch(() => undefined);
        }
        await untilAborted(AbortSignal.any([term, stop]));
        if (!stop.aborted) {
          logger.warn({ address, reason: String(term.reason) }, "MDS leadership lost");
          await leadership.lease.revoke().catch(() => undefined);
          // Observations made while leading were ignored: ask who leads now.
          const leader = await this.#election.leader().catch(() => undefined);
          gate.follow(leader && leaderAddressOf(leader.value));
        }
      } catch (error) {
        if (stop.aborted) return;
        logger.warn({ err: error }, "MDS campaign failed; retrying");
        await sleep(this.#options.clock, this.#options.retryMs, stop);
      }
    }
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(ms, resolve);
    signal.addEventListener(
      "abort",
      () => {
        timer.cancel();
        resolve();
      },
      { once: true },
    );
  });
}

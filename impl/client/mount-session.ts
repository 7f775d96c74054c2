/**
 * Keeps a mount alive (mds.proto RefreshSession): refreshes every `refresh_interval_ms` in the
 * background, sends the partitions' tx ids it knows and learns newer ones (renames by other
 * mounts), and reports the bytes this client added or freed. A delta whose refresh failed is
 * folded into the next one instead of being sent twice.
 */
import type { Mountpoint, RefreshSessionResponse } from "../gen/curve/mds/v1/mds_pb.js";
import type { MdsCaller } from "./mds-caller.js";
import type { RoutingCache } from "./routing-cache.js";

export class MountSession {
  #pendingDelta = 0n;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #last: RefreshSessionResponse | undefined;

  constructor(
    private readonly mds: MdsCaller,
    readonly fsId: number,
    readonly mountpoint: Mountpoint,
    private readonly cache: RoutingCache,
    private intervalMs: number,
  ) {}

  /** Starts the background refreshes. */
  start(): void {
    this.#schedule();
  }

  /** Counts bytes added (positive) or freed (negative) for the next refresh. */
  addUsedBytes(delta: number): void {
    this.#pendingDelta += BigInt(Math.trunc(delta));
  }

  /** The answer of the last successful refresh. */
  get last(): RefreshSessionResponse | undefined {
    return this.#last;
  }

  /** Refreshes now and returns the MDS's answer (capacity, used bytes, tx ids). */
  async refresh(): Promise<RefreshSessionResponse> {
    const delta = this.#pendingDelta;
    const response = await this.mds.call(
      ({ mds }, timeoutMs) =>
        mds.refreshSession(
          {
            fsId: this.fsId,
            mountpoint: this.mountpoint,
            knownTxIds: this.cache.knownTxIds(),
            usedBytesDelta: delta,
          },
          { timeoutMs },
        ),
      // A lost reply would count the delta twice; only an empty delta is safe to repeat.
      delta === 0n,
    );
    this.#pendingDelta -= delta;
    this.cache.learnTxIds(response.latestTxIds);
    if (response.refreshIntervalMs > 0) this.intervalMs = response.refreshIntervalMs;
    this.#last = response;
    return response;
  }

  /** Stops the background refreshes (the caller then unmounts). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      // A failed refresh is retried at the next tick; the session survives up to its TTL.
      this.refresh()
        .catch(() => undefined)
        .finally(() => this.#schedule());
    }, this.intervalMs);
    // A mounted fs alone must not keep the process alive.
    this.#timer.unref();
  }
}

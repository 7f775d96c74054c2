/**
 * The serving status of each service of one process, as grpc.health.v1 reports it.
 *
 * A service is SERVING when its probe says so: the MDS services only on the elected leader, the
 * metaserver's once its copysets are reopened. The empty name is the process as a whole: SERVING
 * from start until shutdown, whatever its services say (a follower MDS is healthy; a probe that
 * restarted it would only hurt). `shutDown` turns everything NOT_SERVING for good, before the
 * port closes, so that load balancers stop sending calls first.
 *
 * Probes read state that changes without telling anyone (a lost election lease is noticed by the
 * gate when asked), so watchers re-read every `pollMs` as well as on shutdown.
 */
import { HealthCheckResponse_ServingStatus as ServingStatus } from "../gen-grpc/grpc/health/v1/health_pb.js";

/** How often a watcher re-reads the probes: well inside the MDS election lease (5 s). */
const DEFAULT_POLL_MS = 200;

/** Whether a service can take calls right now. */
export type ServingProbe = () => boolean;

/** The name of the process as a whole in health requests. */
export const WHOLE_SERVER = "";

export class HealthStatuses {
  readonly #probes = new Map<string, ServingProbe>([[WHOLE_SERVER, () => true]]);
  readonly #wakers = new Set<() => void>();
  readonly #pollMs: number;
  #shutDown = false;

  constructor(options: { pollMs?: number } = {}) {
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  /** Adds a service (by fully qualified name), serving whenever `probe` says so. */
  register(service: string, probe: ServingProbe): void {
    this.#probes.set(service, probe);
  }

  /** The status of a service; undefined when this process does not serve it. */
  status(service: string): ServingStatus | undefined {
    const probe = this.#probes.get(service);
    if (probe === undefined) return undefined;
    return !this.#shutDown && probe() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  /** Every service (and the whole server, "") with its status. */
  all(): Map<string, ServingStatus> {
    const statuses = new Map<string, ServingStatus>();
    for (const service of this.#probes.keys()) {
      statuses.set(service, this.status(service) ?? ServingStatus.UNKNOWN);
    }
    return statuses;
  }

  /**
   * The status now, then each change, until `signal` aborts or the process shuts down (the
   * last status is then NOT_SERVING). A service this process does not serve is SERVICE_UNKNOWN,
   * and the watch goes on: the health spec lets a service appear later.
   */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus> {
    let last: ServingStatus | undefined;
    while (!signal.aborted) {
      const current = this.status(service) ?? ServingStatus.SERVICE_UNKNOWN;
      if (current !== last) {
        last = current;
        yield current;
      }
      if (this.#shutDown) return;
      await this.#nextCheck(signal);
    }
  }

  /** NOT_SERVING everywhere from now on; watchers learn it at once. */
  shutDown(): void {
    this.#shutDown = true;
    for (const wake of [...this.#wakers]) wake();
  }

  #nextCheck(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        signal.removeEventListener("abort", wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#pollMs);
      this.#wakers.add(wake);
      signal.addEventListener("abort", wake, { once: true });
    });
  }
}

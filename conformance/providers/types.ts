/**
 * Real backing services (etcd, S3) for tests and for `curve-rpc-conformance --reference`.
 *
 * Each provider tries, in order: servers named by environment variables, a Docker engine
 * (testcontainers), native binaries started on free loopback ports. The first that works is
 * used for the whole run and described in one line (provider, endpoint, server version).
 */

/** How to reach an etcd cluster. */
export interface EtcdEndpoint {
  /** Client URLs, e.g. ["http://127.0.0.1:23790"]. */
  readonly endpoints: readonly string[];
}

/** How to reach an S3 server and the bucket reserved for this run. */
export interface S3Endpoint {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
}

/** A running service obtained from a provider. */
export interface ProvidedService<T> {
  readonly endpoint: T;
  /** One line for the run log: which provider, where, which server version. */
  readonly description: string;
  /**
   * Stops the process (or container) and restarts it with the same data and address, for fault
   * tests. `whileDown`, when given, runs after the service stopped and before it starts again.
   * Absent when the service was not started by us (environment variables).
   */
  readonly restart?: (whileDown?: () => Promise<void>) => Promise<void>;
  /** Stops the service and removes its data; a no-op for services we did not start. */
  stop(): Promise<void>;
}

/**
 * Transports to every server a run talks to, created on first use: the MDS leader, the
 * metaservers and chunkservers given to the runner, and servers only learned from the target
 * itself (a partition's leader, a `leader_hint`). One HTTP/2 session per server and protocol,
 * all closed at the end of the run.
 */
import type { Interceptor, Transport } from "@connectrpc/connect";
import type { Protocol } from "./protocol.js";
import { createTransports, type Transports } from "./transports.js";

export class TransportPool {
  readonly #byUrl = new Map<string, Transports>();

  constructor(private readonly interceptors: readonly Interceptor[]) {}

  /** The transport to `url` ("http://host:port") over `protocol`. */
  get(url: string, protocol: Protocol): Transport {
    let transports = this.#byUrl.get(url);
    if (transports === undefined) {
      transports = createTransports(url, this.interceptors);
      this.#byUrl.set(url, transports);
    }
    return transports.get(protocol);
  }

  /** Closes every session of the pool. */
  close(): void {
    for (const transports of this.#byUrl.values()) transports.close();
    this.#byUrl.clear();
  }
}

/** The base URL of a server advertised as "host:port" (cleartext HTTP/2, as the spec serves). */
export function urlOfAddress(address: string): string {
  return `http://${address}`;
}

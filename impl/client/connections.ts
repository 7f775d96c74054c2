/**
 * One HTTP/2 connection per server the client talks to, shared by every service client of that
 * server. Connect's binary protocol over HTTP/2, as the servers expect (DESIGN §1); deadlines
 * are set per call by the callers.
 */
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";

/** Metaserver responses may carry a whole inode's chunk list: up to the spec's 16 MiB. */
const READ_MAX_BYTES = 32 * 1024 * 1024;

export class Connections {
  readonly #transports = new Map<string, { transport: Transport; session: Http2SessionManager }>();
  readonly #clients = new Map<string, unknown>();

  /** A client of `service` at `baseUrl` ("http://host:port"). */
  client<S extends DescService>(service: S, baseUrl: string): Client<S> {
    const key = `${service.typeName} ${baseUrl}`;
    let client = this.#clients.get(key) as Client<S> | undefined;
    if (client === undefined) {
      client = createClient(service, this.#transport(baseUrl));
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Closes every connection; later calls open new ones. */
  close(): void {
    for (const { session } of this.#transports.values()) session.abort();
    this.#transports.clear();
    this.#clients.clear();
  }

  #transport(baseUrl: string): Transport {
    let entry = this.#transports.get(baseUrl);
    if (entry === undefined) {
      const session = new Http2SessionManager(baseUrl);
      const transport = createConnectTransport({
        baseUrl,
        httpVersion: "2",
        useBinaryFormat: true,
        sessionManager: session,
        readMaxBytes: READ_MAX_BYTES,
      });
      entry = { transport, session };
      this.#transports.set(baseUrl, entry);
    }
    return entry.transport;
  }
}

/** The base URL of a "host:port" address (leader hints, registered metaserver addresses). */
export function baseUrlOf(address: string, scheme = "http:"): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `${scheme}//${address}`;
}

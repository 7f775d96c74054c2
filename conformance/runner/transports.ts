/** Transports to one server over each protocol, HTTP/2 cleartext, sharing one session each. */
import type { Interceptor, Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import type { Protocol } from "./protocol.js";

export interface Transports {
  get(protocol: Protocol): Transport;
  /** Closes the HTTP/2 sessions. */
  close(): void;
}

export function createTransports(
  baseUrl: string,
  interceptors: readonly Interceptor[],
): Transports {
  const sessions = new Map<Protocol, Http2SessionManager>();
  const transports = new Map<Protocol, Transport>();
  const sessionFor = (protocol: Protocol): Http2SessionManager => {
    let session = sessions.get(protocol);
    if (!session) {
      session = new Http2SessionManager(baseUrl);
      sessions.set(protocol, session);
    }
    return session;
  };
  return {
    get(protocol) {
      let transport = transports.get(protocol);
      if (!transport) {
        const common = {
          baseUrl,
          interceptors: [...interceptors],
          sessionManager: sessionFor(protocol),
        };
        transport =
          protocol === "connect"
            ? createConnectTransport({ ...common, httpVersion: "2" })
            : protocol === "grpc"
              ? createGrpcTransport(common)
              : createGrpcWebTransport({ ...common, httpVersion: "2" });
        transports.set(protocol, transport);
      }
      return transport;
    },
    close() {
      for (const session of sessions.values()) session.abort();
    },
  };
}

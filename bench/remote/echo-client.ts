/** Node clients of the echo server: one HTTP/2 session per client process, as a real client. */
import { type Client, createClient } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  Http2SessionManager,
} from "@connectrpc/connect-node";
import type { Workload } from "../harness/workload.js";
import { ECHO_REQUEST, ECHO_SERVICE } from "./echo-rpc.js";

export interface EchoClientParams {
  readonly url: string;
  readonly protocol: "connect" | "grpc";
}

export async function createWorkload(params: EchoClientParams): Promise<Workload> {
  const sessionManager = new Http2SessionManager(params.url);
  const transport =
    params.protocol === "connect"
      ? createConnectTransport({
          baseUrl: params.url,
          httpVersion: "2",
          useBinaryFormat: true,
          sessionManager,
        })
      : createGrpcTransport({ baseUrl: params.url, sessionManager });
  const client: Client<typeof ECHO_SERVICE> = createClient(ECHO_SERVICE, transport);
  // One call opens the session, so the first measured call does not pay for the connection.
  await client.getLeader(ECHO_REQUEST);
  return {
    run: async () => {
      await client.getLeader(ECHO_REQUEST);
    },
    close: async () => sessionManager.abort(),
  };
}

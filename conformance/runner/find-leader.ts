/**
 * Finds the MDS that serves: the leader answers a read, followers and a leader still loading
 * answer `unavailable`. Waits while an election runs.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";

/** How long a target may take to elect a leader and load its state. */
export const LEADER_WAIT_MS = 60_000;
const RETRY_MS = 250;

export async function findLeader(urls: readonly string[]): Promise<string> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  const errors = new Map<string, string>();
  for (;;) {
    for (const url of urls) {
      const session = new Http2SessionManager(url);
      try {
        const client = createClient(
          MdsService,
          createConnectTransport({ baseUrl: url, httpVersion: "2", sessionManager: session }),
        );
        await client.listFs({ pageSize: 1 }, { timeoutMs: 5_000 });
        return url;
      } catch (error) {
        errors.set(url, error instanceof Error ? error.message : String(error));
      } finally {
        session.abort();
      }
    }
    if (Date.now() > deadline) {
      const tried = [...errors].map(([url, message]) => `  ${url}: ${message}`).join("\n");
      throw new Error(`no MDS answered as leader within ${LEADER_WAIT_MS} ms:\n${tried}`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

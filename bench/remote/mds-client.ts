/** Node clients of the MDS's MdsService (Connect, binary, one HTTP/2 session per process). */
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import type { Workload, WorkloadProcess } from "../harness/workload.js";

export type MdsCall = "allocate-s3-chunk" | "mount-fs" | "refresh-session";

export interface MdsClientParams {
  readonly url: string;
  readonly call: MdsCall;
  readonly fsId: number;
  readonly fsName: string;
}

export async function createWorkload(
  params: MdsClientParams,
  process: WorkloadProcess,
): Promise<Workload> {
  const sessionManager = new Http2SessionManager(params.url);
  const client: Client<typeof MdsService> = createClient(
    MdsService,
    createConnectTransport({
      baseUrl: params.url,
      httpVersion: "2",
      useBinaryFormat: true,
      sessionManager,
    }),
  );
  const { fsId, fsName } = params;
  // Every caller is one client process of the fs: a host name and a port of its own.
  const mountpoint = (caller: number, path: string) => ({
    hostname: `bench-${process.index}-${caller}`,
    port: 1 + caller,
    path,
    cto: true,
  });
  const close = async () => sessionManager.abort();
  switch (params.call) {
    case "allocate-s3-chunk":
      await client.allocateS3Chunk({ fsId, count: 1 });
      return {
        run: async () => {
          await client.allocateS3Chunk({ fsId, count: 1 });
        },
        close,
      };
    case "mount-fs":
      // Each operation mounts a new directory: a real mount that adds a mount point.
      return {
        run: async (caller, seq) => {
          await client.mountFs({ fsName, mountpoint: mountpoint(caller, `/mnt/${seq}`) });
        },
        close,
      };
    case "refresh-session":
      // The steady state of a mounted client: renew the session, no usage change, no tx ids.
      for (let caller = 0; caller < process.callers; caller++) {
        await client.mountFs({ fsName, mountpoint: mountpoint(caller, "/mnt/session") });
      }
      return {
        run: async (caller) => {
          await client.refreshSession({ fsId, mountpoint: mountpoint(caller, "/mnt/session") });
        },
        close,
      };
  }
}

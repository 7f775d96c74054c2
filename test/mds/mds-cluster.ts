/**
 * MDS processes started in-process on the run's real etcd (one namespace per cluster), with the
 * FAKE metaserver client, and Connect clients for them over each protocol.
 */
import { randomUUID } from "node:crypto";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { pino } from "pino";
import { inject } from "vitest";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import type { MdsConfigOverrides } from "../../impl/mds/mds-config.js";
import { MdsServer } from "../../impl/mds/mds-server.js";
import { EtcdKvStore } from "../../impl/storage/etcd-kv-store.js";
import { eventually } from "../support/eventually.js";
import { FakeMetaServerClient } from "../support/fake-metaserver-client.js";

export type Protocol = "connect" | "grpc" | "grpc-web";
export const PROTOCOLS: readonly Protocol[] = ["connect", "grpc", "grpc-web"];

/** Quick elections and background tasks. */
export const CLUSTER_CONFIG: MdsConfigOverrides = {
  electionTtlSeconds: 2,
  campaignRetryMs: 100,
  partitionsPerFs: 3,
  metaServerRetryIntervalMs: 5,
  fsDeletionIntervalMs: 200,
};

export interface MdsCluster {
  readonly namespace: string;
  readonly metaServers: FakeMetaServerClient;
  readonly servers: MdsServer[];
  /** Starts one more MDS process of this cluster. */
  add(): Promise<MdsServer>;
  /** The process that serves as leader (waits for one). */
  leader(): Promise<MdsServer>;
  close(): Promise<void>;
}

export async function startMdsCluster(
  count: number,
  config: MdsConfigOverrides = CLUSTER_CONFIG,
): Promise<MdsCluster> {
  const { endpoints } = inject("etcd");
  const namespace = `test/mds-cluster/${randomUUID()}/`;
  const metaServers = new FakeMetaServerClient();
  const servers: MdsServer[] = [];
  const cluster: MdsCluster = {
    namespace,
    metaServers,
    servers,
    async add() {
      const server = await MdsServer.start({
        host: "127.0.0.1",
        port: 0,
        etcdEndpoints: endpoints,
        etcdNamespace: namespace,
        config,
        logger: pino({ level: "silent" }),
        metaServers,
      });
      servers.push(server);
      return server;
    },
    leader: () =>
      eventually(() => servers.find((s) => s.gate.state === "serving"), { what: "an MDS leader" }),
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      const cleaner = new EtcdKvStore({ endpoints });
      await cleaner.deletePrefix(namespace);
      await cleaner.close();
    },
  };
  for (let i = 0; i < count; i++) await cluster.add();
  return cluster;
}

/** A client of `server` over `protocol`. */
export function mdsClient(
  server: MdsServer,
  protocol: Protocol = "connect",
): Client<typeof MdsService> {
  return createClient(MdsService, transportFor(server.url, protocol));
}

export function transportFor(baseUrl: string, protocol: Protocol): Transport {
  switch (protocol) {
    case "connect":
      return createConnectTransport({ baseUrl, httpVersion: "2" });
    case "grpc":
      return createGrpcTransport({ baseUrl });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "2" });
  }
}

export { onlineMetaServers } from "../support/online-metaservers.js";

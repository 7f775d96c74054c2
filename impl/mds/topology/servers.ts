/**
 * Server registrations (topology.proto): RegisterMetaServer / RegisterChunkServer,
 * ListMetaServers / ListChunkServers, DeleteMetaServer / DeleteChunkServer. Metaservers and
 * chunkservers follow one contract, so one implementation serves both kinds.
 */
import { CurveError } from "../../errors.js";
import { ErrorReason } from "../../gen/curve/common/v1/error_pb.js";
import { PoolType, ServerState } from "../../gen/curve/mds/v1/topology_pb.js";
import { chunkServerKey, metaServerKey, serverAddressKey } from "../keys.js";
import { type Page, pageOf } from "./paging.js";
import { decideRegistration, newServerToken, serverNotFound } from "./registration.js";
import { encodeAddress, encodeServer } from "./topology-codec.js";
import type { TopologyDeps } from "./topology-deps.js";
import type { ServerKind, ServerRecord } from "./topology-records.js";
import { deleteWrite, putWrite, type TopologyTerm, type TopologyWrite } from "./topology-store.js";

/** What a server registers with. */
export interface Registration {
  readonly address: string;
  readonly hostname: string;
  readonly poolName: string;
  readonly zoneName: string;
  readonly token?: string | undefined;
  /** Chunkservers: the capacity of their disk. */
  readonly capacityBytes?: bigint;
}

/** The key of a server record. */
export function serverKey(kind: ServerKind, id: number): string {
  return kind === "metaserver" ? metaServerKey(id) : chunkServerKey(id);
}

function poolTypeOf(kind: ServerKind): PoolType {
  return kind === "metaserver" ? PoolType.METASERVER : PoolType.CHUNKSERVER;
}

/**
 * Registers a server by the decision table of RegisterMetaServer: a new registration (state
 * UNSTABLE until its first heartbeat), or the existing one with its hostname (and capacity)
 * updated.
 */
export function registerServer(
  deps: TopologyDeps,
  kind: ServerKind,
  request: Registration,
): Promise<ServerRecord> {
  return deps.store.exclusive(async (term) => {
    const view = term.view;
    const pool = view.poolByName(request.poolName);
    if (!pool || pool.type !== poolTypeOf(kind)) {
      throw new CurveError(
        ErrorReason.POOL_NOT_FOUND,
        `no ${kind} pool is named ${request.poolName}`,
        {
          metadata: { pool_name: request.poolName },
        },
      );
    }
    const zone = view.zoneByName(pool.id, request.zoneName);
    if (!zone) {
      throw new CurveError(
        ErrorReason.ZONE_NOT_FOUND,
        `pool ${request.poolName} has no zone named ${request.zoneName}`,
        { metadata: { zone_name: request.zoneName } },
      );
    }
    const atAddress = view.serverAt(request.address);
    const decision = decideRegistration({
      kind,
      address: request.address,
      poolId: pool.id,
      zoneId: zone.id,
      token: request.token,
      atAddress,
      hostsCopysets: atAddress
        ? (view.copysetCounts(atAddress.kind).get(atAddress.id) ?? 0) > 0
        : false,
    });
    if (decision.kind === "existing") return updateRegistration(term, decision.server, request);
    const id = Number(await deps.ctx.ids.next(kind));
    const server: ServerRecord = {
      kind,
      id,
      address: request.address,
      hostname: request.hostname,
      poolId: pool.id,
      zoneId: zone.id,
      token: newServerToken(),
      capacityBytes: request.capacityBytes ?? 0n,
    };
    await term.commit([
      putWrite(serverKey(kind, id), encodeServer(server), undefined),
      putWrite(serverAddressKey(server.address), encodeAddress({ kind, id }), undefined),
    ]);
    term.registered(kind, id);
    deps.ctx.logger.info({ kind, id, address: server.address }, "server registered");
    return server;
  });
}

/** A restart: the same id and token, with the hostname (and capacity) of this registration. */
async function updateRegistration(
  term: TopologyTerm,
  server: ServerRecord,
  request: Registration,
): Promise<ServerRecord> {
  const updated: ServerRecord = {
    ...server,
    hostname: request.hostname,
    capacityBytes: request.capacityBytes ?? server.capacityBytes,
  };
  if (updated.hostname !== server.hostname || updated.capacityBytes !== server.capacityBytes) {
    const current = term.view.servers[server.kind].get(server.id);
    await term.commit([
      putWrite(serverKey(server.kind, server.id), encodeServer(updated), current),
    ]);
  }
  return updated;
}

/** Filters of ListMetaServers / ListChunkServers (combined with AND). */
export interface ServerFilter {
  readonly poolId?: number | undefined;
  readonly zoneId?: number | undefined;
  readonly state?: ServerState | undefined;
}

/** A listed server with the facts its message needs. */
export interface ListedServer {
  readonly server: ServerRecord;
  readonly copysetCount: number;
}

/** ListMetaServers / ListChunkServers: ascending by id, filtered, paged. */
export async function listServers(
  deps: TopologyDeps,
  kind: ServerKind,
  filter: ServerFilter,
  paging: { readonly pageSize: number; readonly pageToken: string },
): Promise<{ term: TopologyTerm; page: Page<ListedServer> }> {
  const term = await deps.store.term();
  const counts = term.view.copysetCounts(kind);
  const servers = term.view
    .serversOf(kind)
    .filter(
      (s) =>
        (filter.poolId === undefined || s.poolId === filter.poolId) &&
        (filter.zoneId === undefined || s.zoneId === filter.zoneId) &&
        (filter.state === undefined || term.liveness(kind, s.id).state === filter.state),
    )
    .sort((a, b) => a.id - b.id)
    .map((server) => ({ server, copysetCount: counts.get(server.id) ?? 0 }));
  const page = pageOf(servers, (s) => BigInt(s.server.id), {
    rpc: kind === "metaserver" ? "ListMetaServers" : "ListChunkServers",
    ...paging,
    defaultPageSize: DEFAULT_PAGE_SIZE,
  });
  return { term, page };
}

/** The server default page size of the server lists (topology.proto). */
const DEFAULT_PAGE_SIZE = 100;

/**
 * DeleteMetaServer / DeleteChunkServer: only an OFFLINE server that hosts no copyset. Its
 * address is free afterwards, and its id and token are unknown.
 */
export function deleteServer(deps: TopologyDeps, kind: ServerKind, id: number): Promise<void> {
  return deps.store.exclusive(async (term) => {
    const current = term.view.servers[kind].get(id);
    if (!current) {
      throw new CurveError(serverNotFound(kind), `no ${kind} has id ${id}`, {
        metadata: { [`${kind}_id`]: `${id}` },
      });
    }
    const state = term.liveness(kind, id).state;
    const copysets = term.view.copysetCounts(kind).get(id) ?? 0;
    if (state !== ServerState.OFFLINE || copysets > 0) {
      throw new CurveError(
        ErrorReason.SERVER_IN_USE,
        `${kind} ${id} is ${ServerState[state]} and hosts ${copysets} copysets: only an OFFLINE server without copysets can be deleted`,
        { metadata: { [`${kind}_id`]: `${id}` } },
      );
    }
    const writes: TopologyWrite[] = [deleteWrite(current)];
    const address = term.view.addresses.get(current.value.address);
    if (address && address.value.kind === kind && address.value.id === id)
      writes.push(deleteWrite(address));
    await term.commit(writes);
    term.forget(kind, id);
    deps.ctx.logger.info({ kind, id }, "server deleted");
  });
}

/**
 * The KV encoding of the topology (keys from keys.ts, all under `/curve/mds/topology/`):
 *
 * | key                                    | value                                              |
 * |----------------------------------------|----------------------------------------------------|
 * | `pool/<pool id>`                       | JSON {v:1, id, name, type, replicaCount, initialCopysetCount} |
 * | `zone/<zone id>`                       | JSON {v:1, id, poolId, name}                       |
 * | `metaserver/<id>`, `chunkserver/<id>`  | JSON {v:1, id, address, hostname, poolId, zoneId, token, capacityBytes} |
 * | `address/<uri-encoded address>`        | JSON {v:1, kind, id}: the server registered there  |
 * | `copyset/<pool id>/<copyset id>`       | JSON {v:1, members, epoch, leader?, term, created} |
 * | `partition/<partition id>`             | curve.common.v1.PartitionInfo, protobuf binary (persisted fields only: no next_id or counts) |
 * | `fs-partition/<fs id>/<partition id>`  | JSON {v:1, created}: the partitions of an fs, and whether the metaserver created each |
 * | `fs-inode-watermark/<fs id>`           | JSON {v:1, next}: where the next partition of the fs starts (never goes down) |
 *
 * 64-bit numbers are decimal strings in JSON.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { type PartitionInfo, PartitionInfoSchema } from "../../gen/curve/common/v1/common_pb.js";
import { areaKey, MDS_ROOT } from "../keys.js";
import { decodeVersioned, encodeVersioned } from "../versioned-json.js";
import type {
  AddressRecord,
  CopysetRecord,
  PoolRecord,
  ServerKind,
  ServerRecord,
  ZoneRecord,
} from "./topology-records.js";

const VERSION = 1;

/** The topology area prefix (every key this file decodes starts with it). */
export const TOPOLOGY_PREFIX = `${MDS_ROOT}topology/`;

/**
 * Where the next partition of an fs starts: the end of the highest range the fs ever had, + 1.
 * Kept apart from the partitions so that a range is never handed out twice, even after its
 * partition was removed (a rolled-back create).
 */
export const fsInodeWatermarkKey = (fsId: number): string =>
  areaKey("topology", "fs-inode-watermark", fsId);

/** A decoded topology key: its kind and the ids in it. */
export type TopologyKey =
  | { readonly kind: "pool" | "zone" | "partition" | "fs-inode-watermark"; readonly id: number }
  | { readonly kind: ServerKind; readonly id: number }
  | { readonly kind: "address"; readonly address: string }
  | { readonly kind: "copyset"; readonly poolId: number; readonly copysetId: number }
  | { readonly kind: "fs-partition"; readonly fsId: number; readonly partitionId: number };

/** Parses a topology key; undefined for a key this version does not know. */
export function parseTopologyKey(key: string): TopologyKey | undefined {
  if (!key.startsWith(TOPOLOGY_PREFIX)) return undefined;
  const [kind, ...rest] = key.slice(TOPOLOGY_PREFIX.length).split("/");
  const ids = rest.map(Number);
  const ok = (n: number) => ids.length === n && ids.every((id) => Number.isSafeInteger(id));
  switch (kind) {
    case "pool":
    case "zone":
    case "partition":
    case "fs-inode-watermark":
    case "metaserver":
    case "chunkserver":
      return ok(1) ? { kind, id: ids[0] as number } : undefined;
    case "address":
      return rest.length === 1
        ? { kind, address: decodeURIComponent(rest[0] as string) }
        : undefined;
    case "copyset":
      return ok(2) ? { kind, poolId: ids[0] as number, copysetId: ids[1] as number } : undefined;
    case "fs-partition":
      return ok(2) ? { kind, fsId: ids[0] as number, partitionId: ids[1] as number } : undefined;
    default:
      return undefined;
  }
}

function json(value: object): Uint8Array {
  return encodeVersioned(VERSION, value);
}

function parse(value: Uint8Array): Record<string, unknown> {
  return decodeVersioned(VERSION, value);
}

function num(record: Record<string, unknown>, field: string): number {
  const value = record[field];
  if (typeof value !== "number") throw new Error(`field ${field} is not a number`);
  return value;
}

function str(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== "string") throw new Error(`field ${field} is not a string`);
  return value;
}

export function encodePool(pool: PoolRecord): Uint8Array {
  return json(pool);
}

export function decodePool(value: Uint8Array): PoolRecord {
  const r = parse(value);
  return {
    id: num(r, "id"),
    name: str(r, "name"),
    type: num(r, "type"),
    replicaCount: num(r, "replicaCount"),
    initialCopysetCount: num(r, "initialCopysetCount"),
  };
}

export function encodeZone(zone: ZoneRecord): Uint8Array {
  return json(zone);
}

export function decodeZone(value: Uint8Array): ZoneRecord {
  const r = parse(value);
  return { id: num(r, "id"), poolId: num(r, "poolId"), name: str(r, "name") };
}

export function encodeServer(server: ServerRecord): Uint8Array {
  const { kind: _kind, capacityBytes, ...rest } = server;
  return json({ ...rest, capacityBytes: capacityBytes.toString() });
}

export function decodeServer(kind: ServerKind, value: Uint8Array): ServerRecord {
  const r = parse(value);
  return {
    kind,
    id: num(r, "id"),
    address: str(r, "address"),
    hostname: str(r, "hostname"),
    poolId: num(r, "poolId"),
    zoneId: num(r, "zoneId"),
    token: str(r, "token"),
    capacityBytes: BigInt(str(r, "capacityBytes")),
  };
}

export function encodeAddress(record: AddressRecord): Uint8Array {
  return json(record);
}

export function decodeAddress(value: Uint8Array): AddressRecord {
  const r = parse(value);
  const kind = str(r, "kind");
  if (kind !== "metaserver" && kind !== "chunkserver") throw new Error(`bad server kind ${kind}`);
  return { kind, id: num(r, "id") };
}

export function encodeCopyset(copyset: CopysetRecord): Uint8Array {
  return json({
    members: copyset.members,
    epoch: copyset.epoch.toString(),
    ...(copyset.leader === undefined ? {} : { leader: copyset.leader }),
    term: copyset.term.toString(),
    created: copyset.created,
  });
}

export function decodeCopyset(poolId: number, copysetId: number, value: Uint8Array): CopysetRecord {
  const r = parse(value);
  const members = r.members;
  if (!Array.isArray(members) || !members.every((m) => typeof m === "number")) {
    throw new Error("bad members");
  }
  return {
    poolId,
    copysetId,
    members: members as number[],
    epoch: BigInt(str(r, "epoch")),
    leader: typeof r.leader === "number" ? r.leader : undefined,
    term: BigInt(str(r, "term")),
    created: r.created === true,
  };
}

/** The stored form of a partition: only the fields the MDS owns. */
export function encodePartition(info: PartitionInfo): Uint8Array {
  return toBinary(
    PartitionInfoSchema,
    create(PartitionInfoSchema, {
      fsId: info.fsId,
      poolId: info.poolId,
      copysetId: info.copysetId,
      partitionId: info.partitionId,
      start: info.start,
      end: info.end,
      txId: info.txId,
      status: info.status,
    }),
  );
}

export function decodePartition(value: Uint8Array): PartitionInfo {
  return fromBinary(PartitionInfoSchema, value);
}

export function encodePartitionIndex(created: boolean): Uint8Array {
  return json({ created });
}

/** An empty value (keys.ts allows one) counts as created. */
export function decodePartitionIndex(value: Uint8Array): boolean {
  return value.length === 0 || parse(value).created === true;
}

export function encodeWatermark(next: bigint): Uint8Array {
  return json({ next: next.toString() });
}

export function decodeWatermark(value: Uint8Array): bigint {
  return BigInt(str(parse(value), "next"));
}

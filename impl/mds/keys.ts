/**
 * The KV key layout of the MDS: every key lives under `/curve/mds/<area>/`, one function per
 * kind of key. Keys are UTF-8 strings. Numeric ids are zero-padded decimals (10 digits for the
 * uint32 ids, 20 for uint64), so that the byte order of a range is the numeric order of the ids
 * and a listing "in ascending order of id" is a plain prefix range.
 *
 * Values are documented by the repository of each area: spec messages in protobuf binary where
 * one fits (FsInfo, PartitionInfo, …), otherwise JSON with a "v" version field.
 *
 * Areas:
 * - `election/`  leader election candidates (value: the candidate's advertised address)
 * - `ids/`       id counters of IdAllocator
 * - `fs/`        file systems: records by id, the name index, committed rename tx ids
 * - `topology/`  pools, zones, servers, copysets, partitions
 * - `space/`     the space allocators of VOLUME file systems
 */
import type { IdCounter } from "./mds-config.js";

/** Root of every MDS key. */
export const MDS_ROOT = "/curve/mds/";

/** A segment of a key: ids are padded so that byte order is numeric order. */
export type KeySegment = string | number | bigint;

/** Ten digits hold every uint32; twenty every uint64. */
const UINT32_DIGITS = 10;
const UINT64_DIGITS = 20;

/** A uint32 id as a fixed-width key segment. */
export function uint32Segment(id: number): string {
  if (!Number.isInteger(id) || id < 0 || id > 0xffff_ffff) {
    throw new RangeError(`not a uint32 id: ${id}`);
  }
  return id.toString().padStart(UINT32_DIGITS, "0");
}

/** A uint64 id as a fixed-width key segment. */
export function uint64Segment(id: bigint): string {
  if (id < 0n || id > 0xffff_ffff_ffff_ffffn) throw new RangeError(`not a uint64 id: ${id}`);
  return id.toString().padStart(UINT64_DIGITS, "0");
}

function segment(part: KeySegment): string {
  if (typeof part === "number") return uint32Segment(part);
  if (typeof part === "bigint") return uint64Segment(part);
  if (part.length === 0 || part.includes("/")) {
    throw new RangeError(
      `a key segment must be non-empty and free of "/": ${JSON.stringify(part)}`,
    );
  }
  return part;
}

/**
 * The key `/curve/mds/<area>/<segment>/…`. The escape hatch for a new kind of key: prefer (or
 * add) a named function below so that the layout stays readable in one place.
 */
export function areaKey(area: string, ...parts: KeySegment[]): string {
  return MDS_ROOT + [segment(area), ...parts.map(segment)].join("/");
}

/** The prefix `/curve/mds/<area>/<segment>/…/` (with a trailing slash), for ranges. */
export function areaPrefix(area: string, ...parts: KeySegment[]): string {
  return `${areaKey(area, ...parts)}/`;
}

/** The parsed trailing uint32 id of a key built by these functions. */
export function trailingId(key: string): number {
  const last = key.slice(key.lastIndexOf("/") + 1);
  const id = Number(last);
  if (!/^\d+$/.test(last) || !Number.isSafeInteger(id))
    throw new RangeError(`no id at the end of ${key}`);
  return id;
}

// --- election ---

/** Candidates of the MDS leader election (Election adds the lease id). */
export const electionPrefix = (): string => areaPrefix("election");

// --- ids ---

/** An id counter: the highest id reserved so far (see id-allocator.ts). */
export const idCounterKey = (counter: IdCounter): string => areaKey("ids", counter);

// --- file systems (fs-repository.ts documents the values) ---

/** The record of one fs, by id (FsInfo, protobuf binary). Present in every status. */
export const fsKey = (fsId: number): string => areaKey("fs", "id", fsId);
/** Every fs record, in ascending id order. */
export const fsPrefix = (): string => areaPrefix("fs", "id");
/** The name index: the NEW or INITED fs that owns a name (value: its id). */
export const fsNameKey = (fsName: string): string => areaKey("fs", "name", fsName);
/**
 * The latest committed rename-transaction id of one partition of an fs (MdsService.CommitTx);
 * absent means 0. Kept apart from the topology's partition record so that only CommitTx writes it.
 */
export const fsTxIdKey = (fsId: number, partitionId: number): string =>
  areaKey("fs", "txid", fsId, partitionId);
/** The committed tx ids of every partition of one fs, in partition id order. */
export const fsTxIdPrefix = (fsId: number): string => areaPrefix("fs", "txid", fsId);

// --- topology (the topology repositories document the values) ---

/** A pool, by id. */
export const poolKey = (poolId: number): string => areaKey("topology", "pool", poolId);
export const poolPrefix = (): string => areaPrefix("topology", "pool");
/** A zone, by id. */
export const zoneKey = (zoneId: number): string => areaKey("topology", "zone", zoneId);
export const zonePrefix = (): string => areaPrefix("topology", "zone");
/** A metaserver registration, by id. */
export const metaServerKey = (id: number): string => areaKey("topology", "metaserver", id);
export const metaServerPrefix = (): string => areaPrefix("topology", "metaserver");
/** A chunkserver registration, by id. */
export const chunkServerKey = (id: number): string => areaKey("topology", "chunkserver", id);
export const chunkServerPrefix = (): string => areaPrefix("topology", "chunkserver");
/** The server registered at an address (metaserver or chunkserver): an index for registration. */
export const serverAddressKey = (address: string): string =>
  areaKey("topology", "address", encodeURIComponent(address));
/** A copyset, by pool and copyset id. */
export const copysetKey = (poolId: number, copysetId: number): string =>
  areaKey("topology", "copyset", poolId, copysetId);
/** The copysets of one pool (or of every pool without `poolId`). */
export const copysetPrefix = (poolId?: number): string =>
  poolId === undefined
    ? areaPrefix("topology", "copyset")
    : areaPrefix("topology", "copyset", poolId);
/** A partition, by id. */
export const partitionKey = (partitionId: number): string =>
  areaKey("topology", "partition", partitionId);
export const partitionPrefix = (): string => areaPrefix("topology", "partition");
/** The index of the partitions of one fs: one key per partition (value: empty or a summary). */
export const fsPartitionKey = (fsId: number, partitionId: number): string =>
  areaKey("topology", "fs-partition", fsId, partitionId);
export const fsPartitionPrefix = (fsId: number): string =>
  areaPrefix("topology", "fs-partition", fsId);

// --- space (VOLUME file systems) ---

/** The space allocator state of one fs. */
export const spaceKey = (fsId: number, ...parts: KeySegment[]): string =>
  areaKey("space", fsId, ...parts);
export const spacePrefix = (fsId: number): string => areaPrefix("space", fsId);

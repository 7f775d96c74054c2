/**
 * MountFs's conflict rules (mds.proto), as a pure decision over the fs's current mount points.
 * A mount point is identified by (hostname, port, path); all mounts of one fs agree on `cto`.
 */
import type { Mountpoint } from "../../gen/curve/mds/v1/mds_pb.js";

/** What a mount request amounts to. */
export type MountDecision =
  /** The same client process mounted it already: refresh its session, change nothing. */
  | { readonly kind: "repeat" }
  /** Record it. */
  | { readonly kind: "add" }
  /** `already_exists` MOUNTPOINT_CONFLICT, with the reason for the message. */
  | { readonly kind: "conflict"; readonly why: string };

/** Applies the rules in the spec's order. */
export function decideMount(current: readonly Mountpoint[], request: Mountpoint): MountDecision {
  const cto = request.cto ?? false;
  const samePlace = current.find((m) => m.hostname === request.hostname && m.path === request.path);
  if (samePlace) {
    if (samePlace.port === request.port && (samePlace.cto ?? false) === cto)
      return { kind: "repeat" };
    return {
      kind: "conflict",
      why: `${request.hostname}:${request.path} is already mounted (port ${samePlace.port}, cto ${samePlace.cto ?? false})`,
    };
  }
  const first = current[0];
  if (first && (first.cto ?? false) !== cto) {
    return {
      kind: "conflict",
      why: `the file system is mounted with cto ${first.cto ?? false}; all mounts must agree`,
    };
  }
  return { kind: "add" };
}

/** True when both name the same mount point (hostname, port and path; cto ignored). */
export function sameMountpoint(a: Mountpoint, b: Mountpoint): boolean {
  return a.hostname === b.hostname && a.port === b.port && a.path === b.path;
}

/** A stable string key of a mount point's identity. */
export function mountpointKey(m: Pick<Mountpoint, "hostname" | "port" | "path">): string {
  return JSON.stringify([m.hostname, m.port, m.path]);
}

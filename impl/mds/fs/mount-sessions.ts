/**
 * The leader's table of mount sessions: when each mount point last renewed its lease (MountFs or
 * RefreshSession). In memory only: a new leader starts every stored mount point with a full
 * lease from the moment it serves (mds.proto, RefreshSession), so nothing here needs to survive
 * a failover.
 */
import { create } from "@bufbuild/protobuf";
import { type FsInfo, type Mountpoint, MountpointSchema } from "../../gen/curve/mds/v1/mds_pb.js";
import type { Clock } from "../../storage/clock.js";
import { mountpointKey } from "./mount-rules.js";

/** A mount point whose lease ran out. */
export interface ExpiredSession {
  readonly fsId: number;
  readonly mountpoint: Mountpoint;
}

interface Session {
  readonly mountpoint: Mountpoint;
  renewedAt: number;
}

/** The sessions of every fs, by fs id and mount point identity. */
export class MountSessions {
  readonly #clock: Clock;
  readonly #byFs = new Map<number, Map<string, Session>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Forgets every session and gives each stored mount point a full lease from now. */
  reset(fileSystems: Iterable<FsInfo>): void {
    this.#byFs.clear();
    for (const fs of fileSystems) for (const m of fs.mountpoints) this.renew(fs.fsId, m);
  }

  /** Renews (or starts) the lease of a mount point. */
  renew(fsId: number, mountpoint: Mountpoint): void {
    let sessions = this.#byFs.get(fsId);
    if (!sessions) {
      sessions = new Map();
      this.#byFs.set(fsId, sessions);
    }
    const copy = create(MountpointSchema, {
      hostname: mountpoint.hostname,
      port: mountpoint.port,
      path: mountpoint.path,
      ...(mountpoint.cto === undefined ? {} : { cto: mountpoint.cto }),
    });
    sessions.set(mountpointKey(mountpoint), { mountpoint: copy, renewedAt: this.#clock.now() });
  }

  /** Ends the session of a mount point. */
  end(fsId: number, mountpoint: Pick<Mountpoint, "hostname" | "port" | "path">): void {
    const sessions = this.#byFs.get(fsId);
    sessions?.delete(mountpointKey(mountpoint));
    if (sessions?.size === 0) this.#byFs.delete(fsId);
  }

  /** True when the mount point's lease, renewed last at its renewal time, has run out. */
  isExpired(
    fsId: number,
    mountpoint: Pick<Mountpoint, "hostname" | "port" | "path">,
    ttlMs: number,
  ): boolean {
    const session = this.#byFs.get(fsId)?.get(mountpointKey(mountpoint));
    return session !== undefined && this.#clock.now() - session.renewedAt >= ttlMs;
  }

  /** Every session not renewed for `ttlMs`. */
  expired(ttlMs: number): ExpiredSession[] {
    const now = this.#clock.now();
    const out: ExpiredSession[] = [];
    for (const [fsId, sessions] of this.#byFs) {
      for (const s of sessions.values()) {
        if (now - s.renewedAt >= ttlMs) out.push({ fsId, mountpoint: s.mountpoint });
      }
    }
    return out;
  }
}

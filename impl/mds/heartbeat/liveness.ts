/**
 * Server states from heartbeats (topology.proto, "Server states"): pure.
 *
 * - never heard by this leader: UNSTABLE, timed from the leader's start or the registration;
 * - heard within the unstable timeout: ONLINE;
 * - silent for longer than the unstable timeout: UNSTABLE;
 * - silent for longer than the offline timeout: OFFLINE.
 */
import { ServerState } from "../../gen/curve/mds/v1/topology_pb.js";
import type { MdsConfig } from "../mds-config.js";

/** What the judgement looks at (clock ms). */
export interface Silence {
  /** When timing started: the term's start or the registration. */
  readonly since: number;
  /** The last accepted heartbeat, if any. */
  readonly lastHeartbeatAt: number | undefined;
}

/** The state a server is in at `now`. */
export function judgeServerState(
  now: number,
  silence: Silence,
  config: Pick<MdsConfig, "serverUnstableAfterMs" | "serverOfflineAfterMs">,
): ServerState {
  const quietFor = now - (silence.lastHeartbeatAt ?? silence.since);
  if (quietFor > config.serverOfflineAfterMs) return ServerState.OFFLINE;
  if (silence.lastHeartbeatAt === undefined || quietFor > config.serverUnstableAfterMs) {
    return ServerState.UNSTABLE;
  }
  return ServerState.ONLINE;
}

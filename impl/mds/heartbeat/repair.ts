/**
 * The repair scheduler (heartbeat.proto, step 3; topology.proto, OFFLINE): a copyset with an
 * OFFLINE member gets one CHANGE_PEER, to an ONLINE server with room in a zone of the pool that
 * the copyset's other members do not use. Pure; one change per copyset at a time, and a change
 * already issued for the current epoch is issued again unchanged while it is still needed.
 */
import { ServerState } from "../../gen/curve/mds/v1/topology_pb.js";
import { chooseReplacement, type PlacementCandidate } from "../topology/placement.js";

/** A member replacement: `peer` in place of `oldPeer` (server ids). */
export interface Replacement {
  readonly peer: number;
  readonly oldPeer: number;
}

/** What the scheduler looks at for one copyset. */
export interface RepairFacts {
  /** Members of the recorded configuration. */
  readonly members: readonly number[];
  readonly stateOf: (serverId: number) => ServerState;
  readonly zoneOf: ReadonlyMap<number, number>;
  /** Servers of the pool that may take a copyset now. */
  readonly candidates: readonly PlacementCandidate[];
  /** The replacement already issued for the current epoch, if any. */
  readonly issued: Replacement | undefined;
}

/** The replacement to ask for now, or undefined (nothing OFFLINE, or no server can take it). */
export function planRepair(facts: RepairFacts): Replacement | undefined {
  const offline = facts.members
    .filter((m) => facts.stateOf(m) === ServerState.OFFLINE)
    .sort((a, b) => a - b);
  if (offline.length === 0) return undefined;
  const issued = facts.issued;
  if (
    issued &&
    offline.includes(issued.oldPeer) &&
    !facts.members.includes(issued.peer) &&
    facts.stateOf(issued.peer) === ServerState.ONLINE
  ) {
    return issued;
  }
  for (const oldPeer of offline) {
    const peer = chooseReplacement(facts.candidates, facts.members, facts.zoneOf, oldPeer);
    if (peer !== undefined) return { peer, oldPeer };
  }
  return undefined;
}

/**
 * The metaserver's side of the MDS: registration with a durable identity, heartbeats with
 * copyset reports, and the commands of heartbeat replies.
 */
export { type CommandOutcome, CopysetCommands, type ReplicaDirectory } from "./copyset-commands.js";
export { IDENTITY_FILE, IdentityStore, type MetaserverIdentity } from "./identity-store.js";
export {
  type AgentHost,
  DEFAULT_POOL,
  DEFAULT_ZONE,
  MdsAgent,
  type MdsAgentOptions,
} from "./mds-agent.js";
export { MdsClient, type MdsClientOptions, type MdsServices } from "./mds-client.js";
export { MIN_BYTES_PER_COPYSET, type SpaceBudget } from "./server-space.js";

/**
 * RaftService over Connect: the client side (`ConnectRaftTransport`, one HTTP/2 session per
 * peer, shared by every group of a host) and the server side (`registerRaftService`).
 */
export {
  ConnectRaftTransport,
  type ConnectRaftTransportOptions,
  DEFAULT_RAFT_CALL_TIMEOUT_MS,
  RAFT_READ_MAX_BYTES,
} from "./connect-raft-transport.js";
export { locateNode, registerRaftService } from "./raft-service.js";
export { SNAPSHOT_CHUNK_BYTES, SNAPSHOT_LOAD_TIMEOUT_MS } from "./snapshot-sender.js";

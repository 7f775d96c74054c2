/**
 * Turns whatever etcd3 / grpc-js throws into a KvError, once, for the etcd adapter.
 */
import {
  ClientClosedError,
  EtcdLeaseInvalidError,
  GRPCCancelledError,
  GRPCDeadlineExceededError,
  GRPCInvalidArgumentError,
  GRPCResourceExhastedError,
  GRPCUnavailableError,
} from "etcd3";
import { KvError } from "../kv-error.js";

/** etcd answers that mean "try again": elections, overload, a request lost in a leader change. */
const TRANSIENT_SERVER_MESSAGES = [
  "etcdserver: request timed out",
  "etcdserver: leader changed",
  "etcdserver: no leader",
  "etcdserver: too many requests",
  "etcdserver: server stopped",
  "etcdserver: not capable",
];

function isTransient(error: Error): boolean {
  return (
    error instanceof GRPCUnavailableError ||
    error instanceof GRPCDeadlineExceededError ||
    error instanceof GRPCCancelledError ||
    error instanceof GRPCResourceExhastedError ||
    TRANSIENT_SERVER_MESSAGES.some((m) => error.message.includes(m))
  );
}

/** The KvError for an error thrown by etcd3 while doing `what` (e.g. "put"). */
export function toKvError(error: unknown, what: string): KvError {
  if (error instanceof KvError) return error;
  if (!(error instanceof Error)) return new KvError("internal", `etcd ${what}: ${String(error)}`);
  const message = `etcd ${what}: ${error.message}`;
  if (error instanceof EtcdLeaseInvalidError || error.message.includes("lease not found")) {
    return new KvError("lease_not_found", message, { cause: error });
  }
  if (error instanceof ClientClosedError) return new KvError("closed", message, { cause: error });
  if (isTransient(error)) return new KvError("unavailable", message, { cause: error });
  // etcd cancels a watch whose history was compacted without a reason; etcd3 then reports
  // "Watcher canceled: " with nothing after it.
  if (error.message.includes("compacted") || /Watcher canceled: $/.test(error.message)) {
    return new KvError("compacted", message, { cause: error });
  }
  if (
    error instanceof GRPCInvalidArgumentError ||
    error.message.includes("request is too large") ||
    error.message.includes("duplicate key")
  ) {
    return new KvError("invalid_argument", message, { cause: error });
  }
  return new KvError("internal", message, { cause: error });
}

/**
 * Turns KvStore failures into the spec's errors, so that every repository reports them alike:
 * a fenced write refused because this MDS no longer leads is `unavailable` NOT_LEADER; every
 * other store failure is `internal` STORAGE_FAILURE ("the write may or may not have taken
 * effect"). CurveErrors pass through unchanged.
 */
import { CurveError } from "../errors.js";
import { ErrorReason } from "../gen/curve/common/v1/error_pb.js";
import { isKvError } from "../storage/kv-error.js";

/** The CurveError for anything a KvStore call threw. */
export function toCurveError(error: unknown): CurveError {
  if (error instanceof CurveError) return error;
  if (isKvError(error, "not_leader")) {
    return new CurveError(ErrorReason.NOT_LEADER, "this MDS is no longer the leader", {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CurveError(ErrorReason.STORAGE_FAILURE, `etcd failed: ${message}`, { cause: error });
}

/** Runs a KvStore call and reports its failure as a CurveError. */
export async function kvCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCurveError(error);
  }
}

/** The expected errors cases use most, named as the spec names them. */
import { Code } from "@connectrpc/connect";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import type { ExpectedError } from "../runner/expect-error.js";

/** `invalid_argument` ERROR_REASON_INVALID_ARGUMENT, naming `field` when given. */
export function invalidArgument(field?: string): ExpectedError {
  return {
    code: Code.InvalidArgument,
    reason: ErrorReason.INVALID_ARGUMENT,
    ...(field !== undefined ? { field } : {}),
  };
}

export const fsNameInvalid: ExpectedError = {
  code: Code.InvalidArgument,
  reason: ErrorReason.FS_NAME_INVALID,
};

export const fsNotFound: ExpectedError = { code: Code.NotFound, reason: ErrorReason.FS_NOT_FOUND };

export const spaceNotInited: ExpectedError = {
  code: Code.FailedPrecondition,
  reason: ErrorReason.SPACE_NOT_INITED,
};

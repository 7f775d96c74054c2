import { type Code, ConnectError } from "@connectrpc/connect";
import { errorInfoOf } from "../../impl/errors.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { CaseFailure } from "./case-failure.js";
import { codeName } from "./code-name.js";

/** The error a rule prescribes: a Connect code, the ErrorInfo reason, optionally the field. */
export interface ExpectedError {
  readonly code: Code;
  readonly reason: ErrorReason;
  /** `ErrorInfo.metadata["field"]`, when the spec says it names the field. */
  readonly field?: string;
}

/** The reason's name as the spec writes it: `ERROR_REASON_FS_NOT_FOUND`. */
export function reasonName(reason: ErrorReason): string {
  return `ERROR_REASON_${ErrorReason[reason] ?? String(reason)}`;
}

export function describeExpected(expected: ExpectedError): string {
  return `${codeName(expected.code)} ${reasonName(expected.reason)}`;
}

/**
 * Awaits a call that must fail with `expected`; returns the error. A success, another code,
 * a missing ErrorInfo or another reason fails the case.
 */
export async function expectError(
  call: Promise<unknown>,
  expected: ExpectedError,
): Promise<ConnectError> {
  let error: ConnectError;
  try {
    await call;
  } catch (thrown) {
    error = ConnectError.from(thrown);
    const info = errorInfoOf(error);
    const got = `${codeName(error.code)} ${info ? reasonName(info.reason) : "(no ErrorInfo)"}`;
    if (error.code !== expected.code || info?.reason !== expected.reason) {
      throw new CaseFailure(
        `expected ${describeExpected(expected)}, got ${got}: ${error.rawMessage}`,
      );
    }
    if (expected.field !== undefined && info.metadata.field !== expected.field) {
      throw new CaseFailure(
        `expected ErrorInfo.metadata["field"] = ${JSON.stringify(expected.field)}, got ` +
          `${JSON.stringify(info.metadata.field ?? null)}`,
      );
    }
    return error;
  }
  throw new CaseFailure(`expected ${describeExpected(expected)}, but the call succeeded`);
}

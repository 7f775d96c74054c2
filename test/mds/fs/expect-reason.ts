import { expect } from "vitest";
import { CurveError } from "../../../impl/errors.js";
import { ErrorReason } from "../../../impl/gen/curve/common/v1/error_pb.js";

/** Awaits a call that must fail with a CurveError of `reason`; returns the error. */
export async function expectReason(
  call: Promise<unknown>,
  reason: ErrorReason,
): Promise<CurveError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${ErrorReason[reason]}`).toBeInstanceOf(CurveError);
  expect(ErrorReason[(error as CurveError).reason]).toBe(ErrorReason[reason]);
  return error as CurveError;
}

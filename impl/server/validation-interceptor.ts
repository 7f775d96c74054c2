import { type DescField, getOption } from "@bufbuild/protobuf";
import type { Path } from "@bufbuild/protobuf/reflect";
import { createValidator, type Violation } from "@bufbuild/protovalidate";
import type { Interceptor } from "@connectrpc/connect";
import { CurveError } from "../errors.js";
import { ErrorReason, invalid_reason } from "../gen/curve/common/v1/error_pb.js";

/**
 * Checks every request against the `buf.validate` rules of its schema before the handler runs.
 * A violation fails the call with `invalid_argument` and the reason the violated field names
 * through the `curve.common.v1.invalid_reason` option (ERROR_REASON_INVALID_ARGUMENT when it
 * names none); `ErrorInfo.metadata` carries the field path and the rule id.
 */
export function validationInterceptor(): Interceptor {
  const validator = createValidator();
  return (next) => (req) => {
    if (!req.stream) {
      const result = validator.validate(req.method.input, req.message);
      if (result.kind === "invalid") throw violationError(result.error.violations);
      if (result.kind === "error") throw result.error;
    }
    return next(req);
  };
}

function violationError(violations: readonly Violation[]): CurveError {
  const first = violations[0];
  const field = first ? lastField(first.field) : undefined;
  const reason = field ? getOption(field, invalid_reason) : ErrorReason.UNSPECIFIED;
  const message = violations.map((v) => v.toString()).join("; ");
  return new CurveError(
    reason === ErrorReason.UNSPECIFIED ? ErrorReason.INVALID_ARGUMENT : reason,
    message,
    {
      metadata: { field: first ? pathToString(first.field) : "", rule: first?.ruleId ?? "" },
    },
  );
}

function lastField(path: Path): DescField | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const item = path[i];
    if (item?.kind === "field") return item;
  }
  return undefined;
}

function pathToString(path: Path): string {
  return path
    .map((item) => (item.kind === "field" || item.kind === "oneof" ? item.name : ""))
    .filter((name) => name !== "")
    .join(".");
}

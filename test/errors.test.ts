import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { CurveError, codeOf, errorInfoOf, toConnectError } from "../impl/errors.js";
import { ErrorReason } from "../impl/gen/curve/common/v1/error_pb.js";

/** Each reason's documented code: the first `code` in backticks of its comment in error.proto. */
function documentedCodes(): Map<string, string> {
  const proto = readFileSync(
    join(import.meta.dirname, "..", "proto/curve/common/v1/error.proto"),
    "utf8",
  );
  const codes = new Map<string, string>();
  let comment = "";
  for (const line of proto.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("//")) {
      comment += `${trimmed} `;
      continue;
    }
    const value = /^ERROR_REASON_(\w+) = \d+;/.exec(trimmed);
    const code = /`([a-z_]+)`/.exec(comment);
    if (value?.[1] && value[1] !== "UNSPECIFIED" && code?.[1]) codes.set(value[1], code[1]);
    comment = "";
  }
  return codes;
}

const pascal = (snake: string) =>
  snake.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

describe("error model", () => {
  const documented = documentedCodes();

  it("documents a code for every reason", () => {
    const reasons = Object.keys(ErrorReason).filter(
      (k) => Number.isNaN(Number(k)) && k !== "UNSPECIFIED",
    );
    expect(reasons.filter((r) => !documented.has(r))).toEqual([]);
  });

  it.each([...documented])("%s is reported as `%s`, as documented", (name, code) => {
    const reason = ErrorReason[name as keyof typeof ErrorReason];
    expect(Code[codeOf(reason)]).toBe(pascal(code));
  });

  it("a CurveError becomes its code plus one ErrorInfo with reason, hint and retry delay", () => {
    const error = toConnectError(
      new CurveError(ErrorReason.NOT_LEADER, "not the leader", {
        leaderHint: "10.0.0.2:6700",
        retryAfterMs: 50,
      }),
    );
    expect(error.code).toBe(Code.Unavailable);
    const info = errorInfoOf(error);
    expect(info?.reason).toBe(ErrorReason.NOT_LEADER);
    expect(info?.leaderHint).toBe("10.0.0.2:6700");
    expect(info?.retryAfterMs).toBe(50);
  });

  it("an unexpected exception becomes `internal` with reason INTERNAL", () => {
    const error = toConnectError(new TypeError("boom"));
    expect(error.code).toBe(Code.Internal);
    expect(errorInfoOf(error)?.reason).toBe(ErrorReason.INTERNAL);
  });

  it("a Connect error raised below the domain gains an ErrorInfo derived from its code", () => {
    const error = toConnectError(new ConnectError("request breaks a rule", Code.InvalidArgument));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(errorInfoOf(error)?.reason).toBe(ErrorReason.INVALID_ARGUMENT);
  });
});

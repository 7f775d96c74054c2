import { create, type DescMessage, hasOption } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import {
  field as fieldRules,
  message as messageRules,
  oneof as oneofRules,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { specFiles } from "../../impl/spec/index.js";
import { allSamples } from "./samples/index.js";

const validator = createValidator();

function carriesRules(message: DescMessage): boolean {
  return (
    hasOption(message, messageRules) ||
    message.fields.some((f) => hasOption(f, fieldRules)) ||
    message.oneofs.some((o) => hasOption(o, oneofRules))
  );
}

describe("validation rules", () => {
  it("every message that carries a rule has a sample", () => {
    const sampled = new Set(allSamples.map((s) => s.schema.typeName));
    const missing = specFiles
      .flatMap((file) => file.messages)
      .filter((message) => carriesRules(message) && !sampled.has(message.typeName))
      .map((message) => message.typeName);
    expect(missing).toEqual([]);
  });

  describe.each(allSamples.map((s) => [s.schema.typeName, s] as const))("%s", (_name, sample) => {
    it("accepts the valid sample", () => {
      const result = validator.validate(sample.schema, create(sample.schema, sample.valid));
      expect(result.kind === "invalid" ? result.error.violations.map(String) : result.kind).toBe(
        "valid",
      );
    });

    it.each(sample.invalid.map((bad) => [bad.why, bad] as const))("rejects: %s", (_why, bad) => {
      const result = validator.validate(sample.schema, create(sample.schema, bad.init));
      expect(result.kind).toBe("invalid");
      if (result.kind !== "invalid") return;
      expect(result.error.violations.map((v) => v.ruleId)).toContain(bad.ruleId);
    });
  });
});

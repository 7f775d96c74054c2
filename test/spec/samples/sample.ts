import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";

/** One message that breaks a rule, and the rule it must be reported under. */
export interface InvalidSample<Desc extends DescMessage> {
  /** The rule in words, used as the test name. */
  readonly why: string;
  readonly init: MessageInitShape<Desc>;
  /** The protovalidate rule id expected among the violations, e.g. "string.pattern" or a CEL id. */
  readonly ruleId: string;
}

/** A valid instance and invalid variants of one message that carries validation rules. */
export interface ValidationSample<Desc extends DescMessage = DescMessage> {
  readonly schema: Desc;
  readonly valid: MessageInitShape<Desc>;
  readonly invalid: readonly InvalidSample<Desc>[];
}

/** Declares a sample with its types inferred from the schema. */
export function sample<Desc extends DescMessage>(
  schema: Desc,
  valid: MessageInitShape<Desc>,
  invalid: readonly InvalidSample<Desc>[],
): ValidationSample {
  return { schema, valid, invalid } as unknown as ValidationSample;
}

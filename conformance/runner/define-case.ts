/**
 * The two shapes of a case: a single call that must fail with a given code and reason
 * (`rejects`), and a case with its own steps (`steps`). Both name their RPC by its method
 * descriptor, so the service and RPC of a case always exist in the spec.
 */
import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import type { ConformanceCase, Requirement } from "./case.js";
import type { CaseContext } from "./case-context.js";
import { type ExpectedError, expectError } from "./expect-error.js";
import { roleOfService, transportForService } from "./server-role.js";

/** How long one call of a case may take before the case fails. */
export const CALL_TIMEOUT_MS = 10_000;

interface CaseHeader<I extends DescMessage, O extends DescMessage> {
  readonly id: string;
  readonly method: DescMethodUnary<I, O>;
  /** The proto comment's sentence, quoted. */
  readonly spec: string;
  readonly requires?: readonly Requirement[];
}

/**
 * A call that the spec says must fail with `expect`, sent to the server of the method's service
 * (server-role.ts).
 */
export function rejects<I extends DescMessage, O extends DescMessage>(
  definition: CaseHeader<I, O> & {
    readonly request: MessageInitShape<I> | ((ctx: CaseContext) => MessageInitShape<I>);
    readonly expect: ExpectedError;
  },
): ConformanceCase {
  const { method, request, expect } = definition;
  return {
    ...header(definition),
    reasons: [expect.reason],
    run: async (ctx) => {
      const input = typeof request === "function" ? request(ctx) : request;
      const transport = transportForService(ctx, method.parent.typeName);
      await expectError(
        transport.unary(method, undefined, CALL_TIMEOUT_MS, undefined, input),
        expect,
      );
    },
  };
}

/** A case with its own steps; `reasons` lists the error reasons the steps expect. */
export function steps<I extends DescMessage, O extends DescMessage>(
  definition: CaseHeader<I, O> & {
    readonly reasons?: readonly ErrorReason[];
    readonly run: (ctx: CaseContext) => Promise<void>;
  },
): ConformanceCase {
  return { ...header(definition), reasons: definition.reasons ?? [], run: definition.run };
}

function header<I extends DescMessage, O extends DescMessage>(
  definition: CaseHeader<I, O>,
): Pick<ConformanceCase, "id" | "service" | "rpc" | "spec" | "requires"> {
  return {
    id: definition.id,
    service: definition.method.parent.typeName,
    rpc: definition.method.name,
    spec: definition.spec,
    requires: withRole(definition.requires ?? [], definition.method.parent.typeName),
  };
}

/** A case of a metaserver or chunkserver service needs that server, whatever else it lists. */
function withRole(requires: readonly Requirement[], typeName: string): readonly Requirement[] {
  const role = roleOfService(typeName);
  return role === "mds" || requires.includes(role) ? requires : [role, ...requires];
}

/**
 * coverage.json: for every RPC of the spec (from `specServices`), how many cases cover it and
 * which error reasons they expect. RPCs with zero cases are listed under `uncovered`.
 */
import type { DescService } from "@bufbuild/protobuf";
import type { ConformanceCase } from "../runner/case.js";
import { reasonName } from "../runner/expect-error.js";

export interface RpcCoverage {
  readonly service: string;
  readonly rpc: string;
  readonly cases: number;
  readonly reasons: readonly string[];
}

export interface Coverage {
  readonly rpcs: readonly RpcCoverage[];
  readonly total_rpcs: number;
  readonly covered_rpcs: number;
  /** `service/rpc` of every RPC without a case. */
  readonly uncovered: readonly string[];
  /** Cases naming an RPC that is not in the spec (should be none). */
  readonly unknown: readonly string[];
}

export function coverageOf(
  services: readonly DescService[],
  cases: readonly ConformanceCase[],
): Coverage {
  const rpcs = services.flatMap((service) =>
    service.methods.map((method) => {
      const covering = cases.filter((c) => c.service === service.typeName && c.rpc === method.name);
      const reasons = new Set(covering.flatMap((c) => c.reasons));
      return {
        service: service.typeName,
        rpc: method.name,
        cases: covering.length,
        reasons: [...reasons].sort((a, b) => a - b).map((reason) => reasonName(reason)),
      };
    }),
  );
  const known = new Set(rpcs.map((r) => `${r.service}/${r.rpc}`));
  return {
    rpcs,
    total_rpcs: rpcs.length,
    covered_rpcs: rpcs.filter((r) => r.cases > 0).length,
    uncovered: rpcs.filter((r) => r.cases === 0).map((r) => `${r.service}/${r.rpc}`),
    unknown: cases.map((c) => `${c.service}/${c.rpc}`).filter((name) => !known.has(name)),
  };
}

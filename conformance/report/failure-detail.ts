import type { CaseResult } from "../runner/case-result.js";

/** A failed case with the calls it made: each request and the response or error. */
export function failureDetail(result: CaseResult): string {
  const lines = [`FAIL ${result.id} [${result.protocol}]: ${result.message}`];
  for (const call of result.calls) {
    lines.push(`  → ${call.procedure} ${JSON.stringify(call.request)}`);
    lines.push(
      call.error
        ? `  ← error ${JSON.stringify(call.error)}`
        : `  ← ${JSON.stringify(call.response)}`,
    );
  }
  return lines.join("\n");
}

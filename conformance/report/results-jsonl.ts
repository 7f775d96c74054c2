import type { CaseResult } from "../runner/case-result.js";

/** One JSON line per case and protocol, as minio/mint's log.json. */
export function resultsJsonl(results: readonly CaseResult[]): string {
  return results
    .map(({ id, service, rpc, protocol, status, duration_ms, message }) =>
      JSON.stringify({ id, service, rpc, protocol, status, duration_ms, message }),
    )
    .map((line) => `${line}\n`)
    .join("");
}

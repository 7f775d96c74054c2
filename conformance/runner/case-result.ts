import type { TracedCall } from "./call-trace.js";
import type { CaseStatus } from "./known-failing.js";
import type { Protocol } from "./protocol.js";

/** One case run over one protocol: a line of results.jsonl (without `calls`). */
export interface CaseResult {
  readonly id: string;
  readonly service: string;
  readonly rpc: string;
  readonly protocol: Protocol;
  readonly status: CaseStatus;
  readonly duration_ms: number;
  readonly message: string;
  /** The calls the case made, kept for failures only (printed, and in the JUnit report). */
  readonly calls: readonly TracedCall[];
}

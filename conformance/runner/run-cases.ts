/**
 * Runs the selected cases over each protocol, one at a time (the target's state is shared,
 * and a failure's trace must hold only its own calls).
 */

import type { CallTrace } from "./call-trace.js";
import type { ConformanceCase } from "./case.js";
import type { CaseContext } from "./case-context.js";
import type { CaseResult } from "./case-result.js";
import { classify, isKnownFailing, type KnownFailing } from "./known-failing.js";
import type { Protocol } from "./protocol.js";
import type { Target } from "./target.js";

/** A case that takes longer than this fails (a hung call must not hang the run). */
export const CASE_TIMEOUT_MS = 60_000;

export interface RunCasesOptions {
  readonly cases: readonly ConformanceCase[];
  readonly protocols: readonly Protocol[];
  readonly contextFor: (protocol: Protocol) => CaseContext;
  readonly trace: CallTrace;
  readonly target: Pick<Target, "offers">;
  readonly knownFailing: KnownFailing;
  /** Called after each case, e.g. to print failures as they happen. */
  readonly onResult?: (result: CaseResult) => void;
}

export async function runCases(options: RunCasesOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const protocol of options.protocols) {
    const ctx = options.contextFor(protocol);
    for (const conformanceCase of options.cases) {
      const result = await runOne(conformanceCase, protocol, ctx, options);
      results.push(result);
      options.onResult?.(result);
    }
  }
  return results;
}

async function runOne(
  conformanceCase: ConformanceCase,
  protocol: Protocol,
  ctx: CaseContext,
  options: RunCasesOptions,
): Promise<CaseResult> {
  const { id, service, rpc } = conformanceCase;
  const missing = conformanceCase.requires.filter((need) => !options.target.offers.has(need));
  if (missing.length > 0) {
    return {
      id,
      service,
      rpc,
      protocol,
      status: "skip",
      duration_ms: 0,
      message: `the target offers no ${missing.join(", ")}`,
      calls: [],
    };
  }
  options.trace.reset();
  const started = performance.now();
  const outcome = await attempt(() => conformanceCase.run(ctx));
  const duration_ms = Math.round(performance.now() - started);
  const listed = isKnownFailing(options.knownFailing, id);
  const { status, message } = classify(outcome, listed, options.knownFailing.source);
  const calls = status === "pass" ? [] : [...options.trace.calls];
  return { id, service, rpc, protocol, status, duration_ms, message, calls };
}

async function attempt(run: () => Promise<void>): Promise<{ passed: boolean; message: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the case did not finish within ${CASE_TIMEOUT_MS} ms`)),
      CASE_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([run(), timeout]);
    return { passed: true, message: "" };
  } catch (error) {
    return { passed: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

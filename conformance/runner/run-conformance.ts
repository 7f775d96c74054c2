/**
 * One run of the suite: select the cases, bring up the target, run every case over every
 * protocol, write the reports, and decide the exit code.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { specServices } from "../../impl/spec/index.js";
import { allCases } from "../cases/index.js";
import { coverageOf } from "../report/coverage.js";
import { failureDetail } from "../report/failure-detail.js";
import { junitXml } from "../report/junit.js";
import { resultsJsonl } from "../report/results-jsonl.js";
import { summaryTable } from "../report/summary.js";
import { CallTrace } from "./call-trace.js";
import type { ConformanceCase } from "./case.js";
import { createCaseContext, runNumbers } from "./case-context.js";
import type { CaseResult } from "./case-result.js";
import { findLeader } from "./find-leader.js";
import { selectIds } from "./glob.js";
import { NO_KNOWN_FAILING, readKnownFailing, staleEntries } from "./known-failing.js";
import type { RunnerOptions } from "./options.js";
import { RunnerPeer } from "./raft-peers.js";
import { startReferenceTarget } from "./reference-target.js";
import { runCases } from "./run-cases.js";
import type { Target } from "./target.js";
import { TransportPool } from "./transport-pool.js";
import { urlTarget } from "./url-target.js";

export interface RunOutput {
  readonly exitCode: 0 | 1;
  readonly results: readonly CaseResult[];
}

/** Where the run writes its text (stdout and stderr in the CLI). */
export interface RunIo {
  out(text: string): void;
  err(text: string): void;
}

export async function runConformance(
  options: RunnerOptions,
  io: RunIo,
  cases: readonly ConformanceCase[] = allCases,
): Promise<RunOutput> {
  const selectedIds = new Set(
    selectIds(
      cases.map((c) => c.id),
      options.only,
      options.skip,
    ),
  );
  const selected = cases.filter((c) => selectedIds.has(c.id));
  const knownFailing = options.knownFailing
    ? await readKnownFailing(options.knownFailing)
    : NO_KNOWN_FAILING;
  const stale = staleEntries(
    knownFailing,
    cases.map((c) => c.id),
  );
  for (const entry of stale) {
    io.err(`known-failing: "${entry}" (${knownFailing.source}) matches no case of the suite\n`);
  }

  const runId = randomBytes(4).toString("hex");
  const target: Target = options.reference
    ? await startReferenceTarget(runId)
    : urlTarget({
        mds: options.mds,
        metaserver: options.metaserver,
        chunkserver: options.chunkserver,
        env: process.env,
      });
  io.out(`target: ${target.description}\n`);
  let results: CaseResult[];
  try {
    const leader = await findLeader(target.mdsUrls);
    const trace = new CallTrace();
    const pool = new TransportPool([trace.interceptor()]);
    const numbers = runNumbers(runId);
    let peers: Promise<readonly [RunnerPeer, RunnerPeer]> | undefined;
    const runnerPeers = () => {
      peers ??= Promise.all([RunnerPeer.start(), RunnerPeer.start()]);
      return peers;
    };
    try {
      io.out(
        `running ${selected.length} cases × ${options.protocols.length} protocols against ${leader}\n`,
      );
      results = await runCases({
        cases: selected,
        protocols: options.protocols,
        contextFor: (protocol) =>
          createCaseContext({
            protocol,
            mdsTransport: pool.get(leader, protocol),
            metaserverUrls: target.metaserverUrls,
            chunkserverUrls: target.chunkserverUrls,
            partitionSource: target.partitionSource,
            transportTo: (url) => pool.get(url, protocol),
            s3: target.s3,
            runId,
            numbers,
            runnerPeers,
          }),
        trace,
        target,
        knownFailing,
        onResult: (result) => {
          if (result.status === "fail") io.out(`${failureDetail(result)}\n`);
        },
      });
    } finally {
      pool.close();
      if (peers !== undefined) await Promise.all((await peers).map((peer) => peer.close()));
    }
  } finally {
    await target.close();
  }

  await mkdir(options.out, { recursive: true });
  await writeFile(join(options.out, "results.jsonl"), resultsJsonl(results));
  await writeFile(join(options.out, "junit.xml"), junitXml(results));
  await writeFile(
    join(options.out, "coverage.json"),
    `${JSON.stringify(coverageOf(specServices, cases), null, 2)}\n`,
  );
  io.out(`\n${summaryTable(results)}\n`);
  io.out(`reports: ${join(options.out, "results.jsonl")}, junit.xml, coverage.json\n`);
  const failed = results.filter((r) => r.status === "fail").length;
  const exitCode = failed === 0 && stale.length === 0 ? 0 : 1;
  io.out(
    exitCode === 0
      ? "conformance: OK\n"
      : `conformance: FAILED (${failed} unexpected results${stale.length > 0 ? `, ${stale.length} stale known-failing entries` : ""})\n`,
  );
  return { exitCode, results };
}

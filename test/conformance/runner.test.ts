/**
 * The conformance runner: case selection, the known-failing rules, the report shapes, and one
 * end-to-end run of `curve-rpc-conformance --reference --protocol all` on the real etcd and
 * MinIO of this test run.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { allCases } from "../../conformance/cases/index.js";
import { coverageOf } from "../../conformance/report/coverage.js";
import { junitXml } from "../../conformance/report/junit.js";
import { resultsJsonl } from "../../conformance/report/results-jsonl.js";
import type { CaseResult } from "../../conformance/runner/case-result.js";
import { rejects } from "../../conformance/runner/define-case.js";
import { globToRegExp, selectIds } from "../../conformance/runner/glob.js";
import {
  classify,
  isKnownFailing,
  parseKnownFailing,
  staleEntries,
} from "../../conformance/runner/known-failing.js";
import { parseRunnerArgs } from "../../conformance/runner/options.js";
import { ErrorReason } from "../../impl/gen/curve/common/v1/error_pb.js";
import { MdsService } from "../../impl/gen/curve/mds/v1/mds_pb.js";
import { specServices } from "../../impl/spec/index.js";

const IDS = [
  "mds.create_fs.invalid_name",
  "mds.create_fs.s3_ok",
  "mds.get_fs_info.unknown_id",
  "topology.create_pool.name_taken",
];

function result(overrides: Partial<CaseResult>): CaseResult {
  return {
    id: "mds.get_fs_info.unknown_id",
    service: "curve.mds.v1.MdsService",
    rpc: "GetFsInfo",
    protocol: "connect",
    status: "pass",
    duration_ms: 3,
    message: "",
    calls: [],
    ...overrides,
  };
}

describe("case selection", () => {
  it("* matches within one dot-separated part, ** across parts", () => {
    expect(globToRegExp("mds.*.invalid_name").test("mds.create_fs.invalid_name")).toBe(true);
    expect(globToRegExp("mds.*").test("mds.create_fs.invalid_name")).toBe(false);
    expect(globToRegExp("mds.**").test("mds.create_fs.invalid_name")).toBe(true);
    expect(globToRegExp("mds.create_fs.s3_ok").test("mds.create_fsXs3_ok")).toBe(false);
  });

  it("--only selects, --skip removes, no --only selects everything", () => {
    expect(selectIds(IDS, ["mds.**"], ["**.s3_ok"])).toEqual([
      "mds.create_fs.invalid_name",
      "mds.get_fs_info.unknown_id",
    ]);
    expect(selectIds(IDS, [], [])).toEqual(IDS);
  });

  it("the command line takes repeated and comma-separated globs and one protocol or all", () => {
    const options = parseRunnerArgs([
      "--mds",
      "http://a:1,http://b:2",
      "--only",
      "a,b",
      "--only",
      "c",
    ]);
    expect(options.mds).toEqual(["http://a:1", "http://b:2"]);
    expect(options.only).toEqual(["a", "b", "c"]);
    expect(options.protocols).toEqual(["connect", "grpc", "grpc-web"]);
    expect(parseRunnerArgs(["--reference", "--protocol", "grpc"]).protocols).toEqual(["grpc"]);
    expect(() => parseRunnerArgs(["--protocol", "grpc"])).toThrow(/--reference or --mds/);
    expect(() => parseRunnerArgs(["--reference", "--protocol", "http"])).toThrow(/--protocol/);
  });
});

describe("the known-failing list", () => {
  const list = parseKnownFailing(
    "# why\nmds.create_fs.s3_ok  # needs a metaserver\n\nnope.*\n",
    "kf.txt",
  );

  it("reads ids and globs, ignoring comments and blank lines", () => {
    expect(list.patterns).toEqual(["mds.create_fs.s3_ok", "nope.*"]);
    expect(isKnownFailing(list, "mds.create_fs.s3_ok")).toBe(true);
    expect(isKnownFailing(list, "mds.create_fs.invalid_name")).toBe(false);
  });

  it("a listed failure is known_fail, a listed pass is an unexpected pass that fails", () => {
    expect(classify({ passed: false, message: "boom" }, true, "kf.txt")).toEqual({
      status: "known_fail",
      message: "boom",
    });
    const unexpected = classify({ passed: true, message: "" }, true, "kf.txt");
    expect(unexpected.status).toBe("fail");
    expect(unexpected.message).toMatch(/unexpected pass.*kf\.txt/);
    expect(classify({ passed: false, message: "x" }, false, "kf.txt").status).toBe("fail");
    expect(classify({ passed: true, message: "" }, false, "kf.txt").status).toBe("pass");
  });

  it("an entry that matches no case of the suite is stale", () => {
    expect(staleEntries(list, IDS)).toEqual(["nope.*"]);
  });

  it("the reference list names only existing cases of roles the reference lacks or has bugs in", async () => {
    const text = await readFile("conformance/known-failing/reference.txt", "utf8");
    const reference = parseKnownFailing(text, "reference.txt");
    const allIds = allCases.map((c) => c.id);
    expect(staleEntries(reference, allIds)).toEqual([]);
    const listed = allCases.filter((c) => isKnownFailing(reference, c.id));
    for (const listedCase of listed) {
      expect(
        listedCase.requires.some((need) => need === "metaserver" || need === "chunkserver"),
        listedCase.id,
      ).toBe(true);
    }
    // Nothing the MDS alone serves is excused.
    const mdsOnly = allCases.filter((c) => c.requires.length === 0 || c.requires.join() === "s3");
    expect(mdsOnly.filter((c) => isKnownFailing(reference, c.id))).toEqual([]);
  });
});

describe("the cases", () => {
  it("have unique ids of the form <service>.<rpc>.<rule>", () => {
    const ids = allCases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+\.[a-z0-9_]+\.[a-z0-9_]+$/);
  });

  it("a rejects case records its expected reason for coverage", () => {
    const defined = rejects({
      id: "mds.get_fs_info.example",
      method: MdsService.method.getFsInfo,
      spec: "s",
      request: { fsId: 1 },
      expect: { code: 5, reason: ErrorReason.FS_NOT_FOUND },
    });
    expect(defined).toMatchObject({
      service: "curve.mds.v1.MdsService",
      rpc: "GetFsInfo",
      reasons: [ErrorReason.FS_NOT_FOUND],
      requires: [],
    });
  });
});

describe("reports", () => {
  const results = [
    result({}),
    result({
      id: "mds.create_fs.s3_ok",
      rpc: "CreateFs",
      status: "known_fail",
      message: "no <servers>",
    }),
    result({
      id: "mds.create_fs.invalid_name",
      rpc: "CreateFs",
      protocol: "grpc",
      status: "fail",
      message: 'expected "x"',
      calls: [
        { procedure: "curve.mds.v1.MdsService/CreateFs", request: { fsName: "A" }, response: {} },
      ],
    }),
    result({ id: "topology.x.y", service: "curve.mds.v1.TopologyService", status: "skip" }),
  ];

  it("results.jsonl has one line per case and protocol with exactly the documented fields", () => {
    const lines = resultsJsonl(results)
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(
        ["duration_ms", "id", "message", "protocol", "rpc", "service", "status"].sort(),
      );
    }
    expect(lines.map((line) => line.status)).toEqual(["pass", "known_fail", "fail", "skip"]);
  });

  it("JUnit has a suite per service, failures with the traced request, escaped text", () => {
    const xml = junitXml(results);
    expect(xml).toContain('<testsuites name="curve-rpc-conformance" tests="4" failures="1">');
    expect(xml).toContain('<testsuite name="curve.mds.v1.MdsService" tests="3" failures="1"');
    expect(xml).toContain('<testsuite name="curve.mds.v1.TopologyService" tests="1" failures="0"');
    expect(xml).toContain('name="mds.create_fs.invalid_name [grpc]"');
    expect(xml).toContain("&quot;fsName&quot;:&quot;A&quot;");
    expect(xml).toContain("known failing: no &lt;servers&gt;");
    expect(xml).not.toContain("<servers>");
  });

  it("coverage.json lists every RPC of the spec with its cases and reasons", () => {
    const coverage = coverageOf(specServices, allCases);
    const total = specServices.reduce((sum, s) => sum + s.methods.length, 0);
    expect(coverage.rpcs).toHaveLength(total);
    expect(coverage.unknown).toEqual([]);
    const getFsInfo = coverage.rpcs.find((r) => r.rpc === "GetFsInfo");
    expect(getFsInfo?.cases).toBeGreaterThan(0);
    expect(getFsInfo?.reasons).toContain("ERROR_REASON_FS_NOT_FOUND");
    expect(coverage.uncovered).toEqual([]);
    expect(allCases.length).toBeGreaterThanOrEqual(300);
  });
});

describe("curve-rpc-conformance --reference --protocol all", () => {
  it("passes every case outside the known-failing list and writes the reports", async () => {
    const out = await mkdtemp(join(tmpdir(), "conformance-"));
    const s3 = inject("s3");
    const env = {
      ...process.env,
      // The providers then reuse the servers this test run already started.
      CURVE_TEST_ETCD: inject("etcd").endpoints.join(","),
      CURVE_TEST_S3_ENDPOINT: s3.endpoint,
      CURVE_TEST_S3_ACCESS_KEY: s3.accessKey,
      CURVE_TEST_S3_SECRET_KEY: s3.secretKey,
      CURVE_TEST_S3_BUCKET: s3.bucket,
      CURVE_TEST_S3_REGION: s3.region,
      CURVE_LOG_LEVEL: "silent",
    };
    const args = [
      "conformance/bin.js",
      "--reference",
      "--protocol",
      "all",
      "--known-failing",
      "conformance/known-failing/reference.txt",
      "--out",
      out,
    ];
    const { stdout } = await promisify(execFile)("node", args, { env, maxBuffer: 16 << 20 });
    expect(stdout).toContain("conformance: OK");

    const lines = (await readFile(join(out, "results.jsonl"), "utf8"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { status: string; protocol: string });
    expect(lines).toHaveLength(allCases.length * 3);
    expect(new Set(lines.map((line) => line.protocol))).toEqual(
      new Set(["connect", "grpc", "grpc-web"]),
    );
    expect(lines.filter((line) => line.status === "fail")).toEqual([]);
    expect(await readFile(join(out, "junit.xml"), "utf8")).toMatch(/^<\?xml/);
    const coverage = JSON.parse(await readFile(join(out, "coverage.json"), "utf8"));
    expect(coverage.total_rpcs).toBe(specServices.reduce((sum, s) => sum + s.methods.length, 0));
  }, 600_000);
});

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "..", "..", "bin", "curve-rpc.js");

describe("curve-rpc spec", () => {
  it("lists every service with its RPCs as JSON", () => {
    const out = execFileSync(process.execPath, [bin, "spec", "--json"], { encoding: "utf8" });
    const services = JSON.parse(out) as { service: string; rpcs: { name: string }[] }[];
    const mds = services.find((s) => s.service === "curve.mds.v1.MdsService");
    expect(mds?.rpcs.map((r) => r.name)).toContain("CreateFs");
    expect(services.map((s) => s.service)).toContain("curve.raft.v1.RaftService");
  });

  it("rejects an unknown command with exit code 2 and the usage", () => {
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [bin, "no-such-command"], { encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      const failure = error as { status: number; stderr: string };
      status = failure.status;
      stderr = failure.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain("usage: curve-rpc");
  });
});

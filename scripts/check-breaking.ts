/**
 * Runs `buf breaking` against the spec as it was in an earlier commit (default: the parent of
 * HEAD; set CURVE_BREAKING_AGAINST to another git ref, e.g. a release tag).
 *
 * The earlier tree is exported to a temp dir and compared as a workspace, because it imports
 * protovalidate from the git-ignored `.third_party/` folder, which a plain `.git#ref=...` input
 * cannot see.
 *
 * A deliberate break is allowed only when the commit message of HEAD has a line starting with
 * `BREAKING-SPEC:` that explains it; the breaks are then printed but do not fail the check.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const git = (...args: string[]): string => execFileSync("git", args, { encoding: "utf8" }).trim();

function refExists(ref: string): boolean {
  return spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).status === 0;
}

function treeHasProtos(ref: string): boolean {
  return spawnSync("git", ["cat-file", "-e", `${ref}:proto/curve`]).status === 0;
}

const against = process.env.CURVE_BREAKING_AGAINST ?? "HEAD~1";
if (!refExists(against) || !treeHasProtos(against)) {
  console.log(`breaking check skipped: ${against} has no spec to compare with`);
  process.exit(0);
}

const baseDir = mkdtempSync(join(tmpdir(), "curve-breaking-"));
try {
  execFileSync("sh", ["-c", `git archive "${against}" proto buf.yaml | tar -x -C "${baseDir}"`]);
  if (existsSync(".third_party"))
    cpSync(".third_party", join(baseDir, ".third_party"), { recursive: true });
  // Both sides are the same two-module workspace (the spec and the fetched protovalidate).
  const result = spawnSync("npx", ["buf", "breaking", "--against", baseDir], { encoding: "utf8" });
  const findings = `${result.stdout}${result.stderr}`.trim();
  if (result.status === 0) {
    console.log(`no breaking changes against ${against} (${git("rev-parse", "--short", against)})`);
  } else if (/^BREAKING-SPEC:/m.test(git("log", "-1", "--format=%B"))) {
    console.log(
      `breaking changes against ${against}, declared in the commit message:\n${findings}`,
    );
  } else {
    console.error(
      `breaking changes against ${against}:\n${findings}\n` +
        "If the break is deliberate, explain it in a `BREAKING-SPEC:` line of the commit message.",
    );
    process.exit(1);
  }
} finally {
  rmSync(baseDir, { recursive: true, force: true });
}

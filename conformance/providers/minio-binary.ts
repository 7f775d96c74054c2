import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

/** The Go module that builds the MinIO server. */
export const MINIO_MODULE = "github.com/minio/minio";

/**
 * The MinIO version tests run against, as a Go module version. The release tag named in
 * DESIGN §5 (RELEASE.2025-10-15T17-29-55Z) is not a semantic version, so the Go module proxy
 * refuses it; this pseudo-version pins a commit of the same source instead.
 * scripts/install-minio.sh reads this line: keep it a single-line string constant.
 */
export const MINIO_VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c";

/**
 * Where scripts/install-minio.sh (`GOBIN=<this> go install <module>@<version>`) puts the binary,
 * so that later runs and CI reuse one build (~2.5 min on 2 cores) instead of rebuilding.
 */
export const MINIO_CACHE_DIR = join(homedir(), ".cache", "curve-rpc", `minio-${MINIO_VERSION}`);

/** The cached binary, if scripts/install-minio.sh has run. */
export const MINIO_CACHED_BINARY = join(MINIO_CACHE_DIR, "minio");

/** A `minio` on PATH, else the cached build, else undefined. */
export function findMinioBinary(): string | undefined {
  const onPath = (process.env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, "minio"));
  return [...onPath, MINIO_CACHED_BINARY].find(isExecutable);
}

/**
 * The version of a MinIO binary, for the run log. A `go install` build calls itself
 * "DEVELOPMENT.GOGET", so the module version recorded in the binary (`go version -m`) is
 * reported instead when Go is available.
 */
export async function minioBinaryVersion(binary: string): Promise<string> {
  const run = promisify(execFile);
  const { stdout } = await run(binary, ["--version"], { timeout: 10_000 });
  // "minio version RELEASE.2025-10-15T17-29-55Z (commit-id=…)" → "RELEASE.2025-10-15T17-29-55Z"
  const reported = (stdout.split("\n")[0] ?? "").replace(/^minio version /, "").split(" ")[0] ?? "";
  if (!reported.includes("DEVELOPMENT")) return reported;
  try {
    const { stdout: info } = await run("go", ["version", "-m", binary], { timeout: 10_000 });
    const module = info.split("\n").find((line) => line.trim().startsWith(`mod\t${MINIO_MODULE}`));
    const version = module?.trim().split("\t")[2];
    return version ? `${MINIO_MODULE}@${version} (go install build)` : reported;
  } catch {
    return reported;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

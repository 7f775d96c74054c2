/**
 * Fetches the third-party protos the spec imports into `.third_party/` (git-ignored).
 *
 * Only `buf/validate/validate.proto` is needed. The schema registry is unreachable from our
 * machines, so the Go module proxy serves it: the protovalidate repository is a Go module and
 * `go mod download` verifies it against the checksum database. Runtime code never needs this
 * folder: generated TypeScript imports the same descriptors from `@bufbuild/protovalidate`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** Keep in step with the protovalidate release that `@bufbuild/protovalidate` was built from. */
const PROTOVALIDATE_MODULE = "github.com/bufbuild/protovalidate@v1.2.2";
const target = join(import.meta.dirname, "..", ".third_party", "protovalidate");

function downloadModule(module: string): string {
  let output: string;
  try {
    output = execFileSync("go", ["mod", "download", "-json", module], {
      encoding: "utf8",
      env: { ...process.env, GOFLAGS: "-mod=mod" },
    });
  } catch (error) {
    throw new Error(
      `could not fetch ${module} with the Go toolchain (needed only to lint or regenerate the protos; install Go from https://go.dev/dl): ${String(error)}`,
    );
  }
  const info = JSON.parse(output) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? "no directory"}`);
  return info.Dir;
}

const moduleDir = downloadModule(PROTOVALIDATE_MODULE);
const source = join(moduleDir, "proto", "protovalidate", "buf");
if (!existsSync(source)) throw new Error(`${source} is missing from ${PROTOVALIDATE_MODULE}`);
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
cpSync(source, join(target, "buf"), {
  recursive: true,
  filter: (path) => !path.endsWith("BUILD.bazel"),
});
console.log(`fetched buf/validate from ${PROTOVALIDATE_MODULE} into .third_party/protovalidate`);

/**
 * Generates the TypeScript of gRPC's own protos that every process serves next to the spec:
 * `grpc.health.v1` (health checking) and `grpc.reflection.v1` / `v1alpha` (server reflection).
 *
 * Third-party source is never committed, nor code generated from it (it embeds their
 * descriptors and comments). The protos come from npm packages pinned in devDependencies
 * (`grpc-health-check`, `@grpc/reflection`), are copied under their canonical paths
 * (`grpc/health/v1/health.proto`: the path reflection clients see) into the git-ignored
 * `.third_party/grpc/`, and generated with the local protoc-gen-es into the git-ignored
 * `impl/gen-grpc/` (buf.gen.grpc.yaml). Runs as the npm `prepare` script, so `npm ci` leaves a
 * fresh clone ready to serve; it needs neither Go nor the network.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = join(import.meta.dirname, "..");
const target = join(root, ".third_party", "grpc");
const require = createRequire(import.meta.url);

/** Where each proto comes from (package, path inside it) and its canonical path. */
const PROTOS = [
  {
    pkg: "grpc-health-check",
    from: "proto/health/v1/health.proto",
    to: "grpc/health/v1/health.proto",
  },
  {
    pkg: "@grpc/reflection",
    from: "build/proto/grpc/reflection/v1/reflection.proto",
    to: "grpc/reflection/v1/reflection.proto",
  },
  {
    pkg: "@grpc/reflection",
    from: "build/proto/grpc/reflection/v1alpha/reflection.proto",
    to: "grpc/reflection/v1alpha/reflection.proto",
  },
] as const;

rmSync(target, { recursive: true, force: true });
for (const proto of PROTOS) {
  const source = join(dirname(require.resolve(`${proto.pkg}/package.json`)), proto.from);
  if (!existsSync(source))
    throw new Error(`${proto.from} is missing from the ${proto.pkg} package`);
  mkdirSync(dirname(join(target, proto.to)), { recursive: true });
  cpSync(source, join(target, proto.to));
}
execFileSync("npx", ["buf", "generate", "--template", "buf.gen.grpc.yaml"], {
  cwd: root,
  stdio: "inherit",
});
console.log("generated grpc.health.v1 and grpc.reflection.v1/v1alpha into impl/gen-grpc");

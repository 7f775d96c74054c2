/**
 * Fails when the committed generated code (impl/gen) is not exactly what `buf generate` produces
 * from the committed protos: a proto edited without regenerating, a hand-edited generated file,
 * or a stale file of a removed proto.
 */
import { execFileSync } from "node:child_process";

const GENERATED_DIR = "impl/gen";

execFileSync("npx", ["buf", "generate"], { stdio: "inherit" });
const drift = execFileSync("git", ["status", "--porcelain", "--", GENERATED_DIR], {
  encoding: "utf8",
});
if (drift.trim() !== "") {
  console.error(`generated code is out of date; run \`npm run generate\` and commit:\n${drift}`);
  console.error(execFileSync("git", ["diff", "--stat", "--", GENERATED_DIR], { encoding: "utf8" }));
  process.exit(1);
}
console.log(`${GENERATED_DIR} matches the protos`);

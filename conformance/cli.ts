/**
 * `curve-rpc-conformance`: runs the conformance suite against a target (see `--help`).
 */
import { allCases } from "./cases/index.js";
import { selectIds } from "./runner/glob.js";
import { parseRunnerArgs, type RunnerOptions, USAGE } from "./runner/options.js";
import { runConformance } from "./runner/run-conformance.js";

export async function main(args: readonly string[]): Promise<number> {
  let options: RunnerOptions;
  try {
    options = parseRunnerArgs(args);
  } catch (error) {
    process.stderr.write(`curve-rpc-conformance: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.list) {
    const ids = selectIds(
      allCases.map((c) => c.id),
      options.only,
      options.skip,
    );
    process.stdout.write(ids.map((id) => `${id}\n`).join(""));
    return 0;
  }
  const io = {
    out: (text: string) => process.stdout.write(text),
    err: (text: string) => process.stderr.write(text),
  };
  try {
    return (await runConformance(options, io)).exitCode;
  } catch (error) {
    process.stderr.write(
      `curve-rpc-conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Open HTTP/2 sessions and provider handles must not keep a finished run alive.
  process.exit(await main(process.argv.slice(2)));
}

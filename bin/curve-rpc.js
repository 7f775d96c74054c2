#!/usr/bin/env node
// The curve-rpc command. The sources are TypeScript run through tsx, so a fresh clone works
// without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../impl/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

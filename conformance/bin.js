#!/usr/bin/env node
// The curve-rpc-conformance command. The sources are TypeScript run through tsx, so a fresh
// clone works without a build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
process.exit(await main(process.argv.slice(2)));

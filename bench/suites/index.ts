/** The suites `npm run bench` knows, in the order `--help` lists them. */
import type { Suite } from "../harness/suite.js";
import { baselinesSuite } from "./baselines.js";
import { dataSuite } from "./data.js";
import { mdsSuite } from "./mds.js";
import { metaSuite } from "./meta.js";
import { raftSuite } from "./raft.js";
import { raftStorageSuite } from "./raft-storage.js";
import { rpcSuite } from "./rpc.js";

export const SUITES: readonly Suite[] = [
  baselinesSuite,
  raftStorageSuite,
  raftSuite,
  mdsSuite,
  rpcSuite,
  metaSuite,
  dataSuite,
];

export function findSuite(name: string): Suite | undefined {
  return SUITES.find((suite) => suite.name === name);
}

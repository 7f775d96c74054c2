/**
 * The suites `npm run bench` knows. Planned, waiting for the metaserver and the client SDK
 * (issue 10): `rpc` (GetInode by leader lease read vs the echo baseline), `meta` (creates,
 * stats, lookups, readdir, unlinks vs etcd puts/gets) and `data` (client writes and reads vs
 * raw S3). Each will reuse the baselines of bench/baselines/ the way raft-storage does.
 */
import type { Suite } from "../harness/suite.js";
import { baselinesSuite } from "./baselines.js";
import { mdsSuite } from "./mds.js";
import { raftSuite } from "./raft.js";
import { raftStorageSuite } from "./raft-storage.js";

export const SUITES: readonly Suite[] = [baselinesSuite, raftStorageSuite, raftSuite, mdsSuite];

export function findSuite(name: string): Suite | undefined {
  return SUITES.find((suite) => suite.name === name);
}

import { chunkSamples } from "./chunk.js";
import { commonSamples } from "./common.js";
import { mdsSamples } from "./mds.js";
import { metaserverSamples } from "./metaserver.js";
import { raftSamples } from "./raft.js";
import type { ValidationSample } from "./sample.js";
import { spaceSamples } from "./space.js";

/** The validation samples of every area of the spec. */
export const allSamples: readonly ValidationSample[] = [
  ...commonSamples,
  ...mdsSamples,
  ...metaserverSamples,
  ...spaceSamples,
  ...chunkSamples,
  ...raftSamples,
];

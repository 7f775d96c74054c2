import { commonSamples } from "./common.js";
import type { ValidationSample } from "./sample.js";

/** The validation samples of every area of the spec. */
export const allSamples: readonly ValidationSample[] = [...commonSamples];

/** A target given by URLs: servers somebody else runs. */
import type { S3Endpoint } from "../providers/types.js";
import type { Requirement } from "./case.js";
import type { Target } from "./target.js";

export function urlTarget(parts: {
  mds: readonly string[];
  metaserver: readonly string[];
  chunkserver: readonly string[];
  env: NodeJS.ProcessEnv;
}): Target {
  const s3 = s3FromEnv(parts.env);
  const offers = new Set<Requirement>();
  if (parts.metaserver.length > 0) offers.add("metaserver");
  if (parts.chunkserver.length > 0) offers.add("chunkserver");
  if (s3) offers.add("s3");
  return {
    description: [
      `MDS ${parts.mds.join(",")}`,
      `metaservers ${parts.metaserver.join(",") || "(none)"}`,
      `chunkservers ${parts.chunkserver.join(",") || "(none)"}`,
      s3 ? `s3 ${s3.endpoint} bucket ${s3.bucket}` : "s3 (none: CURVE_CONFORMANCE_S3_* unset)",
    ].join(", "),
    mdsUrls: parts.mds,
    metaserverUrls: parts.metaserver,
    chunkserverUrls: parts.chunkserver,
    partitionSource: "mds",
    s3,
    offers,
    close: async () => {},
  };
}

function s3FromEnv(env: NodeJS.ProcessEnv): S3Endpoint | undefined {
  const endpoint = env.CURVE_CONFORMANCE_S3_ENDPOINT;
  const accessKey = env.CURVE_CONFORMANCE_S3_ACCESS_KEY;
  const secretKey = env.CURVE_CONFORMANCE_S3_SECRET_KEY;
  if (!endpoint || !accessKey || !secretKey) return undefined;
  return {
    endpoint,
    accessKey,
    secretKey,
    bucket: env.CURVE_CONFORMANCE_S3_BUCKET || "curve-rpc-test",
    region: env.CURVE_CONFORMANCE_S3_REGION || "us-east-1",
  };
}

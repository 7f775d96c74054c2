/**
 * `curve-rpc up [--data-dir DIR] [--listen-host H] [--base-port N] [--etcd URL[,URL]]
 * [--s3-endpoint URL --s3-bucket B --s3-access-key K --s3-secret-key S]`: a whole cluster in
 * one process (impl/cluster/local-cluster.ts) until SIGINT or SIGTERM. It writes
 * `<DIR>/endpoints.json` (the MDS and metaserver URLs and the S3 settings without the secret)
 * once everything is ONLINE, and removes it when it stops (so the file's presence means "up");
 * running it again on the same directory brings every file system
 * back, on the same ports.
 */
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { LocalCluster, type LocalClusterS3 } from "../cluster/local-cluster.js";
import { replaceFileDurably } from "../storage/embedded/durable-file.js";
import { untilSignal } from "./until-signal.js";

const USAGE =
  "usage: curve-rpc up [--data-dir DIR (default ./curve-data)] [--listen-host H (default 127.0.0.1)] [--base-port N (default 6700; 0 = free ports)] [--etcd URL[,URL]] [--s3-endpoint URL --s3-bucket B --s3-access-key K --s3-secret-key S]\n";

export const ENDPOINTS_FILE = "endpoints.json";
const DEFAULT_BASE_PORT = 6700;

/** Parsed command line of `curve-rpc up`. */
export interface UpCommandOptions {
  readonly dataDir: string;
  readonly host: string;
  readonly basePort: number;
  readonly etcdEndpoints: string[];
  readonly s3: LocalClusterS3 | undefined;
}

/** What `endpoints.json` holds. */
export interface Endpoints {
  readonly mds: readonly string[];
  readonly metaservers: readonly string[];
  readonly s3: { readonly endpoint: string; readonly bucket: string; readonly accessKey: string };
}

/** Parses the arguments; throws an Error with a message for the user when they are wrong. */
export function parseUpArgs(args: string[]): UpCommandOptions {
  const { values } = parseArgs({
    args,
    options: {
      "data-dir": { type: "string" },
      "listen-host": { type: "string" },
      "base-port": { type: "string" },
      etcd: { type: "string" },
      "s3-endpoint": { type: "string" },
      "s3-bucket": { type: "string" },
      "s3-access-key": { type: "string" },
      "s3-secret-key": { type: "string" },
    },
  });
  const basePort = Number(values["base-port"] ?? DEFAULT_BASE_PORT);
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65532) {
    throw new Error(
      `--base-port: expected a port number (0 for free ports), got "${values["base-port"]}"`,
    );
  }
  const etcdEndpoints = (values.etcd ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
  for (const url of etcdEndpoints) {
    if (!/^https?:\/\/[^/]+$/.test(url)) throw new Error(`--etcd: not an etcd client URL: ${url}`);
  }
  const s3Flags = {
    endpoint: values["s3-endpoint"],
    bucket: values["s3-bucket"],
    accessKey: values["s3-access-key"],
    secretKey: values["s3-secret-key"],
  };
  const given = Object.values(s3Flags).filter((v) => v !== undefined).length;
  if (given !== 0 && given !== 4) {
    throw new Error(
      "give all of --s3-endpoint, --s3-bucket, --s3-access-key and --s3-secret-key, or none (the embedded object store)",
    );
  }
  const host = values["listen-host"] ?? "127.0.0.1";
  // Every server advertises the host it listens on (a metaserver's address is its Raft id).
  if (["0.0.0.0", "::", "[::]"].includes(host)) {
    throw new Error(
      "--listen-host: give the address clients reach this machine at, not a wildcard (servers advertise it)",
    );
  }
  return {
    dataDir: resolve(values["data-dir"] ?? "curve-data"),
    host,
    basePort,
    etcdEndpoints,
    s3: given === 4 ? (s3Flags as LocalClusterS3) : undefined,
  };
}

export async function upCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: UpCommandOptions;
  try {
    options = parseUpArgs(args);
  } catch (error) {
    process.stderr.write(`curve-rpc up: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  await mkdir(options.dataDir, { recursive: true });
  const endpointsFile = join(options.dataDir, ENDPOINTS_FILE);
  await rm(endpointsFile, { force: true });
  const started = Date.now();
  // Warnings only by default: the servers' info lines would drown the endpoints.
  const logger = pino(
    { name: "up", level: process.env.CURVE_LOG_LEVEL ?? "warn" },
    pino.destination(2),
  );
  const cluster = await LocalCluster.start({
    dataDir: options.dataDir,
    host: options.host,
    basePort: options.basePort,
    logger,
    ...(options.etcdEndpoints.length > 0 ? { etcdEndpoints: options.etcdEndpoints } : {}),
    ...(options.s3 ? { s3: options.s3 } : {}),
  });
  const endpoints: Endpoints = {
    mds: cluster.mdsUrls,
    metaservers: cluster.metaserverUrls,
    s3: {
      endpoint: cluster.s3Info.endpoint,
      bucket: cluster.s3Info.bucket,
      accessKey: cluster.s3Info.accessKey,
    },
  };
  await replaceFileDurably(
    endpointsFile,
    new TextEncoder().encode(`${JSON.stringify(endpoints, null, 2)}\n`),
  );
  const mdsList = cluster.mdsUrls.join(",");
  process.stdout.write(
    [
      `curve-rpc up: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (data in ${options.dataDir})`,
      `  MDS:          ${mdsList}`,
      `  metaservers:  ${cluster.metaserverUrls.join(" ")}`,
      `  object store: ${endpoints.s3.endpoint} bucket ${endpoints.s3.bucket}`,
      `  endpoints:    ${endpointsFile}`,
      `next: curve-rpc fs --endpoints ${endpointsFile} mkfs demo   (then ls demo:/; curve-rpc status --mds ${mdsList} shows the cluster; Ctrl-C stops it, up again on the same dir brings it back)`,
      "",
    ].join("\n"),
  );
  await untilSignal();
  await rm(endpointsFile, { force: true });
  await cluster.stop();
  return 0;
}

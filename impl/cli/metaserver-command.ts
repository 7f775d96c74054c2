/**
 * `curve-rpc metaserver --mds URL[,URL] --listen HOST:PORT [--advertise HOST:PORT]
 * --data-dir DIR [--pool NAME] [--zone NAME]`: runs one metaserver until SIGINT or SIGTERM. It
 * registers with the MDS into the zone (the pool and zone must be declared, see
 * TopologyService), keeps its identity and copysets in the data directory, and serves
 * MetaServerService, CopysetService and Raft on the port.
 */
import { parseArgs } from "node:util";
import { DEFAULT_POOL, DEFAULT_ZONE } from "../metaserver/mds-agent/index.js";
import { MetaserverHost } from "../metaserver/metaserver-host.js";
import { createLogger } from "../server/logger.js";
import { splitHostPort } from "./mds-command.js";
import { parseMdsUrls } from "./mds-urls.js";
import { untilSignal } from "./until-signal.js";

const USAGE =
  "usage: curve-rpc metaserver --mds URL[,URL] --listen HOST:PORT [--advertise HOST:PORT] --data-dir DIR [--pool NAME] [--zone NAME]\n";

/** Parsed command line of `curve-rpc metaserver`. */
export interface MetaserverCommandOptions {
  readonly mdsUrls: string[];
  readonly host: string;
  readonly port: number;
  readonly advertise: string | undefined;
  readonly dataDir: string;
  readonly pool: string;
  readonly zone: string;
}

/** Parses the arguments; throws an Error with a message for the user when they are wrong. */
export function parseMetaserverArgs(args: string[]): MetaserverCommandOptions {
  const { values } = parseArgs({
    args,
    options: {
      mds: { type: "string" },
      listen: { type: "string" },
      advertise: { type: "string" },
      "data-dir": { type: "string" },
      pool: { type: "string" },
      zone: { type: "string" },
    },
  });
  const mdsUrls = parseMdsUrls(values.mds);
  if (!values.listen) throw new Error("--listen HOST:PORT is required");
  const { host, port } = splitHostPort(values.listen, "--listen");
  if (values.advertise !== undefined) splitHostPort(values.advertise, "--advertise");
  if (!values["data-dir"]) throw new Error("--data-dir DIR is required");
  for (const [flag, name] of [
    ["--pool", values.pool],
    ["--zone", values.zone],
  ] as const) {
    if (name !== undefined && !/^([a-z0-9]+-?)+$/.test(name)) {
      throw new Error(`${flag}: "${name}" is not a valid name ([a-z0-9] words joined by -)`);
    }
  }
  return {
    mdsUrls,
    host,
    port,
    advertise: values.advertise,
    dataDir: values["data-dir"],
    pool: values.pool ?? DEFAULT_POOL,
    zone: values.zone ?? DEFAULT_ZONE,
  };
}

export async function metaserverCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: MetaserverCommandOptions;
  try {
    options = parseMetaserverArgs(args);
  } catch (error) {
    process.stderr.write(`curve-rpc metaserver: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const host = await MetaserverHost.start({
    host: options.host,
    port: options.port,
    ...(options.advertise ? { advertise: options.advertise } : {}),
    dataDir: options.dataDir,
    logger: createLogger("metaserver"),
    mds: { urls: options.mdsUrls, pool: options.pool, zone: options.zone },
  });
  process.stdout.write(
    `metaserver listening on ${host.url}, advertised as ${host.address}, joining ${options.pool}/${options.zone}\n`,
  );
  await untilSignal();
  await host.stop();
  return 0;
}

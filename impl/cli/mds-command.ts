/**
 * `curve-rpc mds --listen HOST:PORT [--advertise HOST:PORT] [--etcd URL[,URL]] [--data-dir DIR]`:
 * runs one MDS process until SIGINT or SIGTERM. With `--etcd` several processes form a highly
 * available MDS (one leader, the others answer NOT_LEADER with its address); without it the
 * state lives in the embedded store in `--data-dir`.
 */
import { parseArgs } from "node:util";
import { MdsServer } from "../mds/mds-server.js";

const USAGE =
  "usage: curve-rpc mds --listen HOST:PORT [--advertise HOST:PORT] [--etcd URL[,URL]] [--data-dir DIR]\n";

/** Parsed command line of `curve-rpc mds`. */
export interface MdsCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly advertise: string | undefined;
  readonly etcdEndpoints: string[];
  readonly dataDir: string | undefined;
}

/** Parses the arguments; throws an Error with a message for the user when they are wrong. */
export function parseMdsArgs(args: string[]): MdsCommandOptions {
  const { values } = parseArgs({
    args,
    options: {
      listen: { type: "string" },
      advertise: { type: "string" },
      etcd: { type: "string" },
      "data-dir": { type: "string" },
    },
  });
  if (!values.listen) throw new Error("--listen HOST:PORT is required");
  const { host, port } = splitHostPort(values.listen, "--listen");
  if (values.advertise !== undefined) splitHostPort(values.advertise, "--advertise");
  const etcdEndpoints = (values.etcd ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
  for (const url of etcdEndpoints) {
    if (!/^https?:\/\/[^/]+$/.test(url)) throw new Error(`--etcd: not an etcd client URL: ${url}`);
  }
  if (etcdEndpoints.length === 0 && !values["data-dir"]) {
    throw new Error("give --etcd URL[,URL] or --data-dir DIR (embedded store)");
  }
  return { host, port, advertise: values.advertise, etcdEndpoints, dataDir: values["data-dir"] };
}

/** Splits "host:port" (host may be a bracketed IPv6 literal); throws naming `flag` when malformed. */
export function splitHostPort(value: string, flag: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match?.[1] || port > 65535) throw new Error(`${flag}: expected HOST:PORT, got "${value}"`);
  return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
}

export async function mdsCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: MdsCommandOptions;
  try {
    options = parseMdsArgs(args);
  } catch (error) {
    process.stderr.write(`curve-rpc mds: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const server = await MdsServer.start({
    host: options.host,
    port: options.port,
    ...(options.advertise ? { advertise: options.advertise } : {}),
    ...(options.etcdEndpoints.length > 0 ? { etcdEndpoints: options.etcdEndpoints } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  process.stdout.write(`MDS listening on ${server.url}, advertised as ${server.address}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.stop();
  return 0;
}

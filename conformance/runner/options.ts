/** The command line of `curve-rpc-conformance`. */
import { parseArgs } from "node:util";
import { isProtocol, PROTOCOLS, type Protocol } from "./protocol.js";

export const USAGE = `usage: curve-rpc-conformance (--reference | --mds URL[,URL] [--metaserver URL[,URL]]
                             [--chunkserver URL[,URL]])
                             [--protocol connect|grpc|grpc-web|all] [--only GLOB] [--skip GLOB]
                             [--known-failing FILE] [--out DIR] [--list]

  --reference        start the reference cluster (in this process) on real etcd + MinIO
                     (conformance/providers: CURVE_TEST_ETCD / CURVE_TEST_S3_*, Docker, or
                     native binaries)
  --mds URL          test running MDS processes (the leader is found among them)
  --metaserver URL   the target has metaservers registered with its MDS: run the cases that
                     need them (skipped otherwise); likewise --chunkserver. Give each server's
                     advertised address. The first metaserver also gets the Raft black-box
                     cases: the runner creates copysets on it whose other members are two
                     RaftService peers it serves on 127.0.0.1 (so run it on that host). An MDS
                     purges such copysets at the server's next heartbeat: list an unregistered
                     metaserver first, or use a heartbeat interval of 10 s or more
  --protocol P       run every case over P; default all (connect, grpc, grpc-web; HTTP/2)
  --only GLOB        run only matching case ids (repeatable, comma-separated); * matches
                     within a dot-separated part, ** across parts
  --skip GLOB        do not run matching case ids (repeatable, comma-separated)
  --known-failing F  cases (ids or globs, one a line, # comments) expected to fail; they run,
                     and the run fails if one of them passes
  --out DIR          write results.jsonl, junit.xml and coverage.json (default
                     conformance-results)
  --list             print the selected case ids and exit

  A target given by URL gets S3 cases when CURVE_CONFORMANCE_S3_ENDPOINT,
  CURVE_CONFORMANCE_S3_ACCESS_KEY, CURVE_CONFORMANCE_S3_SECRET_KEY (and optionally
  CURVE_CONFORMANCE_S3_BUCKET, CURVE_CONFORMANCE_S3_REGION) name a bucket it can reach.
Exit code: 0 when every case outside the known-failing list passed (or was skipped) and no
listed case passed; 1 otherwise; 2 for a usage error.
`;

export interface RunnerOptions {
  readonly reference: boolean;
  readonly mds: readonly string[];
  readonly metaserver: readonly string[];
  readonly chunkserver: readonly string[];
  readonly protocols: readonly Protocol[];
  readonly only: readonly string[];
  readonly skip: readonly string[];
  readonly knownFailing: string | undefined;
  readonly out: string;
  readonly list: boolean;
  readonly help: boolean;
}

/** Parses the arguments; throws an Error with a message for the user when they are wrong. */
export function parseRunnerArgs(args: readonly string[]): RunnerOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      reference: { type: "boolean", default: false },
      mds: { type: "string", multiple: true },
      metaserver: { type: "string", multiple: true },
      chunkserver: { type: "string", multiple: true },
      protocol: { type: "string", default: "all" },
      only: { type: "string", multiple: true },
      skip: { type: "string", multiple: true },
      "known-failing": { type: "string" },
      out: { type: "string", default: "conformance-results" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const mds = urls(values.mds, "--mds");
  const options: RunnerOptions = {
    reference: values.reference,
    mds,
    metaserver: urls(values.metaserver, "--metaserver"),
    chunkserver: urls(values.chunkserver, "--chunkserver"),
    protocols: protocols(values.protocol),
    only: list(values.only),
    skip: list(values.skip),
    knownFailing: values["known-failing"],
    out: values.out,
    list: values.list,
    help: values.help,
  };
  if (options.help || options.list) return options;
  if (options.reference === mds.length > 0) {
    throw new Error("give either --reference or --mds URL[,URL]");
  }
  if (options.reference && (options.metaserver.length > 0 || options.chunkserver.length > 0)) {
    throw new Error("--metaserver and --chunkserver name servers of a target given by --mds");
  }
  return options;
}

function list(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

function urls(values: readonly string[] | undefined, flag: string): string[] {
  const parsed = list(values);
  for (const url of parsed) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) {
      throw new Error(`${flag}: expected http://host:port, got "${url}"`);
    }
  }
  return parsed.map((url) => url.replace(/\/$/, ""));
}

function protocols(value: string): Protocol[] {
  if (value === "all") return [...PROTOCOLS];
  if (isProtocol(value)) return [value];
  throw new Error(`--protocol: expected connect, grpc, grpc-web or all, got "${value}"`);
}

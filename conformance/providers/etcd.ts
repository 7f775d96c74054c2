import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { dockerEngineReachable } from "./docker-engine.js";
import { DEFAULT_ETCD_IMAGE, startEtcdContainer } from "./etcd-container.js";
import { etcdVersion } from "./etcd-http.js";
import { startNativeEtcd } from "./native-etcd.js";
import type { EtcdEndpoint, ProvidedService } from "./types.js";

/** Options of provideEtcd. */
export interface ProvideEtcdOptions {
  /**
   * Start a private server that can be stopped and restarted (fault tests): skips servers named
   * by the environment, which we do not control.
   */
  readonly restartable?: boolean;
}

/** One way of getting etcd: a service, or why this way does not apply here. */
type Attempt = ProvidedService<EtcdEndpoint> | { readonly skipped: string };

/**
 * A real etcd for tests. Tries, in order:
 * 1. `CURVE_TEST_ETCD`: comma-separated client URLs of servers you run;
 * 2. etcd in a container (`CURVE_TEST_ETCD_IMAGE`, default quay.io/coreos/etcd:v3.5.17), when a
 *    Docker engine answers;
 * 3. a native `etcd` binary (`CURVE_TEST_ETCD_BIN`, else `etcd` on PATH), started on free
 *    loopback ports with its data on /dev/shm.
 * Throws one error that says how to get each when none works.
 */
export async function provideEtcd(
  options: ProvideEtcdOptions = {},
): Promise<ProvidedService<EtcdEndpoint>> {
  const reasons: string[] = [];
  const attempts = options.restartable
    ? [fromDocker, fromNativeBinary]
    : [fromEnvironment, fromDocker, fromNativeBinary];
  for (const attempt of attempts) {
    const result = await attempt();
    if (!("skipped" in result)) return result;
    reasons.push(result.skipped);
  }
  throw new Error(noServerMessage(reasons, options.restartable === true));
}

async function fromEnvironment(): Promise<Attempt> {
  const list = process.env.CURVE_TEST_ETCD;
  if (!list) return { skipped: "env: CURVE_TEST_ETCD is not set" };
  const endpoints = list
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  const first = endpoints[0];
  if (!first) throw new Error(`CURVE_TEST_ETCD is set but names no URL: ${JSON.stringify(list)}`);
  const version = await etcdVersion(first);
  if (version === "unknown") {
    // Misconfiguration, not absence: silently testing against something else would mislead.
    throw new Error(`CURVE_TEST_ETCD names ${first}, but GET ${first}/version did not answer`);
  }
  return {
    endpoint: { endpoints },
    description: `etcd: env CURVE_TEST_ETCD ${endpoints.join(",")} (etcd ${version})`,
    stop: async () => {},
  };
}

async function fromDocker(): Promise<Attempt> {
  if (!(await dockerEngineReachable())) return { skipped: "docker: no reachable engine" };
  const image = process.env.CURVE_TEST_ETCD_IMAGE || DEFAULT_ETCD_IMAGE;
  const started = Date.now();
  try {
    const etcd = await startEtcdContainer(image);
    return {
      endpoint: { endpoints: [etcd.clientUrl] },
      description: `etcd: container ${image} (etcd ${etcd.version}) at ${etcd.clientUrl}, ready in ${Date.now() - started} ms`,
      restart: etcd.restart,
      stop: etcd.stop,
    };
  } catch (error) {
    return { skipped: `docker: starting ${image} failed: ${messageOf(error)}` };
  }
}

async function fromNativeBinary(): Promise<Attempt> {
  const binary = findEtcdBinary();
  if (!binary) return { skipped: "native: no etcd on PATH (nor CURVE_TEST_ETCD_BIN)" };
  const started = Date.now();
  try {
    const etcd = await startNativeEtcd(binary);
    return {
      endpoint: { endpoints: [etcd.clientUrl] },
      description:
        `etcd: native ${binary} (etcd ${etcd.version}, pid ${etcd.pid}) at ${etcd.clientUrl}, ` +
        `data ${etcd.dataDir}, ready in ${Date.now() - started} ms`,
      restart: etcd.restart,
      stop: etcd.stop,
    };
  } catch (error) {
    return { skipped: `native: ${binary} did not start: ${messageOf(error)}` };
  }
}

/** CURVE_TEST_ETCD_BIN, else the first executable `etcd` on PATH. */
function findEtcdBinary(): string | undefined {
  const candidates = [
    process.env.CURVE_TEST_ETCD_BIN,
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => dir && join(dir, "etcd")),
  ];
  return candidates.find((path): path is string => !!path && isExecutable(path));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function noServerMessage(reasons: readonly string[], restartable: boolean): string {
  return [
    restartable
      ? "No etcd that the tests can restart. Either of 2 or 3 works:"
      : "No etcd for the tests. Any one of these works:",
    "  1. an etcd you run: set CURVE_TEST_ETCD=http://host:2379[,http://host2:2379]",
    "     (not used for fault tests, which must stop and restart their server);",
    `  2. a Docker engine that \`docker info\` reaches (etcd then runs from ${DEFAULT_ETCD_IMAGE});`,
    "  3. a native etcd binary: `apt-get install etcd-server` (Debian/Ubuntu), or any etcd ≥ 3.4",
    "     on PATH or named by CURVE_TEST_ETCD_BIN.",
    "Tried:",
    ...reasons.map((reason) => `  - ${reason}`),
  ].join("\n");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

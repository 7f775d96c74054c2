/**
 * The ports of a local cluster, kept in its data directory. A metaserver's address is its id in
 * every Raft group it belongs to, so a cluster restarted on the same directory must listen on
 * the same ports: the first start records them (chosen from a base port, or free ones), every
 * later start reads them back.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { replaceFileDurably } from "../storage/embedded/durable-file.js";

export const CLUSTER_PORTS_FILE = "ports.json";
const FORMAT_VERSION = 1;

export interface ClusterPorts {
  readonly mds: number;
  readonly metaservers: readonly number[];
}

/** The recorded ports, or undefined on a first start. */
export async function loadClusterPorts(dataDir: string): Promise<ClusterPorts | undefined> {
  const path = join(dataDir, CLUSTER_PORTS_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const body = JSON.parse(text) as { version?: unknown; mds?: unknown; metaservers?: unknown };
  const isPort = (p: unknown): p is number => Number.isInteger(p) && (p as number) > 0;
  if (
    body.version !== FORMAT_VERSION ||
    !isPort(body.mds) ||
    !Array.isArray(body.metaservers) ||
    !body.metaservers.every(isPort)
  ) {
    throw new Error(`${path} does not hold the ports of a local cluster`);
  }
  return { mds: body.mds, metaservers: body.metaservers };
}

export async function saveClusterPorts(dataDir: string, ports: ClusterPorts): Promise<void> {
  const body = JSON.stringify({ version: FORMAT_VERSION, ...ports });
  await replaceFileDurably(
    join(dataDir, CLUSTER_PORTS_FILE),
    new TextEncoder().encode(`${body}\n`),
  );
}

/** The ports of a first start: consecutive from `basePort`, or 0 (free ports) for every server. */
export function plannedPorts(basePort: number, metaservers: number): ClusterPorts {
  if (basePort === 0) return { mds: 0, metaservers: Array<number>(metaservers).fill(0) };
  return {
    mds: basePort,
    metaservers: Array.from({ length: metaservers }, (_, i) => basePort + 1 + i),
  };
}

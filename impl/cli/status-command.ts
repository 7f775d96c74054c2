/**
 * `curve-rpc status --mds URL[,URL] [--json]`: what the MDS leader knows of the cluster — the
 * leader, the metaservers and their liveness, the copysets with members and leader, the
 * partitions with their counts. Tables for people by default, one JSON document with --json.
 */
import { parseArgs } from "node:util";
import { type ClusterStatus, clusterStatus } from "../cluster/cluster-status.js";
import { MdsClient } from "../metaserver/mds-agent/index.js";
import { parseMdsUrls } from "./mds-urls.js";

const USAGE = "usage: curve-rpc status --mds URL[,URL] [--json]\n";

export async function statusCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let urls: string[];
  let json: boolean;
  try {
    const { values } = parseArgs({
      args,
      options: { mds: { type: "string" }, json: { type: "boolean", default: false } },
    });
    urls = parseMdsUrls(values.mds);
    json = values.json ?? false;
  } catch (error) {
    process.stderr.write(`curve-rpc status: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const client = new MdsClient({ urls });
  try {
    const status = await clusterStatus(client);
    process.stdout.write(json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
    return 0;
  } catch (error) {
    process.stderr.write(`curve-rpc status: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

/** The human rendering: one table per kind of thing. */
export function renderStatus(status: ClusterStatus): string {
  const sections = [
    `MDS leader: ${status.mdsLeader}`,
    table(
      "metaservers",
      ["id", "address", "pool", "zone", "state", "copysets", "leads", "last heartbeat"],
      status.metaservers.map((m) => [
        `${m.id}`,
        m.address,
        `${m.poolId}`,
        `${m.zoneId}`,
        m.state,
        `${m.copysets}`,
        `${m.leaderOf}`,
        m.lastHeartbeatAgoMs === undefined
          ? "never"
          : `${(m.lastHeartbeatAgoMs / 1000).toFixed(1)} s ago`,
      ]),
    ),
    table(
      "copysets",
      ["copyset", "epoch", "members", "leader", "term", "pending change"],
      status.copysets.map((c) => [
        `${c.poolId}/${c.copysetId}`,
        c.epoch,
        c.members.join(" "),
        c.leader ?? "-",
        c.term,
        c.pendingChange ?? "-",
      ]),
    ),
    table(
      "file systems",
      ["id", "name", "status"],
      status.fileSystems.map((fs) => [`${fs.id}`, fs.name, fs.status]),
    ),
    table(
      "partitions",
      ["partition", "fs", "copyset", "range", "status", "next id", "inodes", "dentries"],
      status.partitions.map((p) => [
        `${p.partitionId}`,
        p.fsName,
        p.copyset,
        `${p.start}-${p.end}`,
        p.status,
        p.nextId,
        p.inodes,
        p.dentries,
      ]),
    ),
  ];
  return `${sections.join("\n\n")}\n`;
}

function table(title: string, header: readonly string[], rows: readonly string[][]): string {
  if (rows.length === 0) return `${title}: none`;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [`${title}:`, line(header), ...rows.map(line)].join("\n");
}

/**
 * `meta`: the metadata operations of a file system client against a 3-replica metaserver
 * copyset with fsync on — creates (CreateInode + CreateDentry), stats (GetInode), lookups
 * (GetDentry), readdirs of a 10,000-entry directory (ListDentry paging) and unlinks
 * (DeleteDentry + UpdateInode nlink 0) at 1, 16 and 64 concurrent callers — against etcd puts
 * and gets of the same value size and concurrency on an etcd started for the run.
 *
 * Each create load fills a directory of its own; the unlink load of the same concurrency then
 * empties it, with an operation budget of 90 % of the files there (20 % of it as warm-up).
 */
import { etcdKey, measureEtcd, startEtcd } from "../baselines/etcd.js";
import type { BenchContext } from "../harness/context.js";
import type { Phase } from "../harness/load.js";
import { measureClientLoad } from "../harness/measure.js";
import { type Metric, Ratios, ratioOf, round } from "../harness/report.js";
import type { Suite, SuiteResult } from "../harness/suite.js";
import type { MetaOp } from "../remote/metaserver-client.js";
import type { Directory } from "../remote/metaserver-cluster.js";
import { METASERVER_CONFIG, startMetaserver } from "./metaserver-under-test.js";

const CONCURRENCY = [1, 16, 64] as const;
const OPS: readonly MetaOp[] = ["create", "stat", "lookup", "readdir", "unlink"];
const READDIR_ENTRIES = { full: 10_000, quick: 1_000 } as const;
const READDIR_PAGE = 1000;
/** Share of a create load's files the unlink load of the same concurrency consumes. */
const UNLINK_SHARE = 0.9;
const UNLINK_WARMUP_SHARE = 0.2;

const LABELS: Record<MetaOp, string> = {
  create: "create: CreateInode + CreateDentry",
  stat: "stat: GetInode",
  lookup: "lookup: GetDentry",
  readdir: "readdir: ListDentry pages until the end",
  unlink: "unlink: DeleteDentry + UpdateInode nlink 0",
};

export function metaKey(op: MetaOp, concurrency: number): string {
  return `meta_${op}_c${concurrency}`;
}

export const metaSuite: Suite = {
  name: "meta",
  summary: "metaserver creates, stats, lookups, readdir, unlinks (3 replicas) vs etcd put/get",
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const [etcd, metaserver, pool] = await Promise.all([
      startEtcd(ctx),
      startMetaserver(ctx),
      ctx.clients(),
    ]);
    const entries = ctx.quick ? READDIR_ENTRIES.quick : READDIR_ENTRIES.full;
    ctx.log(`making the ${entries}-entry directory`);
    const fixture = await metaserver.makeDirectory("fixture", entries);
    const createDirs = new Map<number, Directory>();
    for (const c of CONCURRENCY)
      createDirs.set(c, await metaserver.makeDirectory(`create-c${c}`, 0));
    const valueBytes = await metaserver.recordBytes(fixture, "f0", fixture.fileInodeIds[0] ?? 0n);

    const baselines = await measureEtcd(
      ctx,
      etcd,
      (["put", "get"] as const).flatMap((op) =>
        CONCURRENCY.map((concurrency) => ({ op, concurrency })),
      ),
      valueBytes,
    );

    const metrics: Record<string, Metric> = {};
    for (const op of OPS) {
      for (const concurrency of CONCURRENCY) {
        const key = metaKey(op, concurrency);
        const dir = op === "create" || op === "unlink" ? createDirs.get(concurrency) : fixture;
        if (!dir) continue;
        const budget =
          op === "unlink" ? unlinkBudget(await metaserver.countEntries(dir.inodeId)) : undefined;
        if (op === "unlink" && !budget) {
          ctx.log(`${key}: skipped, the create load left too few files`);
          continue;
        }
        metrics[key] = await measureClientLoad(ctx, {
          key,
          label: `${LABELS[op]}, ${concurrency} concurrent`,
          workload: "metaserver-client",
          params: {
            url: metaserver.leaderUrl,
            fsId: metaserver.fsId,
            partitionId: metaserver.partitionId,
            op,
            dirInodeId: dir.inodeId,
            ...(op === "create" ? { tag: `c${concurrency}` } : {}),
            ...(op === "unlink" ? { processes: Math.min(pool.size, concurrency) } : {}),
            ...(op === "stat" || op === "lookup" || op === "readdir"
              ? { fileInodeIds: fixture.fileInodeIds, pageSize: READDIR_PAGE }
              : {}),
          },
          concurrency,
          serverCpu: metaserver.cpu,
          ...(budget ?? {}),
          ...(op === "readdir"
            ? {
                extra: (result) => ({
                  entries_per_s: round(
                    (result.ops * entries) / ((result.endedAtMs - result.startedAtMs) / 1000),
                    1,
                  ),
                }),
              }
            : {}),
        });
      }
    }

    return {
      config: {
        metaserver: METASERVER_CONFIG,
        etcd: {
          server: etcd.description,
          value_bytes: valueBytes,
          value_bytes_note: "one file's inode and dentry, encoded (GetInode + GetDentry answers)",
          client: "etcd3 (defaults: linearizable gets)",
        },
        operations: LABELS,
        concurrency: CONCURRENCY,
        readdir: { entries, page_size: READDIR_PAGE, op: "one op = the whole directory listed" },
        stat_lookup: `round robin over the ${entries} files of the readdir directory`,
        unlink: `each unlink load empties the directory its create load filled: an operation budget of ${UNLINK_SHARE * 100} % of the files there, ${UNLINK_WARMUP_SHARE * 100} % of it as warm-up`,
        server_cpu: "metaserver: the whole 3-replica child; etcd: its process",
      },
      metrics,
      baselines,
      ratios: metaRatios(metrics, baselines).toJSON(),
    };
  },
};

/** Phases that unlink at most UNLINK_SHARE of the `files` there are; none if too few. */
export function unlinkBudget(files: number): { warmup: Phase; measure: Phase } | undefined {
  const total = Math.floor(files * UNLINK_SHARE);
  const warmup = Math.max(1, Math.floor(total * UNLINK_WARMUP_SHARE));
  if (total - warmup < 1) return undefined;
  return { warmup: { ops: warmup }, measure: { ops: total - warmup } };
}

function metaRatios(metrics: Record<string, Metric>, baselines: Record<string, Metric>): Ratios {
  const put = (c: number) => baselines[etcdKey("put", c)];
  const get = (c: number) => baselines[etcdKey("get", c)];
  const ratios = new Ratios()
    .set("creates_vs_etcd_puts_c64", ratioOf(metrics[metaKey("create", 64)], put(64)))
    .set("create_p50_vs_etcd_put_p50_c1", ratioOf(metrics[metaKey("create", 1)], put(1), "p50_ms"));
  for (const c of CONCURRENCY) {
    ratios
      .set(`creates_vs_etcd_puts_c${c}`, ratioOf(metrics[metaKey("create", c)], put(c)))
      .set(`unlinks_vs_etcd_puts_c${c}`, ratioOf(metrics[metaKey("unlink", c)], put(c)))
      .set(`stats_vs_etcd_gets_c${c}`, ratioOf(metrics[metaKey("stat", c)], get(c)))
      .set(`lookups_vs_etcd_gets_c${c}`, ratioOf(metrics[metaKey("lookup", c)], get(c)));
  }
  return ratios;
}

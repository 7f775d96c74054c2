/**
 * `curve-rpc fs`: use a file system of a running cluster from the shell, through the client
 * SDK (impl/client). Remote paths are written `NAME:/a/b`. Each invocation mounts the fs,
 * does one thing and unmounts.
 *
 * Output is for people by default and one JSON document with --json. Errors are one line on
 * stderr (`curve-rpc fs: ENOENT: no such file or directory, stat 'myfs:/x'`), never a stack
 * trace; the exit code is 1 for a failed operation and 2 for a usage error.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat as localStat, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import {
  ClientError,
  CurveClient,
  type DirEntryWithStats,
  type FileSystem,
  modeString,
  parseRemotePath,
  type RemotePath,
  type Stats,
} from "../client/index.js";
import { LOCAL_SECRET_KEY } from "../cluster/local-cluster.js";
import type { FsInfo } from "../gen/curve/mds/v1/mds_pb.js";
import {
  isLocalEndpoint,
  ObjectStoreResolver,
  type S3Secret,
} from "../storage/object-store-resolver.js";
import { parseMdsUrls } from "./mds-urls.js";
import { ENDPOINTS_FILE, type Endpoints } from "./up-command.js";

const USAGE = `usage: curve-rpc fs (--mds URL[,URL] | --endpoints FILE) [--json] <command> [args]

commands:
  mkfs NAME [--s3-endpoint URL --s3-bucket B --s3-access-key K --s3-secret-key S
            [--s3-region R]] [--capacity BYTES]
                         create an S3 file system (S3 settings default to the
                         endpoints file of \`curve-rpc up\`)
  lsfs                   list the file systems
  rmfs NAME              delete an unmounted file system
  ls [-l] NAME:/path     list a directory
  tree NAME:/path        show a directory tree
  mkdir [-p] NAME:/path  create a directory (-p: with its parents, no error if present)
  put LOCAL NAME:/path   copy a local file in
  get NAME:/path LOCAL   copy a file out
  cat NAME:/path         print a file
  rm [-r] NAME:/path     remove a file (-r: a directory tree)
  mv NAME:/a NAME:/b     rename
  stat NAME:/path        show attributes
  df NAME                show capacity and usage
`;

/** Files at least this large show a progress bar on a terminal. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

const CLI_RETRY_BUDGET_MS = 10_000;

/** A usage mistake: exit code 2 with the usage text. */
class UsageError extends Error {}

interface Options {
  readonly mdsUrls: string[];
  readonly json: boolean;
  readonly long: boolean;
  readonly parents: boolean;
  readonly recursive: boolean;
  readonly values: Record<string, string | boolean | undefined>;
  /** The S3 settings of the endpoints file, when one was given. */
  readonly defaultS3: EndpointsS3 | undefined;
}

/** The bucket of the endpoints file, with the secret key this process knows for it. */
interface EndpointsS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region?: string;
}

export async function fsCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h") || args.length === 0) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: Options;
  let command: string;
  let operands: string[];
  try {
    ({ options, command, operands } = await parseFsArgs(args));
  } catch (error) {
    process.stderr.write(`curve-rpc fs: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const secrets: S3Secret[] = [];
  if (options.defaultS3) secrets.push(options.defaultS3);
  const secretFlag = options.values["s3-secret-key"];
  const accessFlag = options.values["s3-access-key"];
  if (typeof secretFlag === "string" && typeof accessFlag === "string") {
    secrets.push({ accessKey: accessFlag, secretKey: secretFlag });
  }
  const client = await CurveClient.connect({
    mdsUrls: options.mdsUrls,
    objectStores: new ObjectStoreResolver({ secrets }),
    // Someone at a shell wants an answer: give up on an unreachable cluster after 10 s rather
    // than wait out a long MDS election (the SDK's default budget is 60 s).
    retry: { budgetMs: CLI_RETRY_BUDGET_MS },
  });
  try {
    await run(client, command, operands, options);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`curve-rpc fs: ${error.message}\n${USAGE}`);
      return 2;
    }
    process.stderr.write(
      `curve-rpc fs: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await client.close();
  }
}

/** Splits the arguments into global options, the command and its operands. */
export async function parseFsArgs(
  args: string[],
): Promise<{ options: Options; command: string; operands: string[] }> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      mds: { type: "string" },
      endpoints: { type: "string" },
      json: { type: "boolean", default: false },
      long: { type: "boolean", short: "l", default: false },
      parents: { type: "boolean", short: "p", default: false },
      recursive: { type: "boolean", short: "r", default: false },
      "s3-endpoint": { type: "string" },
      "s3-bucket": { type: "string" },
      "s3-access-key": { type: "string" },
      "s3-secret-key": { type: "string" },
      "s3-region": { type: "string" },
      capacity: { type: "string" },
    },
  });
  const [command, ...operands] = positionals;
  if (command === undefined) throw new UsageError("a command is required");
  const endpoints =
    values.endpoints === undefined
      ? undefined
      : await readEndpoints(values.endpoints, values["s3-secret-key"]);
  const mdsUrls = parseMdsUrls(values.mds ?? endpoints?.mdsUrls.join(","));
  return {
    command,
    operands,
    options: {
      mdsUrls,
      json: values.json ?? false,
      long: values.long ?? false,
      parents: values.parents ?? false,
      recursive: values.recursive ?? false,
      values,
      defaultS3: endpoints?.s3,
    },
  };
}

/**
 * Reads the endpoints file of `curve-rpc up` (a file, or the data directory holding it). It
 * names the bucket without its secret key: the embedded store checks none, and for a real S3
 * server the secret comes from --s3-secret-key or AWS_SECRET_ACCESS_KEY.
 */
async function readEndpoints(
  path: string,
  secretFlag: string | undefined,
): Promise<{ mdsUrls: string[]; s3?: EndpointsS3 }> {
  const file = (await localStat(path).catch(() => undefined))?.isDirectory()
    ? join(path, ENDPOINTS_FILE)
    : path;
  let body: Partial<Endpoints>;
  try {
    body = JSON.parse(await readFile(file, "utf8")) as Partial<Endpoints>;
  } catch (error) {
    throw new Error(`--endpoints: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(body.mds) || !body.mds.every((u) => typeof u === "string")) {
    throw new Error(`--endpoints: ${file} has no "mds" list`);
  }
  const s3 = body.s3;
  const secretKey = isLocalEndpoint(s3?.endpoint ?? "")
    ? LOCAL_SECRET_KEY
    : (secretFlag ?? process.env.AWS_SECRET_ACCESS_KEY);
  return {
    mdsUrls: [...body.mds],
    ...(s3 && secretKey ? { s3: { ...s3, secretKey } } : {}),
  };
}

async function run(
  client: CurveClient,
  command: string,
  operands: string[],
  options: Options,
): Promise<void> {
  switch (command) {
    case "mkfs":
      return mkfs(client, one(operands, "mkfs NAME"), options);
    case "lsfs":
      return lsfs(client, options);
    case "rmfs": {
      const info = await client.deleteFs(one(operands, "rmfs NAME"));
      return print(
        options,
        { fsId: info.fsId, fsName: info.fsName, status: "deleting" },
        `deleting ${info.fsName}\n`,
      );
    }
    case "df":
      return onFs(client, { fsName: one(operands, "df NAME"), path: "/" }, (fs) => df(fs, options));
    case "ls": {
      const target = remote(one(operands, "ls NAME:/path"));
      return onFs(client, target, (fs) => ls(fs, target.path, options));
    }
    case "tree": {
      const target = remote(one(operands, "tree NAME:/path"));
      return onFs(client, target, (fs) => tree(fs, target.path, options));
    }
    case "mkdir": {
      const target = remote(one(operands, "mkdir [-p] NAME:/path"));
      return onFs(client, target, (fs) => fs.mkdir(target.path, { recursive: options.parents }));
    }
    case "put": {
      const [local, to] = two(operands, "put LOCAL NAME:/path");
      const target = remote(to);
      return onFs(client, target, (fs) => put(fs, local, target.path, options));
    }
    case "get": {
      const [from, local] = two(operands, "get NAME:/path LOCAL");
      const source = remote(from);
      return onFs(client, source, (fs) => get(fs, source.path, local, options));
    }
    case "cat": {
      const source = remote(one(operands, "cat NAME:/path"));
      return onFs(client, source, (fs) => cat(fs, source.path));
    }
    case "rm": {
      const target = remote(one(operands, "rm [-r] NAME:/path"));
      return onFs(client, target, (fs) => fs.rm(target.path, { recursive: options.recursive }));
    }
    case "mv": {
      const [a, b] = two(operands, "mv NAME:/a NAME:/b").map(remote) as [RemotePath, RemotePath];
      if (a.fsName !== b.fsName) throw new UsageError("mv works within one file system");
      return onFs(client, a, (fs) => fs.rename(a.path, b.path));
    }
    case "stat": {
      const target = remote(one(operands, "stat NAME:/path"));
      return onFs(client, target, async (fs) => {
        const stats = await fs.lstat(target.path);
        print(options, statsJson(stats), renderStats(`${target.fsName}:${target.path}`, stats));
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function one(operands: string[], form: string): string {
  if (operands.length !== 1) throw new UsageError(`expected: ${form}`);
  return operands[0] as string;
}

function two(operands: string[], form: string): [string, string] {
  if (operands.length !== 2) throw new UsageError(`expected: ${form}`);
  return [operands[0] as string, operands[1] as string];
}

function remote(arg: string): RemotePath {
  try {
    return parseRemotePath(arg);
  } catch {
    throw new UsageError(`"${arg}" is not a remote path: write NAME:/path`);
  }
}

/** Mounts the fs of `target` for the duration of `body`. */
async function onFs<T>(
  client: CurveClient,
  target: RemotePath,
  body: (fs: FileSystem) => Promise<T>,
): Promise<T> {
  const fs = await client.mount(target.fsName, { mountPoint: `/curve-rpc/fs-${process.pid}` });
  try {
    return await body(fs);
  } finally {
    await fs.umount();
  }
}

function print(options: Options, json: unknown, text: string): void {
  process.stdout.write(options.json ? `${JSON.stringify(json, jsonValue, 2)}\n` : text);
}

/** bigints (ids, sizes) as strings in JSON, as the spec's JSON mapping writes uint64. */
function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

async function mkfs(client: CurveClient, name: string, options: Options): Promise<void> {
  const v = options.values;
  const flag = (key: string): string | undefined => v[key] as string | undefined;
  const s3 = flag("s3-endpoint")
    ? {
        endpoint: flag("s3-endpoint") ?? "",
        bucket: flag("s3-bucket") ?? "",
        accessKey: flag("s3-access-key") ?? "",
        secretKey: flag("s3-secret-key") ?? "",
        region: flag("s3-region") ?? "",
      }
    : options.defaultS3;
  if (s3 === undefined) {
    throw new UsageError(
      "mkfs needs --s3-endpoint and its keys, or --endpoints FILE from `curve-rpc up`",
    );
  }
  const capacity = flag("capacity");
  const info = await client.createFs(name, {
    s3,
    ...(capacity === undefined ? {} : { capacity: parseBytes(capacity) }),
  });
  print(options, fsJson(info), `created ${info.fsName} (fs id ${info.fsId})\n`);
}

function parseBytes(text: string): bigint {
  if (!/^\d+$/.test(text))
    throw new UsageError(`--capacity: expected a number of bytes, got "${text}"`);
  return BigInt(text);
}

async function lsfs(client: CurveClient, options: Options): Promise<void> {
  const all = await client.listFs();
  const text = all
    .map((f) => `${String(f.fsId).padStart(4)}  ${statusName(f)}  ${f.fsName}\n`)
    .join("");
  print(options, all.map(fsJson), text);
}

function statusName(info: FsInfo): string {
  return ["unknown", "new", "inited", "deleting"][info.status] ?? "unknown";
}

function fsJson(info: FsInfo) {
  return {
    fsId: info.fsId,
    fsName: info.fsName,
    status: statusName(info),
    capacity: info.capacity,
    usedBytes: info.usedBytes,
    mountpoints: info.mountpoints.length,
  };
}

async function df(fs: FileSystem, options: Options): Promise<void> {
  const s = await fs.statfs();
  const percent = s.capacityBytes === 0n ? 0 : Number((s.usedBytes * 100n) / s.capacityBytes);
  const text =
    "Filesystem        Size       Used      Avail  Use%  Inodes\n" +
    `${fs.name.padEnd(12)} ${human(s.capacityBytes).padStart(9)} ${human(s.usedBytes).padStart(10)} ` +
    `${human(s.freeBytes).padStart(10)} ${`${percent}%`.padStart(5)}  ${s.inodes}\n`;
  print(options, { fsName: fs.name, ...s }, text);
}

async function ls(fs: FileSystem, path: string, options: Options): Promise<void> {
  const stats = await fs.stat(path);
  const entries: DirEntryWithStats[] = [];
  if (stats.kind === "directory") {
    for await (const entry of fs.readdirWithStats(path)) entries.push(entry);
  } else {
    entries.push({ name: basename(path), inodeId: stats.inodeId, kind: stats.kind, stats });
  }
  const text = entries
    .map((e) =>
      options.long ? `${longLine(e)}\n` : `${e.name}${e.kind === "directory" ? "/" : ""}\n`,
    )
    .join("");
  print(
    options,
    entries.map((e) => ({
      name: e.name,
      ...(e.stats ? statsJson(e.stats) : { kind: e.kind, inodeId: e.inodeId }),
    })),
    text,
  );
}

function longLine(entry: DirEntryWithStats): string {
  const s = entry.stats;
  if (s === undefined) return `?????????? ${entry.name}`;
  const when = new Date(s.mtimeMs).toISOString().replace("T", " ").slice(0, 19);
  const link = s.kind === "symlink" ? ` -> ${s.symlinkTarget}` : "";
  return `${modeString(s)} ${String(s.nlink).padStart(3)} ${String(s.uid).padStart(5)} ${String(s.gid).padStart(5)} ${String(s.size).padStart(12)} ${when} ${entry.name}${link}`;
}

interface TreeNode {
  readonly name: string;
  readonly kind: string;
  readonly children?: TreeNode[];
}

async function tree(fs: FileSystem, path: string, options: Options): Promise<void> {
  const root: TreeNode = { name: path, kind: "directory", children: await subtree(fs, path) };
  const lines: string[] = [path];
  const walk = (nodes: readonly TreeNode[], indent: string): void => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      lines.push(
        `${indent}${last ? "└── " : "├── "}${node.name}${node.kind === "directory" ? "/" : ""}`,
      );
      if (node.children) walk(node.children, `${indent}${last ? "    " : "│   "}`);
    });
  };
  walk(root.children ?? [], "");
  print(options, root, `${lines.join("\n")}\n`);
}

async function subtree(fs: FileSystem, path: string): Promise<TreeNode[]> {
  const nodes: TreeNode[] = [];
  for await (const entry of fs.readdir(path)) {
    const child = `${path === "/" ? "" : path}/${entry.name}`;
    nodes.push(
      entry.kind === "directory"
        ? { name: entry.name, kind: entry.kind, children: await subtree(fs, child) }
        : { name: entry.name, kind: entry.kind },
    );
  }
  return nodes;
}

async function put(fs: FileSystem, local: string, to: string, options: Options): Promise<void> {
  const size = (await localStat(local)).size;
  const target = (await isDirectory(fs, to)) ? `${to === "/" ? "" : to}/${basename(local)}` : to;
  const file = await fs.open(target, "w");
  const progress = new Progress(size);
  try {
    await file.writeStream(progress.count(chunks(createReadStream(local))), 0);
  } finally {
    progress.end();
    await file.close();
  }
  print(options, { path: `${fs.name}:${target}`, bytes: size }, "");
}

async function get(fs: FileSystem, from: string, local: string, options: Options): Promise<void> {
  const target = (await localStat(local).catch(() => undefined))?.isDirectory()
    ? join(local, basename(from))
    : local;
  const file = await fs.open(from, "r");
  const progress = new Progress(file.length);
  try {
    await pipeline(Readable.from(progress.count(file.readStream())), createWriteStream(target));
  } finally {
    await file.close();
    progress.end();
  }
  print(options, { path: target, bytes: file.length }, "");
}

async function cat(fs: FileSystem, path: string): Promise<void> {
  const file = await fs.open(path, "r");
  try {
    for await (const chunk of file.readStream()) {
      if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
    }
  } finally {
    await file.close();
  }
}

async function isDirectory(fs: FileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).kind === "directory";
  } catch (error) {
    if (error instanceof ClientError && error.code === "ENOENT") return false;
    throw error;
  }
}

async function* chunks(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
}

/** A one-line progress bar on stderr, for large transfers on a terminal only. */
class Progress {
  readonly #enabled: boolean;
  #done = 0;
  #lastDraw = 0;

  constructor(private readonly total: number) {
    this.#enabled = process.stderr.isTTY === true && total >= PROGRESS_MIN_BYTES;
  }

  async *count(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      this.#done += chunk.length;
      this.#draw();
      yield chunk;
    }
  }

  end(): void {
    if (this.#enabled) process.stderr.write("\r\x1b[K");
  }

  #draw(): void {
    const now = Date.now();
    if (!this.#enabled || now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    const ratio = Math.min(1, this.#done / this.total);
    const width = 30;
    const filled = Math.round(ratio * width);
    process.stderr.write(
      `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${human(BigInt(this.#done))} / ${human(BigInt(this.total))} ${Math.floor(ratio * 100)}%`,
    );
  }
}

function human(bytes: bigint): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function statsJson(s: Stats) {
  return {
    inodeId: s.inodeId,
    kind: s.kind,
    mode: `0${(s.mode & 0o7777).toString(8)}`,
    nlink: s.nlink,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    atime: new Date(s.atimeMs).toISOString(),
    mtime: new Date(s.mtimeMs).toISOString(),
    ctime: new Date(s.ctimeMs).toISOString(),
    ...(s.kind === "symlink" ? { target: s.symlinkTarget } : {}),
  };
}

function renderStats(path: string, s: Stats): string {
  const lines = [
    `  File: ${path}${s.kind === "symlink" ? ` -> ${s.symlinkTarget}` : ""}`,
    `  Size: ${s.size}  Type: ${s.kind}  Inode: ${s.inodeId}  Links: ${s.nlink}`,
    `Access: (0${(s.mode & 0o7777).toString(8)}/${modeString(s)})  Uid: ${s.uid}  Gid: ${s.gid}`,
    `Access: ${new Date(s.atimeMs).toISOString()}`,
    `Modify: ${new Date(s.mtimeMs).toISOString()}`,
    `Change: ${new Date(s.ctimeMs).toISOString()}`,
  ];
  return `${lines.join("\n")}\n`;
}

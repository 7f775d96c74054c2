/**
 * The `data` suite's load, in one client process: a sequential writer and reader, one operation
 * after the other (closed loop, one caller), so that a run of N operations is exactly "write
 * (or read) these bytes in this order". Each call runs one phase and reports it with the CPU
 * this process spent; the suite samples the servers' CPU around the measured calls.
 *
 * The S3 baseline stores each block as one object, the way the client stores a block.
 */
import type { S3Endpoint } from "../../conformance/providers/types.js";
import { CurveClient, type FileHandle, type FileSystem } from "../../impl/client/index.js";
import { ObjectStoreResolver } from "../../impl/storage/object-store-resolver.js";
import { type LoadResult, runPhase } from "../harness/load.js";
import { type Objects, rawSdk } from "./s3-object-workload.js";

export interface DataPhaseResult {
  readonly result: LoadResult;
  /** CPU of this client process during the phase. */
  readonly cpuMicros: number;
}

export interface S3SequentialArgs {
  readonly s3: S3Endpoint;
  readonly op: "put" | "get";
  /** Objects are `<prefix>/<i>`; a get reads what a put of the same prefix wrote. */
  readonly prefix: string;
  readonly objectBytes: number;
  readonly objects: number;
}

let s3: { endpoint: string; objects: Objects } | undefined;

function s3Objects(endpoint: S3Endpoint): Objects {
  if (s3?.endpoint !== endpoint.endpoint)
    s3 = { endpoint: endpoint.endpoint, objects: rawSdk(endpoint) };
  return s3.objects;
}

/** Puts or gets `objects` objects one after another. */
export async function s3Sequential(args: S3SequentialArgs): Promise<DataPhaseResult> {
  const objects = s3Objects(args.s3);
  const body = new Uint8Array(args.objectBytes).fill(0x64);
  const key = (seq: number) => `${args.prefix}/${seq}`;
  return measured(args.objects, async (seq) => {
    if (args.op === "put") {
      await objects.put(key(seq), body);
      return;
    }
    const got = await objects.get(key(seq));
    if (got.byteLength !== args.objectBytes) throw new Error(`s3 get ${key(seq)}: wrong size`);
  });
}

export interface MountArgs {
  readonly mdsUrls: readonly string[];
  readonly s3: S3Endpoint;
  readonly fsName: string;
}

let mounted: { client: CurveClient; fs: FileSystem } | undefined;

/** Creates an S3 file system on `s3` and mounts it; the later client calls use it. */
export async function mount(args: MountArgs): Promise<void> {
  if (mounted) throw new Error("a file system is mounted already");
  const { s3: endpoint } = args;
  const client = await CurveClient.connect({
    mdsUrls: args.mdsUrls,
    objectStores: new ObjectStoreResolver({
      secrets: [{ accessKey: endpoint.accessKey, secretKey: endpoint.secretKey }],
    }),
  });
  try {
    await client.createFs(args.fsName, {
      s3: {
        endpoint: endpoint.endpoint,
        bucket: endpoint.bucket,
        accessKey: endpoint.accessKey,
        secretKey: endpoint.secretKey,
        region: endpoint.region,
      },
    });
    mounted = { client, fs: await client.mount(args.fsName, { mountPoint: "/mnt/bench" }) };
  } catch (error) {
    await client.close();
    throw error;
  }
}

export interface ClientSequentialArgs {
  readonly op: "write" | "read";
  /** Files are `/<prefix>-<i>`; a read reads what a write of the same prefix wrote. */
  readonly prefix: string;
  readonly files: number;
  readonly fileBytes: number;
  /** Bytes per write / read call. */
  readonly blockBytes: number;
}

/**
 * Writes or reads `files` files one after another, each in `blockBytes` calls. An operation
 * is one call; the first call of a file includes its open (a create for writes), the last one
 * its close (which flushes what the client still buffers), so the window holds all the work.
 */
export async function clientSequential(args: ClientSequentialArgs): Promise<DataPhaseResult> {
  if (!mounted) throw new Error("no file system is mounted");
  const { fs } = mounted;
  const blocksPerFile = Math.ceil(args.fileBytes / args.blockBytes);
  const body = new Uint8Array(args.blockBytes).fill(0x63);
  let handle: FileHandle | undefined;
  return measured(args.files * blocksPerFile, async (seq) => {
    const block = seq % blocksPerFile;
    const offset = block * args.blockBytes;
    const length = Math.min(args.blockBytes, args.fileBytes - offset);
    if (block === 0) {
      handle = await fs.open(
        `/${args.prefix}-${Math.floor(seq / blocksPerFile)}`,
        args.op === "write" ? "w" : "r",
      );
    }
    const file = handle;
    // Its open failed: every call of the file fails.
    if (file === undefined) throw new Error(`file ${Math.floor(seq / blocksPerFile)} is not open`);
    try {
      if (args.op === "write") await file.write(body.subarray(0, length), offset);
      else {
        const got = await file.read(offset, length);
        if (got.byteLength !== length) {
          throw new Error(`read ${file.path}: ${got.byteLength} of ${length} bytes`);
        }
      }
    } finally {
      // A file's last call closes it even when the call failed: no handle outlives the phase.
      if (block === blocksPerFile - 1) {
        handle = undefined;
        await file.close();
      }
    }
  });
}

/** Closes what the calls opened. */
export async function close(): Promise<void> {
  await s3?.objects.close();
  s3 = undefined;
  await mounted?.client.close();
  mounted = undefined;
}

/** Runs `op` for seq 0 … count-1, one at a time, with this process's CPU. */
export async function measured(
  count: number,
  op: (seq: number) => Promise<void>,
): Promise<DataPhaseResult> {
  const before = process.cpuUsage();
  const result = await runPhase((_caller, seq) => op(seq), 1, { ops: count });
  const cpu = process.cpuUsage(before);
  return { result, cpuMicros: cpu.user + cpu.system };
}

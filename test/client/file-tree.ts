/**
 * A tree of files with deterministic contents, for the data tests: every file's bytes come from
 * a seeded generator, and overwrites are recorded as (offset, seed, length) patches, so the
 * expected sha256 of any file can be recomputed without keeping hundreds of MiB in memory.
 */
import { createHash } from "node:crypto";
import type { FileSystem } from "../../impl/client/index.js";

const MiB = 1024 * 1024;

/** One file of the tree. */
export interface TreeFile {
  readonly path: string;
  readonly size: number;
  readonly seed: number;
  /** Overwrites applied after the first write, in order. */
  readonly patches: { offset: number; seed: number; length: number }[];
}

/** Fast seeded bytes (mulberry32, 4 bytes per step). */
export function seededBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, Math.floor(length / 4));
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  for (let i = 0; i < words.length; i++) words[i] = next();
  for (let i = words.length * 4; i < length; i++) out[i] = next() & 0xff;
  return out;
}

/** A small seeded PRNG for choosing sizes and offsets. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `count` files of random sizes up to `maxSize` spread over `dirs` directories, plus files of
 * the given exact sizes in /edges.
 */
export function planTree(
  seed: number,
  count: number,
  maxSize: number,
  dirs: number,
  exactSizes: readonly number[],
): TreeFile[] {
  const random = prng(seed);
  const files: TreeFile[] = [];
  for (let i = 0; i < count; i++) {
    files.push({
      path: `/tree/d${i % dirs}/f${i}`,
      size: Math.floor(random() * (maxSize + 1)),
      seed: seed * 100_000 + i,
      patches: [],
    });
  }
  exactSizes.forEach((size, i) => {
    files.push({
      path: `/tree/edges/e${i}-${size}`,
      size,
      seed: seed * 100_000 + count + i,
      patches: [],
    });
  });
  return files;
}

/** The expected content of a file: its seeded bytes with every patch applied. */
export function expectedContent(file: TreeFile): Uint8Array {
  const content = seededBytes(file.seed, file.size);
  for (const patch of file.patches) {
    const bytes = seededBytes(patch.seed, patch.length);
    content.set(
      bytes.subarray(0, Math.max(0, Math.min(patch.length, file.size - patch.offset))),
      patch.offset,
    );
  }
  return content;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Creates the directories and writes every file, streaming it in 1 MiB pieces. */
export async function writeTree(fs: FileSystem, files: readonly TreeFile[]): Promise<void> {
  const dirs = new Set(files.map((f) => f.path.slice(0, f.path.lastIndexOf("/"))));
  for (const dir of dirs) await fs.mkdir(dir, { recursive: true });
  await inParallel(files, 8, async (file) => {
    const handle = await fs.open(file.path, "wx");
    const content = seededBytes(file.seed, file.size);
    for (let offset = 0; offset < content.length; offset += MiB) {
      await handle.write(content.subarray(offset, offset + MiB), offset);
    }
    await handle.close();
  });
}

/**
 * Overwrites a random range of each file (lengths up to `maxLength`, some running past the end,
 * which grows the file), recording the patches.
 */
export async function overwriteRanges(
  fs: FileSystem,
  files: TreeFile[],
  seed: number,
  maxLength: number,
): Promise<TreeFile[]> {
  const random = prng(seed);
  const patched = files.map((file, i) => {
    const offset = Math.floor(random() * (file.size + 1));
    const length = 1 + Math.floor(random() * maxLength);
    const patch = { offset, seed: seed * 1_000_000 + i, length };
    return {
      ...file,
      size: Math.max(file.size, offset + length),
      patches: [...file.patches, patch],
    };
  });
  await inParallel(patched, 8, async (file) => {
    const patch = file.patches[file.patches.length - 1] as TreeFile["patches"][number];
    const handle = await fs.open(file.path, "r+");
    await handle.write(seededBytes(patch.seed, patch.length), patch.offset);
    await handle.close();
  });
  return patched;
}

/** The paths whose content (sha256, and length) differs from the plan. */
export async function mismatches(fs: FileSystem, files: readonly TreeFile[]): Promise<string[]> {
  const wrong: string[] = [];
  await inParallel(files, 8, async (file) => {
    const handle = await fs.open(file.path, "r");
    const hash = createHash("sha256");
    let length = 0;
    for await (const chunk of handle.readStream()) {
      hash.update(chunk);
      length += chunk.length;
    }
    await handle.close();
    if (length !== file.size || hash.digest("hex") !== sha256(expectedContent(file)))
      wrong.push(file.path);
  });
  return wrong.sort();
}

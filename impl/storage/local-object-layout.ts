import { readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Where the local object store keeps each key on disk.
 *
 * A key is written as the lowercase hex of its UTF-8 bytes, cut into path components of
 * `COMPONENT_HEX` characters: every full component but the last is a directory, and the last
 * component is a file named `<hex>.obj`. So `fs1_42_7_0_0` becomes
 * `6673315f34325f37/5f305f30.obj`.
 *
 * Why hex: it is injective, safe on any file system (no separators, no `..`, no case or Unicode
 * normalisation surprises on macOS), and it preserves bytewise key order, so listing is an
 * ordered walk of a trie that skips whole directories outside the prefix or before the
 * continuation point, instead of sorting every key on each page. Why 16 characters (8 key bytes)
 * per level: typical keys (20–40 bytes) sit 3–5 levels deep, directories stay small, and the
 * longest key (1,024 bytes → 128 levels) keeps its path below PATH_MAX (4,096) for roots of up
 * to ~1,800 characters.
 */
export const COMPONENT_HEX = 16;

const OBJECT_SUFFIX = ".obj";
const DIRECTORY_NAME = /^[0-9a-f]{16}$/;
const OBJECT_NAME = /^(?:[0-9a-f]{2}){1,8}\.obj$/;

/** The hex form of a key or prefix, which is also its on-disk identity. */
export function keyToHex(key: string): string {
  return Buffer.from(key, "utf8").toString("hex");
}

/** The inverse of `keyToHex`. */
export function hexToKey(hex: string): string {
  return Buffer.from(hex, "hex").toString("utf8");
}

/** The path of an object file relative to the objects directory. */
export function objectPath(key: string): string {
  const hex = keyToHex(key);
  const components: string[] = [];
  for (let start = 0; start < hex.length; start += COMPONENT_HEX) {
    components.push(hex.slice(start, start + COMPONENT_HEX));
  }
  components[components.length - 1] += OBJECT_SUFFIX;
  return join(...components);
}

/** An object found by a walk. */
export interface WalkedObject {
  /** The hex of the key (see `keyToHex`). */
  readonly hex: string;
  /** The absolute path of its file. */
  readonly path: string;
}

/** A directory entry of the trie, understood. */
interface TrieEntry {
  /** Hex of the key bytes from the root to this entry. */
  readonly hex: string;
  readonly name: string;
  readonly isObject: boolean;
}

/**
 * Yields the objects under `root` whose key hex starts with `prefixHex` and, when `afterHex` is
 * given, is greater than it, in bytewise key order. Entries that are not ours (a stray file, a
 * directory created by hand) are ignored.
 */
export async function* walkObjects(
  root: string,
  prefixHex: string,
  afterHex?: string,
): AsyncGenerator<WalkedObject> {
  yield* walkDirectory(root, "", prefixHex, afterHex);
}

async function* walkDirectory(
  dir: string,
  dirHex: string,
  prefixHex: string,
  afterHex: string | undefined,
): AsyncGenerator<WalkedObject> {
  for (const entry of await readTrieEntries(dir, dirHex)) {
    const related = entry.hex.startsWith(prefixHex) || prefixHex.startsWith(entry.hex);
    if (!related) {
      // Entries come in key order: once one sorts after the prefix, all the rest do too.
      if (entry.hex > prefixHex) return;
      continue;
    }
    const path = join(dir, entry.name);
    if (entry.isObject) {
      if (!entry.hex.startsWith(prefixHex)) continue;
      if (afterHex !== undefined && entry.hex <= afterHex) continue;
      yield { hex: entry.hex, path };
    } else if (afterHex === undefined || entry.hex >= afterHex.slice(0, entry.hex.length)) {
      yield* walkDirectory(path, entry.hex, prefixHex, afterHex);
    }
  }
}

/**
 * The entries of one trie directory in key order. A directory `D` holds keys that extend `D`, an
 * object `O` is exactly `O`, so comparing the hex components orders them, with an object first
 * when it equals a directory's component (a key sorts before its extensions).
 */
async function readTrieEntries(dir: string, dirHex: string): Promise<TrieEntry[]> {
  const entries: TrieEntry[] = [];
  for (const name of await readdirIfPresent(dir)) {
    if (DIRECTORY_NAME.test(name)) {
      entries.push({ hex: dirHex + name, name, isObject: false });
    } else if (OBJECT_NAME.test(name)) {
      entries.push({ hex: dirHex + name.slice(0, -OBJECT_SUFFIX.length), name, isObject: true });
    }
  }
  return entries.sort(
    (a, b) => compareStrings(a.hex, b.hex) || Number(b.isObject) - Number(a.isObject),
  );
}

/** A directory removed by a concurrent delete is simply empty. */
async function readdirIfPresent(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The configuration forced on a group by CliService.ResetPeer (core ForcedConf), in a small file
 * replaced atomically like the hard state: `<dir>/forced-conf`, versioned JSON followed by a
 * newline and the CRC-32C of the JSON bytes in hex.
 *
 * Written once per reset and never cleared: the core ignores it on restart once the log or
 * snapshot has superseded it (a committed CONF_CHANGE entry, or a snapshot, above its index), so
 * a stale file is harmless and clearing it would only add a write to the commit path.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { crc32c } from "../../storage/crc32c.js";
import type { ForcedConf } from "../core/types.js";
import { DataCorruptionError } from "./errors.js";
import type { FsyncBatcher } from "./fsync-batcher.js";

export const FORCED_CONF_FILE = "forced-conf";
const TEMP_SUFFIX = ".tmp";
const VERSION = 1;

export function encodeForcedConf(forced: ForcedConf): Buffer {
  const json = Buffer.from(
    JSON.stringify({ v: VERSION, index: forced.index, voters: forced.conf.voters }),
    "utf8",
  );
  const crc = crc32c(json).toString(16).padStart(8, "0");
  return Buffer.concat([json, Buffer.from(`\n${crc}`, "utf8")]);
}

export function decodeForcedConf(buf: Buffer, path: string): ForcedConf {
  const corrupt = (reason: "truncated" | "bad-version" | "checksum" | "malformed") =>
    new DataCorruptionError(
      reason,
      path,
      undefined,
      `forced configuration is unreadable (${reason})`,
    );
  const text = buf.toString("utf8");
  const newline = text.lastIndexOf("\n");
  if (newline < 0) throw corrupt("truncated");
  const json = buf.subarray(0, Buffer.byteLength(text.slice(0, newline), "utf8"));
  if (crc32c(json).toString(16).padStart(8, "0") !== text.slice(newline + 1)) {
    throw corrupt("checksum");
  }
  let body: unknown;
  try {
    body = JSON.parse(json.toString("utf8"));
  } catch {
    throw corrupt("malformed");
  }
  if (typeof body !== "object" || body === null) throw corrupt("malformed");
  const { v, index, voters } = body as Record<string, unknown>;
  if (v !== VERSION) throw corrupt("bad-version");
  if (
    typeof index !== "number" ||
    !Number.isSafeInteger(index) ||
    index < 0 ||
    !Array.isArray(voters) ||
    !voters.every((voter): voter is string => typeof voter === "string")
  ) {
    throw corrupt("malformed");
  }
  return { index, conf: { voters: [...voters] } };
}

/** Reads `<dir>/forced-conf`; undefined when the group was never reset. */
export async function loadForcedConf(dir: string): Promise<ForcedConf | undefined> {
  const path = join(dir, FORCED_CONF_FILE);
  await rm(path + TEMP_SUFFIX, { force: true });
  try {
    return decodeForcedConf(await readFile(path), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Replaces `<dir>/forced-conf` durably (temp file, fsync, rename, fsync directory). */
export async function saveForcedConf(
  dir: string,
  fsync: FsyncBatcher,
  forced: ForcedConf,
): Promise<void> {
  const path = join(dir, FORCED_CONF_FILE);
  const temp = path + TEMP_SUFFIX;
  const file = await open(temp, "w");
  try {
    await file.writeFile(encodeForcedConf(forced));
    await fsync.fsync(file);
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await fsync.fsyncDir(dir);
}

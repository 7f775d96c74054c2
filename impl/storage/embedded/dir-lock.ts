/**
 * One embedded store per data directory. Two stores appending to one log would interleave
 * frames and lose writes, so opening takes a lock file holding the owner's pid; a lock left by
 * a process that no longer runs is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { KvError } from "../kv-error.js";

const LOCK_FILE = "LOCK";
/** Directories locked by this process: a pid check cannot tell two stores of one process apart. */
const lockedHere = new Set<string>();

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function createLock(path: string): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Locks `dir` for this process; resolves to the function that unlocks it. */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  if (lockedHere.has(path)) {
    throw new KvError("invalid_argument", `${dir} is already open in this process`);
  }
  if (!(await createLock(path))) {
    const owner = Number((await readFile(path, "utf8")).trim());
    if (Number.isInteger(owner) && owner !== process.pid && running(owner)) {
      throw new KvError("invalid_argument", `${dir} is in use by process ${owner}`);
    }
    await rm(path, { force: true });
    if (!(await createLock(path))) {
      throw new KvError("invalid_argument", `${dir} was locked by another process meanwhile`);
    }
  }
  lockedHere.add(path);
  return async () => {
    lockedHere.delete(path);
    await rm(path, { force: true });
  };
}

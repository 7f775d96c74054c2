/**
 * The SDK's path and inode operations against a real local cluster (MDS + 3 metaservers,
 * embedded store): POSIX semantics of mkdir, open, readdir, symlinks, rename, unlink, rmdir,
 * truncate, setattr, xattrs and statfs, with the errors a user sees.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError, type FileSystem } from "../../impl/client/index.js";
import { type ClientCluster, startClientCluster } from "./client-cluster.js";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);
/** Partition ranges hold 2^20 inode ids (topology.proto). */
const PARTITION_BITS = 20n;

async function errnoOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClientError) return error.code;
    throw error;
  }
  return "no error";
}

async function names(fs: FileSystem, path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of fs.readdir(path)) out.push(entry.name);
  return out;
}

let env: ClientCluster;
let fs: FileSystem;

beforeAll(async () => {
  env = await startClientCluster();
  fs = await env.mountNew("semantics");
});

afterAll(async () => {
  await env?.stop();
});

describe("directories", () => {
  it("mkdir -p creates missing parents and accepts existing ones; plain mkdir says EEXIST", async () => {
    await fs.mkdir("/d1/a/b", { recursive: true });
    await fs.mkdir("/d1/a/b", { recursive: true });
    expect((await fs.stat("/d1/a/b")).kind).toBe("directory");
    expect(await errnoOf(fs.mkdir("/d1/a"))).toBe("EEXIST");
    expect(await errnoOf(fs.mkdir("/missing/x"))).toBe("ENOENT");
  });

  it("a child directory adds one to its parent's nlink", async () => {
    await fs.mkdir("/d2");
    await fs.mkdir("/d2/x");
    await fs.mkdir("/d2/y");
    expect((await fs.stat("/d2")).nlink).toBe(4);
  });

  it("readdir lists every entry once, in name order, across pages", async () => {
    await fs.mkdir("/d3");
    const wanted = Array.from({ length: 11 }, (_, i) => `f${String(i).padStart(2, "0")}`);
    for (const name of wanted) await fs.writeFile(`/d3/${name}`, text(name));
    const listed: string[] = [];
    for await (const entry of fs.readdir("/d3", 3)) listed.push(entry.name);
    expect(listed).toEqual(wanted);
    const sizes: number[] = [];
    for await (const entry of fs.readdirWithStats("/d3", 4)) sizes.push(entry.stats?.size ?? -1);
    expect(sizes).toEqual(wanted.map(() => 3));
  });

  it("rmdir refuses a non-empty directory, a file and the root", async () => {
    await fs.mkdir("/d4/sub", { recursive: true });
    await fs.writeFile("/d4/file", text("x"));
    expect(await errnoOf(fs.rmdir("/d4"))).toBe("ENOTEMPTY");
    expect(await errnoOf(fs.rmdir("/d4/file"))).toBe("ENOTDIR");
    expect(await errnoOf(fs.rmdir("/"))).toBe("EBUSY");
    await fs.rmdir("/d4/sub");
    expect(await fs.exists("/d4/sub")).toBe(false);
    expect((await fs.stat("/d4")).nlink).toBe(2);
  });

  it("a path through a file is ENOTDIR; a name over 255 bytes is ENAMETOOLONG", async () => {
    await fs.writeFile("/plain", text("x"));
    expect(await errnoOf(fs.stat("/plain/below"))).toBe("ENOTDIR");
    expect(await errnoOf(fs.mkdir(`/${"n".repeat(256)}`))).toBe("ENAMETOOLONG");
  });
});

describe("files", () => {
  it("open honours create, exclusive and truncate flags", async () => {
    expect(await errnoOf(fs.open("/f1", "r"))).toBe("ENOENT");
    await fs.writeFile("/f1", text("hello"));
    expect(await errnoOf(fs.open("/f1", "wx"))).toBe("EEXIST");
    expect(await errnoOf(fs.open("/d1", "r"))).toBe("EISDIR");
    const appended = await fs.open("/f1", "a");
    await appended.write(text(" world"));
    await appended.close();
    expect(str(await fs.readFile("/f1"))).toBe("hello world");
    await fs.writeFile("/f1", text("new"));
    expect(str(await fs.readFile("/f1"))).toBe("new");
  });

  it("a handle opened read-only refuses writes (EBADF)", async () => {
    const file = await fs.open("/f1", "r");
    expect(await errnoOf(file.write(text("x"), 0))).toBe("EBADF");
    await file.close();
  });

  it("unlink removes a file, refuses a directory, and the name is free again", async () => {
    await fs.writeFile("/f2", text("data"));
    await fs.unlink("/f2");
    expect(await errnoOf(fs.stat("/f2"))).toBe("ENOENT");
    expect(await errnoOf(fs.unlink("/d1"))).toBe("EISDIR");
    expect(await errnoOf(fs.unlink("/f2"))).toBe("ENOENT");
    await fs.writeFile("/f2", text("again"));
    expect(str(await fs.readFile("/f2"))).toBe("again");
  });

  it("truncate shrinks and grows; grown bytes read as zeros", async () => {
    await fs.writeFile("/t", text("abcdef"));
    await fs.truncate("/t", 3);
    expect(str(await fs.readFile("/t"))).toBe("abc");
    await fs.truncate("/t", 5);
    expect([...(await fs.readFile("/t"))]).toEqual([97, 98, 99, 0, 0]);
  });

  it("setattr changes mode, owner and times and moves ctime", async () => {
    await fs.writeFile("/attrs", text("x"));
    const before = await fs.stat("/attrs");
    const after = await fs.setattr("/attrs", {
      mode: 0o600,
      uid: 1000,
      gid: 100,
      mtimeMs: 1_000_000_000_000,
    });
    expect(after.mode & 0o7777).toBe(0o600);
    expect([after.uid, after.gid]).toEqual([1000, 100]);
    expect(after.mtimeMs).toBe(1_000_000_000_000);
    expect(after.ctimeMs).toBeGreaterThanOrEqual(before.ctimeMs);
    expect((await fs.stat("/attrs")).mode).toBe(0o100600);
  });

  it("extended attributes can be set, read, listed and removed", async () => {
    await fs.writeFile("/x", text("x"));
    await fs.setxattr("/x", "user.b", text("2"));
    await fs.setxattr("/x", "user.a", text("1"));
    expect(await fs.listxattr("/x")).toEqual(["user.a", "user.b"]);
    expect(str(await fs.getxattr("/x", "user.a"))).toBe("1");
    await fs.removexattr("/x", "user.a");
    expect(await errnoOf(fs.getxattr("/x", "user.a"))).toBe("ENODATA");
    expect(await errnoOf(fs.removexattr("/x", "user.a"))).toBe("ENODATA");
  });
});

describe("symlinks", () => {
  it("stat follows, lstat and readlink do not; relative targets resolve from the link", async () => {
    await fs.mkdir("/s/dir", { recursive: true });
    await fs.writeFile("/s/dir/target", text("pointed"));
    await fs.symlink("dir/target", "/s/rel");
    await fs.symlink("/s/dir", "/s/abs");
    expect((await fs.lstat("/s/rel")).kind).toBe("symlink");
    expect((await fs.stat("/s/rel")).kind).toBe("file");
    expect(await fs.readlink("/s/rel")).toBe("dir/target");
    expect(str(await fs.readFile("/s/abs/target"))).toBe("pointed");
    expect(await errnoOf(fs.readlink("/s/dir"))).toBe("EINVAL");
  });

  it("a symlink loop is ELOOP", async () => {
    await fs.symlink("/s/loop2", "/s/loop1");
    await fs.symlink("/s/loop1", "/s/loop2");
    expect(await errnoOf(fs.stat("/s/loop1"))).toBe("ELOOP");
  });
});

describe("rename", () => {
  it("renames within a directory and across directories, keeping the inode", async () => {
    await fs.mkdir("/r1/a", { recursive: true });
    await fs.mkdir("/r1/b");
    await fs.writeFile("/r1/a/file", text("moved"));
    const id = (await fs.stat("/r1/a/file")).inodeId;
    await fs.rename("/r1/a/file", "/r1/a/renamed");
    await fs.rename("/r1/a/renamed", "/r1/b/file");
    expect(await names(fs, "/r1/a")).toEqual([]);
    expect((await fs.stat("/r1/b/file")).inodeId).toBe(id);
    expect(str(await fs.readFile("/r1/b/file"))).toBe("moved");
  });

  it("moving a directory moves its subtree and one link between the parents", async () => {
    await fs.mkdir("/r2/from/tree/leaf", { recursive: true });
    await fs.mkdir("/r2/to");
    await fs.rename("/r2/from/tree", "/r2/to/tree");
    expect((await fs.stat("/r2/to/tree/leaf")).kind).toBe("directory");
    expect((await fs.stat("/r2/from")).nlink).toBe(2);
    expect((await fs.stat("/r2/to")).nlink).toBe(3);
  });

  it("replaces an existing file, whose inode loses its link", async () => {
    await fs.mkdir("/r3");
    await fs.writeFile("/r3/new", text("new"));
    await fs.writeFile("/r3/old", text("old"));
    await fs.rename("/r3/new", "/r3/old");
    expect(await names(fs, "/r3")).toEqual(["old"]);
    expect(str(await fs.readFile("/r3/old"))).toBe("new");
  });

  it("replaces an empty directory but not a non-empty one, nor a file by a directory", async () => {
    await fs.mkdir("/r4/src", { recursive: true });
    await fs.mkdir("/r4/empty");
    await fs.mkdir("/r4/full/child", { recursive: true });
    await fs.writeFile("/r4/file", text("f"));
    expect(await errnoOf(fs.rename("/r4/src", "/r4/full"))).toBe("ENOTEMPTY");
    expect(await errnoOf(fs.rename("/r4/src", "/r4/file"))).toBe("ENOTDIR");
    expect(await errnoOf(fs.rename("/r4/file", "/r4/empty"))).toBe("EISDIR");
    await fs.rename("/r4/src", "/r4/empty");
    expect(await names(fs, "/r4")).toEqual(["empty", "file", "full"]);
    expect((await fs.stat("/r4")).nlink).toBe(4);
  });

  it("refuses to move a directory into itself and reports a missing source", async () => {
    await fs.mkdir("/r5/inner", { recursive: true });
    expect(await errnoOf(fs.rename("/r5", "/r5/inner/r5"))).toBe("EINVAL");
    expect(await errnoOf(fs.rename("/r5/none", "/r5/x"))).toBe("ENOENT");
  });

  it("moves entries between directories of different partitions", async () => {
    await fs.mkdir("/r6");
    const dirs = new Map<bigint, string>();
    for (let i = 0; dirs.size < 2 && i < 40; i++) {
      await fs.mkdir(`/r6/d${i}`);
      const id = (await fs.stat(`/r6/d${i}`)).inodeId;
      dirs.set(id >> PARTITION_BITS, `/r6/d${i}`);
    }
    const [a, b] = [...dirs.values()];
    expect(b).toBeDefined();
    await fs.writeFile(`${a}/f`, text("crossing"));
    await fs.mkdir(`${a}/sub`);
    await fs.rename(`${a}/f`, `${b}/f`);
    await fs.rename(`${a}/sub`, `${b}/sub`);
    expect(await names(fs, a as string)).toEqual([]);
    expect(await names(fs, b as string)).toEqual(["f", "sub"]);
    expect(str(await fs.readFile(`${b}/f`))).toBe("crossing");
    expect((await fs.stat(b as string)).nlink).toBe(3);
  });
});

describe("the file system", () => {
  it("statfs reports the capacity and the bytes written", async () => {
    await fs.writeFile("/df", new Uint8Array(100_000));
    const stats = await fs.statfs();
    expect(stats.capacityBytes).toBe(100n << 30n);
    expect(stats.usedBytes).toBeGreaterThanOrEqual(100_000n);
    expect(stats.partitions).toBeGreaterThan(0);
  });

  it("a second client sees what the first wrote", async () => {
    await fs.mkdir("/shared");
    await fs.writeFile("/shared/note", text("from client 1"));
    const other = await env.newClient();
    const fs2 = await other.mount("semantics", { mountPoint: "/mnt/second" });
    expect(str(await fs2.readFile("/shared/note"))).toBe("from client 1");
    await fs2.writeFile("/shared/reply", text("from client 2"));
    expect(str(await fs.readFile("/shared/reply"))).toBe("from client 2");
    await fs2.umount();
  });

  it("an unknown fs cannot be mounted (ENOENT)", async () => {
    expect(await errnoOf(env.client.mount("nosuchfs", { mountPoint: "/mnt/x" }))).toBe("ENOENT");
  });
});

describe("file system management", () => {
  it("createFs is idempotent, deleteFs refuses a mounted fs and frees the name", async () => {
    const first = await env.client.createFs("mgmt", { s3: env.cluster.s3Info });
    const again = await env.client.createFs("mgmt", { s3: env.cluster.s3Info });
    expect(again.fsId).toBe(first.fsId);
    expect((await env.client.listFs()).map((f) => f.fsName)).toContain("mgmt");
    const mounted = await env.client.mount("mgmt", { mountPoint: "/mnt/mgmt" });
    expect(await errnoOf(env.client.deleteFs("mgmt"))).toBe("EBUSY");
    await mounted.umount();
    await env.client.deleteFs("mgmt");
    expect(await errnoOf(env.client.getFs("mgmt"))).toBe("ENOENT");
  });

  it("a name that breaks the naming rule is EINVAL", async () => {
    expect(await errnoOf(env.client.createFs("Bad_Name", { s3: env.cluster.s3Info }))).toBe(
      "EINVAL",
    );
  });
});

/**
 * Routing over many partitions: with tiny partitions (16 inode ids) and one partition per fs,
 * the client must find partitions read-only, ask the MDS for new ones (CreatePartitions), route
 * every inode and dentry call to the right one, and rename across partitions; a second mount
 * learns the committed rename tx ids through its session refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileSystem } from "../../impl/client/index.js";
import { type ClientCluster, startClientCluster } from "./client-cluster.js";

const IDS_PER_PARTITION = 16n;
const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

let env: ClientCluster;
let fs: FileSystem;

beforeAll(async () => {
  env = await startClientCluster({
    mdsConfig: { partitionsPerFs: 1, inodeIdsPerPartition: Number(IDS_PER_PARTITION) },
  });
  fs = await env.mountNew("tiny");
});

afterAll(async () => {
  await env?.stop();
});

describe("many small partitions", () => {
  it("asks for new partitions once every partition is read-only", {
    timeout: 300_000,
  }, async () => {
    expect((await fs.statfs()).partitions).toBe(1);
    await fs.mkdir("/many");
    for (let i = 0; i < 40; i++) await fs.writeFile(`/many/f${i}`, text(`file ${i}`));
    const partitions = new Set<bigint>();
    for (let i = 0; i < 40; i++) {
      const stats = await fs.stat(`/many/f${i}`);
      partitions.add(stats.inodeId / IDS_PER_PARTITION);
      expect(str(await fs.readFile(`/many/f${i}`))).toBe(`file ${i}`);
    }
    expect(partitions.size).toBeGreaterThanOrEqual(3);
    expect((await fs.statfs()).partitions).toBeGreaterThanOrEqual(3);
  });

  it("renames files and directories between directories of different partitions", {
    timeout: 300_000,
  }, async () => {
    await fs.mkdir("/late/sub", { recursive: true });
    const many = (await fs.stat("/many")).inodeId / IDS_PER_PARTITION;
    const late = (await fs.stat("/late")).inodeId / IDS_PER_PARTITION;
    expect(late).not.toBe(many);
    await fs.rename("/many/f0", "/late/f0");
    await fs.rename("/late/sub", "/many/sub");
    await fs.rename("/many/f1", "/late/f2-replaced");
    await fs.rename("/many/f2", "/late/f2-replaced");
    const listed: string[] = [];
    for await (const entry of fs.readdir("/late")) listed.push(entry.name);
    expect(listed).toEqual(["f0", "f2-replaced"]);
    expect(str(await fs.readFile("/late/f2-replaced"))).toBe("file 2");
    expect((await fs.stat("/many/sub")).kind).toBe("directory");
    expect((await fs.stat("/late")).nlink).toBe(2);
    expect((await fs.stat("/many")).nlink).toBe(3);
  });

  it("a second mount sees another mount's renames after its session refresh", {
    timeout: 300_000,
  }, async () => {
    const other = await env.newClient();
    const fs2 = await other.mount("tiny", { mountPoint: "/mnt/other" });
    await fs2.stat("/many/f3");
    await fs.rename("/many/f3", "/late/f3");
    await fs2.statfs(); // refreshes the session, which brings the partitions' new tx ids
    expect(str(await fs2.readFile("/late/f3"))).toBe("file 3");
    expect(await fs2.exists("/many/f3")).toBe(false);
    await fs2.umount();
  });

  it("records the mount point while mounted and removes it on umount", {
    timeout: 300_000,
  }, async () => {
    const other = await env.newClient();
    const fs2 = await other.mount("tiny", { mountPoint: "/mnt/visible" });
    const paths = (info: { mountpoints: { path: string }[] }) =>
      info.mountpoints.map((m) => m.path);
    expect(paths(await env.client.getFs("tiny"))).toContain("/mnt/visible");
    await fs2.umount();
    expect(paths(await env.client.getFs("tiny"))).not.toContain("/mnt/visible");
  });
});

import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deferred } from "../../../impl/raft/storage/bytes.js";
import { FsyncBatcher } from "../../../impl/raft/storage/fsync-batcher.js";

describe("fsync batcher", () => {
  it("requests for a file whose fsync is queued share that fsync", async () => {
    const dir = await mkdtemp(join(tmpdir(), "curve-raft-fsync-"));
    try {
      const batcher = new FsyncBatcher(1);
      const files = await Promise.all([0, 1].map((k) => open(join(dir, `f${k}`), "w")));
      // The first request starts at once; the next nine for the other file queue behind it.
      const requests = [
        batcher.fsync(files[0]),
        ...Array.from({ length: 9 }, () => batcher.fsync(files[1])),
      ];
      await Promise.all(requests);
      expect(batcher.stats()).toEqual({ requests: 10, fsyncs: 2 });
      await Promise.all(files.map((f) => f.close()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("never runs more fsyncs at once than its limit", async () => {
    const batcher = new FsyncBatcher(2);
    let running = 0;
    let peak = 0;
    const gate = deferred();
    // Reach the private scheduler through fsync() with stand-in handles.
    const handle = () =>
      ({
        datasync: async () => {
          running++;
          peak = Math.max(peak, running);
          await gate.promise;
          running--;
        },
      }) as unknown as Parameters<FsyncBatcher["fsync"]>[0];
    const all = Promise.all(Array.from({ length: 6 }, () => batcher.fsync(handle())));
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    gate.resolve();
    await all;
    expect(peak).toBe(2);
    expect(batcher.stats().fsyncs).toBe(6);
  });

  it("a failed fsync rejects every request that shared it", async () => {
    const batcher = new FsyncBatcher(1);
    const failing = {
      datasync: () => Promise.reject(new Error("EIO")),
    } as unknown as Parameters<FsyncBatcher["fsync"]>[0];
    const blocker = deferred();
    const busy = { datasync: () => blocker.promise } as unknown as typeof failing;
    const first = batcher.fsync(busy);
    const shared = [batcher.fsync(failing), batcher.fsync(failing)];
    blocker.resolve();
    await first;
    for (const request of shared) await expect(request).rejects.toThrow("EIO");
    expect(batcher.stats().fsyncs).toBe(2);
  });
});

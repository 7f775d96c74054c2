/**
 * One place through which a process's Raft storage issues its fsyncs.
 *
 * A metaserver hosts many copysets, each with its own log, hard state and snapshots. Every fsync
 * occupies a libuv threadpool thread (4 by default) for its whole duration; left unbounded, a burst
 * of groups flushing at once fills the pool and starves the reads and writes queued behind it.
 * The batcher caps the fsyncs in flight and coalesces requests for the same target: a request
 * that arrives while an fsync of that target is queued but not yet started shares it, since that
 * fsync will cover every write made before it starts. A request arriving while the target's fsync
 * is already running waits for the next one, which that fsync may not cover.
 *
 * Group commit itself happens one level up (each log turns all appends queued during a flush into
 * one write and one fsync); this is the process-wide half: one budget, one count.
 */
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { type Deferred, deferred } from "./bytes.js";

/** Leaves half of libuv's default pool of 4 free for reads and writes. */
const DEFAULT_MAX_IN_FLIGHT = 2;

export interface FsyncStats {
  /** Calls to `fsync`/`fsyncDir`. */
  readonly requests: number;
  /** fsync system calls actually made. */
  readonly fsyncs: number;
}

interface Job {
  readonly key: unknown;
  readonly run: () => Promise<void>;
  readonly waiters: Deferred<void>[];
}

export class FsyncBatcher {
  private readonly waiting: Job[] = [];
  private readonly waitingByKey = new Map<unknown, Job>();
  private inFlight = 0;
  private requests = 0;
  private fsyncs = 0;

  constructor(private readonly maxInFlight = DEFAULT_MAX_IN_FLIGHT) {}

  /** Makes everything written to `handle` so far durable (fdatasync: data and the file size). */
  fsync(handle: FileHandle): Promise<void> {
    return this.request(handle, () => handle.datasync());
  }

  /** Makes the directory's entries (creates, renames, unlinks) durable. */
  fsyncDir(path: string): Promise<void> {
    return this.request(`dir:${path}`, async () => {
      const dir = await open(path, "r");
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    });
  }

  stats(): FsyncStats {
    return { requests: this.requests, fsyncs: this.fsyncs };
  }

  private request(key: unknown, run: () => Promise<void>): Promise<void> {
    this.requests++;
    let job = this.waitingByKey.get(key);
    if (job === undefined) {
      job = { key, run, waiters: [] };
      this.waitingByKey.set(key, job);
      this.waiting.push(job);
    }
    const done = deferred();
    job.waiters.push(done);
    this.startJobs();
    return done.promise;
  }

  private startJobs(): void {
    while (this.inFlight < this.maxInFlight) {
      const job = this.waiting.shift();
      if (job === undefined) return;
      this.waitingByKey.delete(job.key);
      this.inFlight++;
      this.fsyncs++;
      job
        .run()
        .then(
          () => {
            for (const w of job.waiters) w.resolve();
          },
          (error: unknown) => {
            for (const w of job.waiters) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.startJobs();
        });
    }
  }
}

/**
 * Runs `task` over the items of `source` with at most `limit` tasks in flight, pulling the next
 * item only when a slot is free (so a generator that reads a stream part by part is never read
 * further ahead than the tasks can take).
 *
 * On the first failure, of a task or of the source, no new task starts; the call waits for the
 * tasks already running to settle (so the caller can clean up knowing nothing is in flight) and
 * then rejects with that first error.
 */
export async function runConcurrently<T>(
  source: AsyncIterable<T> | Iterable<T>,
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let index = 0;
  try {
    for await (const item of source) {
      if (failure) break;
      const run: Promise<void> = task(item, index++)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(run));
      running.add(run);
      if (running.size >= limit) await Promise.race(running);
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(running);
  if (failure) throw failure.error;
}

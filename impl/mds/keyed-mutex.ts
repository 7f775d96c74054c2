/**
 * Runs tasks one at a time per key (an fs name, an fs id), in arrival order; different keys run
 * concurrently. In-process only: across MDS processes the fenced compare-and-swap writes keep
 * state consistent; this only spares the leader needless conflicts and retries.
 */
export class KeyedMutex<K> {
  readonly #tails = new Map<K, Promise<unknown>>();

  /** Runs `task` after every earlier task of `key` has settled. */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}

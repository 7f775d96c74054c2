/**
 * Runs async operations one at a time, in call order. A file handle's writes, reads, flushes and
 * truncates go through one queue, so a read sees exactly the writes called before it and a flush
 * never races with a write into the buffer it is uploading.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `operation` after every earlier one settled; a failure does not stop later ones. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation, operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

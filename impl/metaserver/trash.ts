/**
 * The trash of a partition: the inodes whose nlink went to 0 (with their dtime), waiting for
 * the leader's background task to delete their data and then propose TRASH_PURGE_INODE.
 */

/** The keys (inode id − partition start) of the inodes in the trash. */
export class Trash {
  private readonly keys = new Set<number>();

  get size(): number {
    return this.keys.size;
  }

  add(key: number): void {
    this.keys.add(key);
  }

  delete(key: number): void {
    this.keys.delete(key);
  }

  has(key: number): boolean {
    return this.keys.has(key);
  }

  /** The keys in ascending order (a deterministic order for the background task). */
  sortedKeys(): number[] {
    return [...this.keys].sort((a, b) => a - b);
  }

  clear(): void {
    this.keys.clear();
  }
}

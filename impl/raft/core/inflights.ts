/**
 * The flow-control window of one follower in replicate state: the last index of every
 * AppendEntries sent and not yet acknowledged, oldest first. When it is full the leader stops
 * sending entries to that follower until acknowledgements free slots, which bounds the memory
 * and bandwidth one slow follower can claim.
 */
export class Inflights {
  private readonly lastIndexes: number[] = [];

  constructor(readonly capacity: number) {}

  get count(): number {
    return this.lastIndexes.length;
  }

  full(): boolean {
    return this.lastIndexes.length >= this.capacity;
  }

  /** Records a sent message whose last entry is `lastIndex` (increasing across calls). */
  add(lastIndex: number): void {
    if (this.full()) throw new Error("inflights: window is full");
    this.lastIndexes.push(lastIndex);
  }

  /** An acknowledgement up to `index` frees every message that ends at or below it. */
  freeLE(index: number): void {
    let freed = 0;
    while (freed < this.lastIndexes.length && (this.lastIndexes[freed] ?? 0) <= index) freed++;
    this.lastIndexes.splice(0, freed);
  }

  /** Frees the oldest slot, so that one probe can go out through a window clogged by losses. */
  freeFirstOne(): void {
    this.lastIndexes.shift();
  }

  reset(): void {
    this.lastIndexes.length = 0;
  }
}

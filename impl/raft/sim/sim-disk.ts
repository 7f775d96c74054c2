/**
 * A node's simulated disk. `storage` holds exactly what is durable, and is also the core's
 * `LogStorage`: the core reads durable data plus its own unstable tail, never a write in flight.
 *
 * A Ready's writes (snapshot, entries, hard state, in that order: the ready.ts contract) go in
 * flight with `begin` and become durable when the simulator calls `complete`, after a simulated
 * fsync delay. A crash loses whatever is in flight; a torn crash keeps the snapshot and a prefix
 * of the entries but not the hard state written after them, which is what a log with torn-tail
 * recovery keeps when power fails in the middle of the batch.
 */
import {
  type ConfState,
  type Entry,
  type HardState,
  MemoryStorage,
  type SeededRandom,
  type Snapshot,
} from "../core/index.js";
import { chance } from "./sim-network.js";

/** One Ready's worth of writes. */
export interface DiskWrite {
  readonly snapshot: Snapshot | undefined;
  readonly entries: readonly Entry[];
  readonly hardState: HardState | undefined;
}

export class SimDisk {
  readonly storage: MemoryStorage;
  private inFlight: DiskWrite | undefined;

  constructor(conf: ConfState) {
    this.storage = new MemoryStorage(conf);
  }

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  begin(write: DiskWrite): void {
    if (this.inFlight !== undefined) throw new Error("sim disk: a write is already in flight");
    this.inFlight = write;
  }

  /** The write in flight is durable now. */
  complete(): void {
    const write = this.inFlight;
    if (write === undefined) throw new Error("sim disk: no write in flight");
    this.inFlight = undefined;
    this.persist(write, write.entries.length, true);
  }

  /**
   * Power loss: the write in flight is lost, or with probability `tornRate` partly kept.
   * Returns how many of its entries survived.
   */
  crash(random: SeededRandom, tornRate: number): number {
    const write = this.inFlight;
    this.inFlight = undefined;
    if (write === undefined || !chance(random, tornRate)) return 0;
    const kept = random.nextInt(write.entries.length + 1);
    this.persist(write, kept, false);
    return kept;
  }

  private persist(write: DiskWrite, entries: number, hardState: boolean): void {
    if (write.snapshot !== undefined) this.storage.applySnapshot(write.snapshot);
    if (entries > 0) this.storage.append(write.entries.slice(0, entries));
    if (hardState && write.hardState !== undefined) this.storage.setHardState(write.hardState);
  }
}

/**
 * The simulated network between nodes: every message gets a random delay (so messages reorder),
 * may be dropped or duplicated, and is lost when its directed link is cut at delivery time.
 * Partitions are sets of cut directed links: a split into groups, a node isolated, or a single
 * one-way link.
 */
import type { NodeId, SeededRandom } from "../core/index.js";

export interface NetworkFaults {
  /** Probabilities in [0, 1]. */
  readonly dropRate: number;
  readonly duplicateRate: number;
  /** Delays are uniform in [minDelay, maxDelay] (virtual ms)... */
  readonly minDelay: number;
  readonly maxDelay: number;
  /** ...except this share, held up to `longDelay` more (a congested or paused link). */
  readonly longDelayRate: number;
  readonly longDelay: number;
}

/** A healthy network: no loss, short delays (the liveness phase). */
export const CALM: NetworkFaults = {
  dropRate: 0,
  duplicateRate: 0,
  minDelay: 1,
  maxDelay: 10,
  longDelayRate: 0,
  longDelay: 0,
};

export class SimNetwork {
  private readonly cut = new Set<string>();

  constructor(
    private readonly random: SeededRandom,
    public faults: NetworkFaults,
  ) {}

  /** The delays after which copies of a message arrive: none when it is dropped. */
  delays(): number[] {
    const f = this.faults;
    if (chance(this.random, f.dropRate)) return [];
    const copies = chance(this.random, f.duplicateRate) ? 2 : 1;
    const delays: number[] = [];
    for (let i = 0; i < copies; i++) {
      let delay = f.minDelay + this.random.nextInt(f.maxDelay - f.minDelay + 1);
      if (chance(this.random, f.longDelayRate)) delay += this.random.nextInt(f.longDelay + 1);
      delays.push(delay);
    }
    return delays;
  }

  connected(from: NodeId, to: NodeId): boolean {
    return !this.cut.has(`${from}>${to}`);
  }

  get partitioned(): boolean {
    return this.cut.size > 0;
  }

  /** Cuts every link between different groups (both directions). */
  split(groups: readonly (readonly NodeId[])[]): void {
    for (const a of groups) {
      for (const b of groups) {
        if (a === b) continue;
        for (const from of a) for (const to of b) this.cut.add(`${from}>${to}`);
      }
    }
  }

  /** Cuts one direction only: `from` can no longer reach `to`, `to` still reaches `from`. */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  heal(): void {
    this.cut.clear();
  }
}

export function chance(random: SeededRandom, probability: number): boolean {
  return probability > 0 && random.nextInt(1_000_000) < probability * 1_000_000;
}

/**
 * The only source of randomness the core uses (randomized election timeouts). It is injected so
 * that a seed replays a run exactly: the simulator derives one stream per node from its seed.
 */
export interface Random {
  /** A uniformly distributed integer in [0, bound). `bound` is a positive safe integer. */
  nextInt(bound: number): number;
}

/** Golden-ratio increment of the Weyl sequence: visits every 32-bit state once per period. */
const WEYL_STEP = 0x9e3779b9;
const TWO_POW_32 = 2 ** 32;

/**
 * A small seeded generator: a 32-bit Weyl sequence passed through an integer finalizer (the
 * "splitmix" construction). Period 2^32, fast, good enough to spread timeouts and to drive a
 * simulator; not for cryptography.
 */
export class SeededRandom implements Random {
  private state: number;

  /** Any number is a valid seed; the high bits of seeds above 2^32 are folded in. */
  constructor(seed: number) {
    const high = Math.floor(Math.abs(seed) / TWO_POW_32);
    this.state = (seed ^ high) >>> 0;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + WEYL_STEP) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  nextInt(bound: number): number {
    if (!Number.isSafeInteger(bound) || bound <= 0) {
      throw new RangeError(`nextInt bound must be a positive integer, got ${bound}`);
    }
    // Two draws give 53 bits, so large bounds stay uniform too.
    const fraction = (this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11)) / 2 ** 53;
    return Math.floor(fraction * bound);
  }

  /** An independent generator seeded from this one (one stream per node or per concern). */
  fork(): SeededRandom {
    return new SeededRandom(this.nextUint32());
  }
}

/**
 * A latency histogram with HDR-style log-linear buckets: values below 2^precisionBits are exact,
 * above that every power of two is split into 2^precisionBits buckets, so a reported value is
 * within 1/2^precisionBits (0.8 % at the default 7 bits) of a recorded one, whatever its
 * magnitude. Counts live in a sparse map, so a histogram costs a few KiB and merges by adding
 * counts — which is how the figures of several client processes are combined.
 *
 * Values are non-negative numbers in any unit; the harness records microseconds.
 */

/** 7 bits: ≤ 0.8 % relative error with at most 128 buckets per power of two. */
export const DEFAULT_PRECISION_BITS = 7;

/** A histogram as it crosses a process boundary (JSON-safe). */
export interface HistogramSnapshot {
  readonly precisionBits: number;
  /** [bucket index, count] pairs, in increasing index order. */
  readonly buckets: readonly (readonly [number, number])[];
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export class Histogram {
  readonly precisionBits: number;
  readonly #counts = new Map<number, number>();
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;

  constructor(precisionBits = DEFAULT_PRECISION_BITS) {
    if (!Number.isInteger(precisionBits) || precisionBits < 1 || precisionBits > 16) {
      throw new RangeError(`precision bits must be an integer in [1, 16]: ${precisionBits}`);
    }
    this.precisionBits = precisionBits;
  }

  static fromSnapshot(snapshot: HistogramSnapshot): Histogram {
    const histogram = new Histogram(snapshot.precisionBits);
    histogram.#merge(snapshot.buckets, snapshot);
    return histogram;
  }

  get count(): number {
    return this.#count;
  }

  get min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }

  get max(): number {
    return this.#max;
  }

  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  record(value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`a histogram records finite non-negative values: ${value}`);
    }
    const index = bucketIndex(value, this.precisionBits);
    this.#counts.set(index, (this.#counts.get(index) ?? 0) + 1);
    this.#count++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** Adds another histogram's counts (same precision) to this one. */
  add(other: Histogram | HistogramSnapshot): void {
    const snapshot = other instanceof Histogram ? other.snapshot() : other;
    if (snapshot.precisionBits !== this.precisionBits) {
      throw new RangeError(
        `cannot merge histograms of ${snapshot.precisionBits} and ${this.precisionBits} bits`,
      );
    }
    this.#merge(snapshot.buckets, snapshot);
  }

  /**
   * The value at quantile `q` in [0, 1]: the smallest bucket whose cumulative count reaches
   * ceil(q × count), reported as that bucket's midpoint and clamped to the exact min and max.
   * 0 for an empty histogram.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1]: ${q}`);
    if (this.#count === 0) return 0;
    if (q === 1) return this.#max;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (const index of [...this.#counts.keys()].sort((a, b) => a - b)) {
      seen += this.#counts.get(index) ?? 0;
      if (seen >= rank) {
        const { low, high } = bucketBounds(index, this.precisionBits);
        return Math.min(this.#max, Math.max(this.#min, (low + high) / 2));
      }
    }
    return this.#max;
  }

  snapshot(): HistogramSnapshot {
    return {
      precisionBits: this.precisionBits,
      buckets: [...this.#counts.entries()].sort((a, b) => a[0] - b[0]),
      count: this.#count,
      sum: this.#sum,
      min: this.min,
      max: this.#max,
    };
  }

  #merge(
    buckets: readonly (readonly [number, number])[],
    totals: Pick<HistogramSnapshot, "count" | "sum" | "min" | "max">,
  ): void {
    if (totals.count === 0) return;
    for (const [index, count] of buckets) {
      this.#counts.set(index, (this.#counts.get(index) ?? 0) + count);
    }
    this.#count += totals.count;
    this.#sum += totals.sum;
    this.#min = Math.min(this.#min, totals.min);
    this.#max = Math.max(this.#max, totals.max);
  }
}

/**
 * Values below 2^bits have a bucket each (integer part); a value v ≥ 2^bits with
 * 2^(bits+k) ≤ v < 2^(bits+k+1) falls in bucket (k + 1) × 2^bits + (floor(v / 2^k) − 2^bits).
 */
export function bucketIndex(value: number, bits: number): number {
  const linear = 2 ** bits;
  const v = Math.floor(value);
  if (v < linear) return v;
  const shift = Math.floor(Math.log2(v)) - bits;
  // log2 can be off by one at exact powers of two; correct it.
  const k = v >= 2 ** (bits + shift + 1) ? shift + 1 : v < 2 ** (bits + shift) ? shift - 1 : shift;
  const mantissa = Math.floor(v / 2 ** k);
  return (k + 1) * linear + (mantissa - linear);
}

/** The values [low, high) that fall in bucket `index`. */
export function bucketBounds(index: number, bits: number): { low: number; high: number } {
  const linear = 2 ** bits;
  if (index < linear) return { low: index, high: index + 1 };
  const k = Math.floor(index / linear) - 1;
  const mantissa = (index % linear) + linear;
  return { low: mantissa * 2 ** k, high: (mantissa + 1) * 2 ** k };
}

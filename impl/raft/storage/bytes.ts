/**
 * Fixed-width little-endian integers for the on-disk formats. Indexes and terms are JavaScript
 * numbers (safe up to 2^53, see core/types.ts), stored as 64-bit fields so the format never has to
 * change if that bound does.
 */

const TWO_32 = 2 ** 32;

export function writeU64(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt32LE(value % TWO_32, offset);
  buf.writeUInt32LE(Math.floor(value / TWO_32), offset + 4);
}

/** The 64-bit field at `offset`, or undefined when it exceeds Number.MAX_SAFE_INTEGER. */
export function readU64(buf: Buffer, offset: number): number | undefined {
  const value = buf.readUInt32LE(offset + 4) * TWO_32 + buf.readUInt32LE(offset);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A zero-padded decimal for file names, so that names sort in index order. */
export function padIndex(index: number): string {
  return index.toString().padStart(20, "0");
}

/** A promise with its settle functions, for callers that resolve it from elsewhere. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

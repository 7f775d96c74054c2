/**
 * Byte helpers for KvStore keys and values.
 *
 * Keys are ordered bytewise (unsigned, shorter prefix first), as etcd orders them. Strings are
 * stored as UTF-8, whose bytewise order equals code-point order, so string keys sort as expected.
 */

/** A key or value as callers pass it: raw bytes, or a string stored as its UTF-8 encoding. */
export type BytesLike = string | Uint8Array;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The bytes of `input` (UTF-8 for strings). Uint8Arrays are returned as they are, not copied. */
export function toBytes(input: BytesLike): Uint8Array {
  return typeof input === "string" ? encoder.encode(input) : input;
}

/** Decodes UTF-8 bytes; throws a TypeError on invalid UTF-8 rather than inventing characters. */
export function bytesToText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Bytewise comparison: negative when a sorts before b, 0 when equal, positive after. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** True when `key` starts with `prefix`. */
export function hasPrefix(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/**
 * The smallest key that sorts after every key starting with `prefix` (etcd's "range end"), or
 * undefined when no such key exists (empty prefix, or a prefix of only 0xff bytes).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = byte + 1;
      return end;
    }
  }
  return undefined;
}

/** The smallest key that sorts after `key`: `key` followed by one zero byte. */
export function keyAfter(key: Uint8Array): Uint8Array {
  const next = new Uint8Array(key.length + 1);
  next.set(key);
  return next;
}

/** `a` followed by `b`, in a new array. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

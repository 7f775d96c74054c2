/**
 * Dentry names are ordered by the unsigned bytes of their UTF-8 encoding (the spec's listing
 * order). UTF-8 byte order equals code point order, and UTF-16 code units (what JS compares)
 * follow code point order except that surrogates (U+D800–DFFF, the halves of code points above
 * U+FFFF) sort below U+E000–FFFF; the comparison fixes that one case instead of encoding.
 */

function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in UTF-8 byte order. */
export function compareNames(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return x >= 0xd800 && y >= 0xd800 ? codePointRank(x) - codePointRank(y) : x - y;
    }
  }
  return a.length - b.length;
}

/** The index of the first name of sorted `names` strictly after `after`. */
export function firstIndexAfter(names: readonly string[], after: string): number {
  let low = 0;
  let high = names.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareNames(names[mid], after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

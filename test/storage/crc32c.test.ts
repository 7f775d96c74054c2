import { describe, expect, it } from "vitest";
import { crc32c } from "../../impl/storage/crc32c.js";

/** The bit-at-a-time definition, to check the table-driven code against. */
function reference(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe("crc32c", () => {
  it("matches the published check values", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(new Uint8Array())).toBe(0);
  });

  it("matches the bit-at-a-time definition at every length around the 8-byte stride", () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 131 + 7) & 0xff);
    for (let n = 0; n <= bytes.length; n++) {
      expect(crc32c(bytes.subarray(0, n))).toBe(reference(bytes.subarray(0, n)));
    }
  });

  it("continues across pieces", () => {
    const bytes = Buffer.from("the quick brown fox jumps over the lazy dog");
    for (const cut of [0, 1, 9, 20, bytes.length]) {
      expect(crc32c(bytes.subarray(cut), crc32c(bytes.subarray(0, cut)))).toBe(crc32c(bytes));
    }
  });
});

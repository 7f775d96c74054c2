/**
 * The stored form of a space's free map: shards round-trip in either encoding, and the smaller
 * one is chosen (a bitmap for a badly fragmented shard).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FreeExtentMap } from "../../impl/space/free-extent-map.js";
import { decodeShard, encodeShard } from "../../impl/space/space-codec.js";

describe("shard encoding", () => {
  it("round-trips any set of free runs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4096 }),
        fc.array(fc.boolean(), { maxLength: 4096 }),
        fc.nat({ max: 2 ** 40 }),
        (blocks, bits, appliedSeq) => {
          const runs = new FreeExtentMap(
            blocks,
            bits.slice(0, blocks).flatMap((free, b) => (free ? [{ start: b, length: 1 }] : [])),
          ).runs();
          const decoded = decodeShard(encodeShard({ appliedSeq, runs }, blocks), blocks);
          expect(decoded).toEqual({ appliedSeq, runs });
        },
      ),
    );
  });

  it("stores a badly fragmented shard as a bitmap of one bit per block", () => {
    const blocks = 8192;
    const runs = Array.from({ length: blocks / 2 }, (_, i) => ({ start: 2 * i, length: 1 }));
    const encoded = encodeShard({ appliedSeq: 1, runs }, blocks);
    expect(encoded.length).toBeLessThanOrEqual(blocks / 8 + 4);
    expect(decodeShard(encoded, blocks).runs).toEqual(runs);
  });
});

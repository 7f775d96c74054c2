/**
 * Copyset placement (topology.proto, "Placement model"), as pure functions, with fast-check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chooseReplacement,
  type PlacementCandidate,
  placeCopyset,
  placeCopysets,
} from "../../../impl/mds/topology/placement.js";

const candidatesArb: fc.Arbitrary<PlacementCandidate[]> = fc
  .array(fc.record({ zoneId: fc.integer({ min: 1, max: 6 }), copysetCount: fc.nat({ max: 20 }) }), {
    maxLength: 20,
  })
  .map((list) => list.map((c, i) => ({ id: i + 1, ...c })));

function zoneOf(candidates: readonly PlacementCandidate[], id: number): number {
  const found = candidates.find((c) => c.id === id);
  if (!found) throw new Error(`no candidate ${id}`);
  return found.zoneId;
}

function loadOf(candidates: readonly PlacementCandidate[], id: number): number {
  return candidates.find((c) => c.id === id)?.copysetCount ?? Number.NaN;
}

describe("placeCopyset", () => {
  it("puts each replica in a distinct zone, on candidates only, or refuses when zones are too few", () => {
    fc.assert(
      fc.property(candidatesArb, fc.constantFrom(1, 3, 5), (candidates, replicas) => {
        const members = placeCopyset(candidates, replicas);
        const zones = new Set(candidates.map((c) => c.zoneId));
        if (zones.size < replicas) {
          expect(members).toBeUndefined();
          return;
        }
        expect(members).toHaveLength(replicas);
        const chosen = members ?? [];
        expect(new Set(chosen.map((id) => zoneOf(candidates, id))).size).toBe(replicas);
        expect([...chosen].sort((a, b) => a - b)).toEqual(chosen);
      }),
    );
  });

  it("prefers the least loaded servers", () => {
    fc.assert(
      fc.property(candidatesArb, fc.constantFrom(1, 3), (candidates, replicas) => {
        const members = placeCopyset(candidates, replicas);
        if (!members) return;
        const chosenZones = new Set(members.map((id) => zoneOf(candidates, id)));
        const heaviestChosen = Math.max(...members.map((id) => loadOf(candidates, id)));
        for (const id of members) {
          // The lightest server of its zone.
          const zone = zoneOf(candidates, id);
          const lightest = Math.min(
            ...candidates.filter((c) => c.zoneId === zone).map((c) => c.copysetCount),
          );
          expect(loadOf(candidates, id)).toBe(lightest);
        }
        for (const c of candidates) {
          // A zone left out has no server lighter than the heaviest one chosen.
          if (!chosenZones.has(c.zoneId))
            expect(c.copysetCount).toBeGreaterThanOrEqual(heaviestChosen);
        }
      }),
    );
  });

  it("refuses with fewer zones than replicas", () => {
    const candidates = [
      { id: 1, zoneId: 1, copysetCount: 0 },
      { id: 2, zoneId: 1, copysetCount: 0 },
      { id: 3, zoneId: 2, copysetCount: 0 },
    ];
    expect(placeCopyset(candidates, 3)).toBeUndefined();
    expect(placeCopyset(candidates, 1)).toEqual([1]);
  });
});

describe("placeCopysets", () => {
  it("spreads a batch evenly and respects the per-server limit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 10 }),
        (zones, perZone, count, max) => {
          const candidates = Array.from({ length: zones * perZone }, (_, i) => ({
            id: i + 1,
            zoneId: (i % zones) + 1,
            copysetCount: 0,
          }));
          const placed = placeCopysets(candidates, 3, count, max);
          const load = new Map<number, number>();
          for (const members of placed) {
            expect(new Set(members.map((id) => zoneOf(candidates, id))).size).toBe(3);
            for (const id of members) load.set(id, (load.get(id) ?? 0) + 1);
          }
          for (const n of load.values()) expect(n).toBeLessThanOrEqual(max);
          // Stops only when the limit leaves fewer than 3 zones with room.
          if (placed.length < count) {
            const zonesWithRoom = new Set(
              candidates.filter((c) => (load.get(c.id) ?? 0) < max).map((c) => c.zoneId),
            );
            expect(zonesWithRoom.size).toBeLessThan(3);
          }
          const loads = candidates.map((c) => load.get(c.id) ?? 0);
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(
            placed.length < count ? max : Math.ceil((3 * placed.length) / candidates.length) + 1,
          );
        },
      ),
    );
  });
});

describe("chooseReplacement", () => {
  it("picks a non-member in a zone no other member uses, the least loaded one", () => {
    fc.assert(
      fc.property(
        candidatesArb,
        fc.uniqueArray(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 3 }),
        (candidates, members) => {
          const zoneOfMember = new Map(members.map((m) => [m, (m % 6) + 1]));
          const replaced = members[0] as number;
          const target = chooseReplacement(candidates, members, zoneOfMember, replaced);
          const usedZones = new Set(members.slice(1).map((m) => zoneOfMember.get(m)));
          const eligible = candidates.filter(
            (c) => !members.includes(c.id) && !usedZones.has(c.zoneId),
          );
          if (eligible.length === 0) {
            expect(target).toBeUndefined();
            return;
          }
          expect(target).toBeDefined();
          const chosen = eligible.find((c) => c.id === target);
          expect(chosen).toBeDefined();
          expect(chosen?.copysetCount).toBe(Math.min(...eligible.map((c) => c.copysetCount)));
        },
      ),
    );
  });

  it("may use the zone of the member it replaces", () => {
    const candidates = [{ id: 9, zoneId: 3, copysetCount: 0 }];
    const zones = new Map([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(chooseReplacement(candidates, [1, 2, 3], zones, 3)).toBe(9);
    expect(chooseReplacement(candidates, [1, 2, 3], zones, 1)).toBeUndefined();
  });
});

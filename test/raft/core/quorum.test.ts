/**
 * Majority arithmetic, checked as properties over random configurations.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasQuorum, majority, quorumIndex, voteResult } from "../../../impl/raft/core/quorum.js";

const voterIds = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 9,
});

describe("quorum", () => {
  it("the commit index is the largest index that a majority has reached", () => {
    fc.assert(
      fc.property(
        voterIds,
        fc.array(fc.nat({ max: 50 }), { minLength: 9, maxLength: 9 }),
        (voters, raw) => {
          const match = new Map(voters.map((v, i) => [v, raw[i] ?? 0]));
          const index = quorumIndex(voters, (v) => match.get(v) ?? 0);
          const reached = (i: number) => voters.filter((v) => (match.get(v) ?? 0) >= i).length;
          expect(reached(index)).toBeGreaterThanOrEqual(majority(voters.length));
          expect(reached(index + 1)).toBeLessThan(majority(voters.length));
        },
      ),
    );
  });

  it("an election is won with a majority of grants, lost once a majority is out of reach", () => {
    const answer = fc.constantFrom<boolean | undefined>(true, false, undefined);
    fc.assert(
      fc.property(voterIds, fc.array(answer, { minLength: 9, maxLength: 9 }), (voters, answers) => {
        const votes = new Map<string, boolean>();
        voters.forEach((v, i) => {
          const a = answers[i];
          if (a !== undefined) votes.set(v, a);
        });
        const granted = [...votes.values()].filter((v) => v).length;
        const refused = [...votes.values()].filter((v) => !v).length;
        const needed = majority(voters.length);
        const expected =
          granted >= needed ? "won" : voters.length - refused < needed ? "lost" : "pending";
        expect(voteResult(voters, votes)).toBe(expected);
      }),
    );
  });

  it("votes from non-voters do not count", () => {
    expect(
      voteResult(
        ["a", "b", "c"],
        new Map([
          ["x", true],
          ["y", true],
          ["a", true],
        ]),
      ),
    ).toBe("pending");
  });

  it("any majority of a configuration overlaps any majority of one that differs by one voter", () => {
    // The safety argument of single-voter membership changes, checked exhaustively for small sets.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.boolean(), (size, add) => {
        const before = Array.from({ length: size }, (_, i) => `n${i}`);
        if (!add && size === 1) return;
        const after = add ? [...before, "new"] : before.slice(1);
        for (const a of majorities(before)) {
          for (const b of majorities(after)) {
            expect(
              a.some((id) => b.includes(id)),
              `${a} / ${b}`,
            ).toBe(true);
          }
        }
      }),
    );
  });

  it("the leader keeps its quorum exactly while a majority is active", () => {
    fc.assert(
      fc.property(
        voterIds,
        fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
        (voters, active) => {
          const isActive = (v: string) => active[voters.indexOf(v)] === true;
          const count = voters.filter(isActive).length;
          expect(hasQuorum(voters, isActive)).toBe(count >= majority(voters.length));
        },
      ),
    );
  });

  it("an empty configuration reaches nothing", () => {
    expect(quorumIndex([], () => 5)).toBe(0);
  });
});

/** Every minimal majority (subset of exactly majority size) of `voters`. */
function majorities(voters: readonly string[]): string[][] {
  const need = majority(voters.length);
  const result: string[][] = [];
  const pick = (start: number, chosen: string[]) => {
    if (chosen.length === need) {
      result.push(chosen);
      return;
    }
    for (let i = start; i < voters.length; i++) pick(i + 1, [...chosen, voters[i] as string]);
  };
  pick(0, []);
  return result;
}

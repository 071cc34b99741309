import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/rng.js';
import { type AllocationGroup, allocateExact, allocateGreedy } from '../../src/search/allocation.js';

const CANDIDATES = [1, 2, 4, 8];

/** Every assignment of widths to groups: the answer the DP must equal. */
function bruteForce(groups: AllocationGroup[], budget: number): number {
  const total = groups.reduce((n, g) => n + g.count, 0);
  let best = Infinity;
  const visit = (g: number, used: number, cost: number) => {
    if (g === groups.length) {
      if (used <= budget * total * (1 + 1e-9)) best = Math.min(best, cost);
      return;
    }
    CANDIDATES.forEach((bits, k) => visit(g + 1, used + groups[g].count * bits, cost + groups[g].cost[k]));
  };
  visit(0, 0, 0);
  return best;
}

function randomProblem(rng: () => number): { groups: AllocationGroup[]; budget: number } {
  const groups = Array.from({ length: 2 + Math.floor(rng() * 4) }, () => ({
    count: 1 + Math.floor(rng() * 50),
    // Not monotone in bits on purpose: a 2-bit quantizer can be worse than a 1-bit one.
    cost: CANDIDATES.map(() => rng() * 10),
  }));
  return { groups, budget: 1 + rng() * 7 };
}

const averageOf = (groups: AllocationGroup[], bits: number[]) => groups.reduce((s, g, i) => s + g.count * bits[i], 0) / groups.reduce((n, g) => n + g.count, 0);

describe('exact allocation (dynamic programme)', () => {
  it('equals brute force on 200 small random problems and stays within budget', () => {
    const rng = makeRng('dp');
    for (let trial = 0; trial < 200; trial++) {
      const { groups, budget } = randomProblem(rng);
      const allocation = allocateExact(groups, CANDIDATES, budget);
      expect(allocation.cost).toBeCloseTo(bruteForce(groups, budget), 9);
      expect(averageOf(groups, allocation.bits)).toBeLessThanOrEqual(budget * (1 + 1e-9));
      expect(allocation.averageBits).toBeCloseTo(averageOf(groups, allocation.bits), 12);
      expect(allocation.cost).toBeCloseTo(
        groups.reduce((s, g, i) => s + g.cost[CANDIDATES.indexOf(allocation.bits[i])], 0),
        9,
      );
    }
  });

  it('meets a budget equal to the lowest width exactly, and refuses one below it', () => {
    const groups = [
      { count: 3, cost: [5, 4, 3, 2] },
      { count: 7, cost: [1, 1, 1, 1] },
    ];
    expect(allocateExact(groups, CANDIDATES, 1).bits).toEqual([1, 1]);
    expect(() => allocateExact(groups, CANDIDATES, 0.9)).toThrow('budget 0.900 average bits is below the lowest width 1');
  });
});

describe('greedy allocation (per-row)', () => {
  it('stays within budget and never costs more than all-lowest on random problems', () => {
    const rng = makeRng('greedy');
    for (let trial = 0; trial < 200; trial++) {
      const { groups, budget } = randomProblem(rng);
      const allocation = allocateGreedy(groups, CANDIDATES, budget);
      expect(averageOf(groups, allocation.bits)).toBeLessThanOrEqual(budget * (1 + 1e-9));
      expect(allocation.cost).toBeLessThanOrEqual(groups.reduce((s, g) => s + g.cost[0], 0) + 1e-12);
      expect(allocation.cost).toBeGreaterThanOrEqual(bruteForce(groups, budget) - 1e-9);
    }
  });

  it('buys the most cost reduction per bit first, skipping a width that does not help', () => {
    // Row a: 2 bits is worse than 1, 4 bits is much better. Row b: small gains. Budget: one row at 4 bits.
    const groups = [
      { count: 1, cost: [10, 12, 1, 0.5] },
      { count: 1, cost: [3, 2, 1.5, 1] },
    ];
    expect(allocateGreedy(groups, CANDIDATES, 2.5).bits).toEqual([4, 1]);
  });
});

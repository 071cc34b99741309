import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/rng.js';
import { minimizeSwarm, SWARM_COEFFICIENTS } from '../../src/search/pso.js';

const options = { ...SWARM_COEFFICIENTS, particles: 10, iterations: 25 };
const box = (lo: number, hi: number) => ({ lower: [lo, lo, lo, lo], upper: [hi, hi, hi, hi] });
const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);

// Separable, with its minimum 0 at (3, -2, 0, 5): one coordinate on the box's wall.
const TARGET = [3, -2, 0, 5];
const quadratic = (x: number[]) => x.reduce((s, xi, i) => s + (i + 1) * (xi - TARGET[i]) ** 2, 0);

// Unconstrained minimum (4, 4, 4, 4); under sum(x) <= 8 the minimum is (2, 2, 2, 2): with d = x - 2 summing
// to 0, sum (x_i - 4)^2 = sum d_i^2 + 16.
const spread = (x: number[]) => x.reduce((s, xi) => s + (xi - 4) ** 2, 0);
const penalized = (penalty: number) => (x: number[]) => spread(x) + penalty * Math.max(0, sum(x) - 8);

const SEEDS = Array.from({ length: 10 }, (_, i) => i);

describe('particle swarm over integer vectors', () => {
  it('finds the minimum of a separable quadratic from every seed', () => {
    for (const seed of SEEDS) {
      const result = minimizeSwarm(quadratic, box(-5, 5), options, makeRng(seed));
      expect(result.best).toEqual(TARGET);
      expect(result.value).toBe(0);
    }
  });

  it('with a penalty, stays within the budget from every seed and finds the constrained minimum from most', () => {
    // A heuristic on a ridge: a step along sum(x) = 8 moves two coordinates at once, so a few seeds stop one swap short.
    const results = SEEDS.map((seed) => minimizeSwarm(penalized(100), box(0, 7), { ...options, particles: 20, iterations: 30 }, makeRng(seed)));
    for (const r of results) expect(sum(r.best)).toBeLessThanOrEqual(8);
    const exact = results.filter((r) => r.value === 16);
    for (const r of exact) expect(r.best).toEqual([2, 2, 2, 2]);
    expect(exact.length).toBeGreaterThanOrEqual(6);
  });

  it('without the penalty, goes over the budget to the unconstrained minimum', () => {
    expect(minimizeSwarm(penalized(0), box(0, 7), options, makeRng('a')).best).toEqual([4, 4, 4, 4]);
  });

  it('evaluates only integer points in the box, and its best value per iteration never rises', () => {
    const seen: number[][] = [];
    const result = minimizeSwarm(
      (x) => {
        seen.push(x);
        return quadratic(x);
      },
      box(-5, 5),
      options,
      makeRng('box'),
    );
    expect(seen).toHaveLength(options.particles * options.iterations);
    for (const x of seen) for (const xi of x) expect(Number.isInteger(xi) && xi >= -5 && xi <= 5).toBe(true);
    expect(result.history).toHaveLength(options.iterations);
    result.history.slice(1).forEach((v, i) => expect(v).toBeLessThanOrEqual(result.history[i]));
  });

  it('searches the same points with the same seed, others with another', () => {
    const trace = (seed: string) => {
      const seen: number[][] = [];
      const result = minimizeSwarm(
        (x) => {
          seen.push(x);
          return spread(x);
        },
        box(0, 7),
        { ...options, iterations: 5 },
        makeRng(seed),
      );
      return { seen, result };
    };
    expect(trace('same')).toEqual(trace('same'));
    expect(trace('other').seen).not.toEqual(trace('same').seen);
  });
});

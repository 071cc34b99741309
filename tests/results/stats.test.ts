import { describe as suite, expect, it } from 'vitest';
import { describe, regularizedIncompleteBeta, studentTQuantile } from '../../src/results/stats.js';

suite('studentTQuantile', () => {
  it.each([
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [10, 2.2281],
    [30, 2.0423],
  ])('t(0.975, %i) = %f', (df, expected) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(expected, 4);
  });

  it('tends to the normal quantile 1.95996 for large df', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 5);
  });

  it('matches other tabulated quantiles and is symmetric', () => {
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.0321, 4);
    expect(studentTQuantile(0.9, 3)).toBeCloseTo(1.6377, 4);
    expect(studentTQuantile(0.025, 4)).toBe(-studentTQuantile(0.975, 4));
    // df = 2 has the closed form t = (2p − 1) / √(2p(1 − p)), here deep in the tail.
    const p = 0.9999999;
    expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 3);
  });

  it('rejects p outside (0, 1) and non-positive or infinite df', () => {
    for (const [p, df] of [
      [0, 3],
      [1, 3],
      [0.5, 0],
      [0.5, Infinity],
      [NaN, 3],
    ]) {
      expect(() => studentTQuantile(p, df)).toThrow(RangeError);
    }
  });
});

suite('regularizedIncompleteBeta', () => {
  it('matches closed forms', () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 12);
    // I_x(a, 1) = x^a, on both sides of the continued fraction's switch point.
    expect(regularizedIncompleteBeta(0.2, 3, 1)).toBeCloseTo(0.008, 12);
    expect(regularizedIncompleteBeta(0.9, 3, 1)).toBeCloseTo(0.729, 12);
  });
});

suite('describe', () => {
  it('is all null for no values', () => {
    expect(describe([])).toEqual({ n: 0, mean: null, std: null, ci95: null });
  });

  it('has a mean but no spread for one value', () => {
    expect(describe([0.7])).toEqual({ n: 1, mean: 0.7, std: null, ci95: null });
  });

  it('uses the sample standard deviation and a Student-t half-width', () => {
    const { n, mean, std, ci95 } = describe([0.8, 0.9, 1.0]);
    expect(n).toBe(3);
    expect(mean).toBeCloseTo(0.9, 12);
    expect(std).toBeCloseTo(0.1, 12);
    expect(ci95).toBeCloseTo((4.3027 * 0.1) / Math.sqrt(3), 4);
  });
});

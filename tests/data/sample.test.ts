import { describe, expect, it } from 'vitest';
import { capRows, classQuotas, ROWS_PER_CLASS, rareClassWarnings } from '../../src/data/sample.js';
import { makeRng } from '../../src/rng.js';

// 1000 rows in 4 classes, one of them rare (5 rows), as in a heavily imbalanced multi-class set.
const counts = { a: 700, b: 250, c: 45, d: 5 };
const labels = Object.entries(counts).flatMap(([label, n]) => Array<string>(n).fill(label));
const rows = labels.map((_, i) => i);
const countOf = (kept: number[]) => Object.fromEntries(Object.keys(counts).map((l) => [l, kept.filter((i) => labels[i] === l).length]));

describe('row caps', () => {
  it('stratified: proportional per class, every class keeps enough rows for each split', () => {
    const kept = capRows(rows, 100, labels, makeRng('cap'));
    expect(kept).toHaveLength(100);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    const perClass = countOf(kept);
    expect(perClass.d).toBe(ROWS_PER_CLASS);
    // c's share is 4.5 rows; the rows d is raised by come out of the remainders, so c keeps 4.
    expect(perClass.c).toBe(4);
    expect(perClass.a + perClass.b).toBe(100 - ROWS_PER_CLASS - 4);
    expect(Math.abs(perClass.a - 70)).toBeLessThanOrEqual(3);
  });

  it('random: a uniform draw of the cap, which can lose a rare class', () => {
    const kept = capRows(rows, 100, null, makeRng('cap'));
    expect(kept).toHaveLength(100);
    expect(new Set(kept).size).toBe(100);
  });

  it('are reproducible with the same rng seed', () => {
    expect(capRows(rows, 100, labels, makeRng('s'))).toEqual(capRows(rows, 100, labels, makeRng('s')));
    expect(capRows(rows, 100, labels, makeRng('s'))).not.toEqual(capRows(rows, 100, labels, makeRng('t')));
  });

  it('quotas add up to the cap and never exceed a class', () => {
    for (const cap of [4, 12, 57, 999]) {
      const quota = classQuotas([700, 250, 45, 5], cap);
      expect(quota.reduce((a, b) => a + b, 0)).toBe(cap);
      quota.forEach((q, k) => expect(q).toBeLessThanOrEqual([700, 250, 45, 5][k]));
    }
    expect(classQuotas([10, 2], 6)).toEqual([4, 2]);
  });

  it('warn about a class with fewer rows than splits', () => {
    expect(rareClassWarnings(['x', 'x', 'x', 'y', 'z', 'z'])).toEqual([
      'class "y" has 1 row(s) in use: fewer than one per split (train, validation, test)',
      'class "z" has 2 row(s) in use: fewer than one per split (train, validation, test)',
    ]);
    expect(rareClassWarnings(['x', 'x', 'x'])).toEqual([]);
  });
});

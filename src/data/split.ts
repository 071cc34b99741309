import { shuffleInPlace, type Rng } from '../rng.js';

/** Row indices of each split, each list ascending. */
export interface SplitIndices {
  train: number[];
  val: number[];
  test: number[];
}

/** Train / validation / test fractions, non-negative and summing to 1. */
export type Fractions = readonly [number, number, number];

export const DEFAULT_FRACTIONS: Fractions = [0.7, 0.15, 0.15];

/**
 * Sizes of the three parts of m items. Validation and test are rounded and training takes the rest; once m >= 3,
 * a part with a positive fraction gets at least one item so small classes or short series still reach every split.
 */
export function partSizes(m: number, fractions: Fractions): [number, number, number] {
  const part = (f: number) => (f > 0 && m >= 3 ? Math.max(1, Math.round(m * f)) : Math.round(m * f));
  const val = part(fractions[1]);
  const test = part(fractions[2]);
  return [m - val - test, val, test];
}

function cut(items: number[], sizes: [number, number, number], into: SplitIndices): void {
  items.forEach((row, k) => (k < sizes[0] ? into.train : k < sizes[0] + sizes[1] ? into.val : into.test).push(row));
}

function sorted(split: SplitIndices): SplitIndices {
  const asc = (a: number, b: number) => a - b;
  return { train: split.train.sort(asc), val: split.val.sort(asc), test: split.test.sort(asc) };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function randomSplit(n: number, fractions: Fractions, rng: Rng): SplitIndices {
  const rows = range(n);
  shuffleInPlace(rows, rng);
  const out: SplitIndices = { train: [], val: [], test: [] };
  cut(rows, partSizes(n, fractions), out);
  return sorted(out);
}

/** Shuffles and cuts each class separately so every split keeps the class proportions. */
export function stratifiedSplit(labels: readonly string[], fractions: Fractions, rng: Rng): SplitIndices {
  const byClass = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const rows = byClass.get(label);
    if (rows) rows.push(i);
    else byClass.set(label, [i]);
  });
  const out: SplitIndices = { train: [], val: [], test: [] };
  // Classes in sorted order so the rng stream does not depend on which class happens to come first in the file.
  for (const label of [...byClass.keys()].sort()) {
    const rows = byClass.get(label)!;
    shuffleInPlace(rows, rng);
    cut(rows, partSizes(rows.length, fractions), out);
  }
  return sorted(out);
}

/**
 * Shuffles the distinct keys and hands whole groups out in that order: a group goes to the split in which the
 * midpoint of its rows falls on the cumulative train | val | test row targets, so row fractions track the targets.
 */
function assignGroups<K>(keys: readonly K[], fractions: Fractions, rng: Rng): SplitIndices {
  const members = new Map<K, number[]>();
  keys.forEach((key, i) => {
    const rows = members.get(key);
    if (rows) rows.push(i);
    else members.set(key, [i]);
  });
  const groups = [...members.values()];
  shuffleInPlace(groups, rng);
  const trainEnd = keys.length * fractions[0];
  const valEnd = keys.length * (fractions[0] + fractions[1]);
  let assigned = 0;
  const part = groups.map((rows): number => {
    const mid = assigned + rows.length / 2;
    assigned += rows.length;
    return mid <= trainEnd ? 0 : mid <= valEnd ? 1 : 2;
  });
  // As in partSizes: with 3 or more groups, a part with a positive fraction gets at least one,
  // taken from training (the last training group in shuffled order).
  for (const p of [1, 2]) {
    if (groups.length >= 3 && fractions[p] > 0 && !part.includes(p)) part[part.lastIndexOf(0)] = p;
  }
  const out: SplitIndices = { train: [], val: [], test: [] };
  groups.forEach((rows, g) => (part[g] === 0 ? out.train : part[g] === 1 ? out.val : out.test).push(...rows));
  return sorted(out);
}

/** No group key appears in two splits. */
export function groupedSplit(groups: readonly string[], fractions: Fractions, rng: Rng): SplitIndices {
  return assignGroups(groups, fractions, rng);
}

/**
 * Orders rows by `order` (ties by row index), cuts them into consecutive blocks of blockRows (the last may be
 * shorter) and assigns whole blocks at random, so each split is a set of contiguous stretches of time.
 */
export function timeBlockSplit(order: readonly number[], blockRows: number, fractions: Fractions, rng: Rng): SplitIndices {
  const byTime = range(order.length).sort((a, b) => order[a] - order[b] || a - b);
  const block = new Array<number>(order.length);
  byTime.forEach((row, rank) => {
    block[row] = Math.floor(rank / blockRows);
  });
  return assignGroups(block, fractions, rng);
}

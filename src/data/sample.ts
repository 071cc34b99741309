import { shuffleInPlace, type Rng } from '../rng.js';

/** Rows a class needs so that a stratified split can give each of train, validation and test one. */
export const ROWS_PER_CLASS = 3;

/** Indices of `rows` by label, classes in sorted order so the rng stream does not depend on the file's order. */
function byClass(rows: readonly number[], labels: readonly string[]): number[][] {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const group = groups.get(labels[i]);
    if (group) group.push(row);
    else groups.set(labels[i], [row]);
  });
  return [...groups.keys()].sort().map((label) => groups.get(label)!);
}

/**
 * How many rows of each class a cap of `cap` rows keeps: proportional (largest remainders), but at
 * least ROWS_PER_CLASS of a class that has them, taken from the classes with the most to spare.
 */
export function classQuotas(counts: readonly number[], cap: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (cap * c) / total);
  const quota = exact.map((e, k) => Math.max(Math.floor(e), Math.min(counts[k], ROWS_PER_CLASS)));
  const byRemainder = counts.map((_, k) => k).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || a - b);
  let sum = quota.reduce((a, b) => a + b, 0);
  for (let i = 0; sum < cap; i = (i + 1) % byRemainder.length) {
    const k = byRemainder[i];
    if (quota[k] < counts[k]) {
      quota[k]++;
      sum++;
    }
  }
  while (sum > cap) {
    const spare = quota.map((q, k) => q - Math.min(counts[k], ROWS_PER_CLASS));
    const k = spare.indexOf(Math.max(...spare));
    quota[k]--;
    sum--;
  }
  return quota;
}

/**
 * At most `cap` of `rows` (ascending). Without labels a uniform sample; with labels (a classification
 * target) a stratified one, so that a rare class is not lost to the draw.
 */
export function capRows(rows: readonly number[], cap: number, labels: readonly string[] | null, rng: Rng): number[] {
  if (cap >= rows.length) return [...rows];
  const asc = (a: number, b: number) => a - b;
  const shuffled = (items: number[]) => {
    shuffleInPlace(items, rng);
    return items;
  };
  if (!labels)
    return shuffled([...rows])
      .slice(0, cap)
      .sort(asc);
  const classes = byClass(rows, labels);
  const quotas = classQuotas(
    classes.map((c) => c.length),
    cap,
  );
  return classes.flatMap((members, k) => shuffled(members).slice(0, quotas[k])).sort(asc);
}

/** One line per class with too few rows in use for every split to get one. */
export function rareClassWarnings(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n < ROWS_PER_CLASS)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, n]) => `class "${label}" has ${n} row(s) in use: fewer than one per split (train, validation, test)`);
}

import { DataError } from './csv.js';
import type { SplitIndices } from './split.js';
import { targetLabeler } from './target.js';
import type { DatasetDefinition, FeatureGroup, FeatureTransform, FittedPreprocessing, PreparedDataset, SplitData } from './types.js';

export type PreprocessSpec = Pick<DatasetDefinition, 'task' | 'target' | 'numeric' | 'categorical' | 'missing'> &
  Partial<Pick<DatasetDefinition, 'name' | 'targetMap' | 'oneHotGroups'>>;

/** The rows in use (after dropping and sampling); split indices point into `rows`. */
export interface UsedRows {
  file: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** 1-based data-row number in the file of each used row, for error messages; default i + 1. */
  rowNumbers?: readonly number[];
}

export type Preprocessed = Pick<PreparedDataset, 'featureNames' | 'classes' | 'targetScale' | 'preprocessing' | 'train' | 'val' | 'test'>;

/** The category a missing categorical cell is given. */
export const MISSING_CATEGORY = '__missing__';

/** Population mean and standard deviation (divide by n); a constant column gets std 1 so it maps to 0. */
function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
}

function median(values: number[]): number {
  if (values.length === 0) return 0; // nothing observed in training: impute 0, the indicator still carries the signal
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** NaN for anything that is not a finite number; True/False (any case) are 1/0. `cell` is non-empty. */
function parseNumber(cell: string): number {
  const lower = cell.toLowerCase();
  if (lower === 'true') return 1;
  if (lower === 'false') return 0;
  const v = Number(cell);
  return Number.isFinite(v) ? v : NaN;
}

/** Trimmed cells of named columns of the used rows, with error messages that name file, row and column. */
function cellReader(data: UsedRows, missingValues: readonly string[]) {
  const missing = new Set(['', ...missingValues]);
  const where = (i: number, name: string) => `${data.file}: row ${data.rowNumbers?.[i] ?? i + 1}, column "${name}"`;
  const columnIndex = (names: readonly string[]) => {
    const absent = names.filter((name) => !data.header.includes(name));
    if (absent.length > 0) throw new DataError(`${data.file}: missing required column(s): ${[...new Set(absent)].join(', ')}`);
    return names.map((name) => data.header.indexOf(name));
  };
  /** NaN for a missing cell; a cell that is neither missing nor a number is an error. */
  const number = (i: number, name: string, cell: string) => {
    if (missing.has(cell)) return NaN;
    const v = parseNumber(cell);
    if (Number.isNaN(v)) throw new DataError(`${where(i, name)}: "${cell}" is not a number`);
    return v;
  };
  const cells = (name: string) => {
    const [j] = columnIndex([name]);
    return data.rows.map((r) => r[j].trim());
  };
  return { missing, where, columnIndex, number, cells, numbers: (name: string) => Float64Array.from(cells(name), (cell, i) => number(i, name, cell)) };
}

/** Feature names a transform writes, in order. */
function transformNames(t: FeatureTransform): string[] {
  if (t.kind === 'categorical') return t.categories.map((c) => `${t.column}=${c}`);
  return t.missingIndicator ? [t.column, `${t.column}__missing`] : [t.column];
}

export function featureNames(p: FittedPreprocessing): string[] {
  return p.transforms.flatMap(transformNames);
}

/**
 * The raw features as feature columns, in feature order (a transformer's tokens): one group per
 * transform, except that a declared one-hot group of numeric 0/1 columns is one categorical feature.
 */
export function featureGroups(p: FittedPreprocessing): FeatureGroup[] {
  const groupOf = new Map((p.oneHotGroups ?? []).flatMap((g) => g.columns.map((column) => [column, g] as const)));
  const out: FeatureGroup[] = [];
  for (const t of p.transforms) {
    const group = groupOf.get(t.column);
    const columns = transformNames(t).length;
    if (!group) out.push({ name: t.column, kind: t.kind, columns });
    else if (group.columns[0] === t.column) out.push({ name: group.name, kind: 'categorical', columns });
    else out[out.length - 1].columns += columns;
  }
  return out;
}

/** Every used row must have exactly one 1 among a one-hot group's columns, the others 0: a transformer reads the 1 as its category. */
function checkOneHot(read: ReturnType<typeof cellReader>, rows: number, name: string, columns: readonly string[]): void {
  const values = columns.map((column) => read.numbers(column));
  for (let i = 0; i < rows; i++) {
    const hot = values.filter((v) => v[i] === 1).length;
    const other = values.findIndex((v) => v[i] !== 0 && v[i] !== 1);
    if (other >= 0) throw new DataError(`${read.where(i, columns[other])}: one-hot group "${name}" holds ${values[other][i]}, not 0 or 1`);
    if (hot !== 1) throw new DataError(`${read.where(i, columns[0])}: one-hot group "${name}" has ${hot} columns at 1 in this row, not exactly one`);
  }
}

/**
 * The one path from raw cells to model features, for the training splits and for scoring new rows:
 * `rows` (indices into data.rows) become a row-major [rows, features] matrix.
 */
export function encodeRows(p: FittedPreprocessing, data: UsedRows, rows: readonly number[]): Float32Array {
  const read = cellReader(data, p.missing);
  const columns = read.columnIndex(p.transforms.map((t) => t.column));
  const slots = p.transforms.map((t) => (t.kind === 'categorical' ? new Map(t.categories.map((c, k) => [c, k])) : null));
  const widths = p.transforms.map((t) => transformNames(t).length);
  const width = widths.reduce((a, b) => a + b, 0);
  const x = new Float32Array(rows.length * width);
  rows.forEach((row, k) => {
    let at = k * width;
    p.transforms.forEach((t, c) => {
      const cell = data.rows[row][columns[c]].trim();
      if (t.kind === 'numeric') {
        const v = read.number(row, t.column, cell);
        // A column that had no missing value in the data has no indicator: a missing cell is still imputed.
        x[at] = ((Number.isNaN(v) ? t.median : v) - t.mean) / t.std;
        if (t.missingIndicator) x[at + 1] = Number.isNaN(v) ? 1 : 0;
      } else {
        const slot = slots[c]!.get(read.missing.has(cell) ? MISSING_CATEGORY : cell);
        if (slot !== undefined) x[at + slot] = 1; // unseen in training: all zeros
      }
      at += widths[c];
    });
  });
  return x;
}

function fitNumeric(column: string, values: Float64Array, train: readonly number[]): FeatureTransform {
  const med = median(train.map((i) => values[i]).filter((v) => !Number.isNaN(v)));
  const { mean, std } = meanStd(train.map((i) => (Number.isNaN(values[i]) ? med : values[i])));
  // Decided on all used rows, not the training split, so the feature set does not depend on the split seed.
  return { kind: 'numeric', column, mean, std, median: med, missingIndicator: values.some(Number.isNaN) };
}

function fitCategorical(column: string, values: readonly string[], train: readonly number[]): FeatureTransform {
  return { kind: 'categorical', column, categories: [...new Set(train.map((i) => values[i]))].sort() };
}

/** Numeric-looking labels in numeric order ("2" before "10"), otherwise plain string order. */
function sortLabels(labels: string[]): string[] {
  const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (!labels.every((l) => Number.isFinite(Number(l)))) return labels.sort(byString);
  return labels.sort((a, b) => Number(a) - Number(b) || byString(a, b));
}

/** Fits every transformation on the training rows only, then encodes all three splits. */
export function preprocess(spec: PreprocessSpec, data: UsedRows, split: SplitIndices): Preprocessed {
  if (split.train.length === 0) throw new DataError(`${data.file}: the training split is empty`);
  const read = cellReader(data, spec.missing);
  const oneHotGroups = Object.entries(spec.oneHotGroups ?? {}).map(([name, columns]) => ({ name, columns: [...columns] }));
  for (const group of oneHotGroups) checkOneHot(read, data.rows.length, group.name, group.columns);
  const preprocessing: FittedPreprocessing = {
    missing: [...spec.missing],
    transforms: [
      ...spec.numeric.map((name) => fitNumeric(name, read.numbers(name), split.train)),
      ...spec.categorical.map((name) =>
        fitCategorical(
          name,
          read.cells(name).map((c) => (read.missing.has(c) ? MISSING_CATEGORY : c)),
          split.train,
        ),
      ),
    ],
    // Only when declared, so that the saved preprocessing of every other dataset is what it was.
    ...(oneHotGroups.length > 0 ? { oneHotGroups } : {}),
  };

  let y: Float64Array;
  let classes: string[] = [];
  let targetScale: Preprocessed['targetScale'] = null;
  if (spec.task === 'classification') {
    const rawTarget = read.cells(spec.target);
    rawTarget.forEach((cell, i) => {
      if (read.missing.has(cell)) throw new DataError(`${read.where(i, spec.target)}: target is missing`);
    });
    const labels = rawTarget.map(targetLabeler({ name: spec.name ?? data.file, targetMap: spec.targetMap }));
    classes = sortLabels([...new Set(labels)]);
    if (classes.length < 2)
      throw new DataError(`${data.file}: the target "${spec.target}" has a single class ("${classes[0]}") in the rows used: nothing to classify`);
    const index = new Map(classes.map((c, k) => [c, k]));
    y = Float64Array.from(labels, (c) => index.get(c)!);
  } else {
    const values = read.numbers(spec.target);
    const i = values.findIndex(Number.isNaN);
    if (i >= 0) throw new DataError(`${read.where(i, spec.target)}: target is missing`);
    targetScale = meanStd(split.train.map((r) => values[r]));
    const { mean, std } = targetScale;
    y = values.map((v) => (v - mean) / std);
  }

  const build = (rows: readonly number[]): SplitData => ({
    n: rows.length,
    x: encodeRows(preprocessing, data, rows),
    y: Float32Array.from(rows, (row) => y[row]),
  });
  return {
    featureNames: featureNames(preprocessing),
    classes,
    targetScale,
    preprocessing,
    train: build(split.train),
    val: build(split.val),
    test: build(split.test),
  };
}

import { DataError } from './csv.js';
import type { SplitIndices } from './split.js';
import type { DatasetDefinition, PreparedDataset, SplitData } from './types.js';

export type PreprocessSpec = Pick<DatasetDefinition, 'task' | 'target' | 'numeric' | 'categorical' | 'missing'>;

/** The rows in use (after dropping and sampling); split indices point into `rows`. */
export interface UsedRows {
  file: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** 1-based data-row number in the file of each used row, for error messages; default i + 1. */
  rowNumbers?: readonly number[];
}

export type Preprocessed = Pick<PreparedDataset, 'featureNames' | 'classes' | 'targetScale' | 'train' | 'val' | 'test'>;

/** The category a missing categorical cell is given. */
export const MISSING_CATEGORY = '__missing__';

/** Writes one column's output features for a row at out[at..at + names.length). */
interface Encoder {
  names: string[];
  encode(row: number, out: Float32Array, at: number): void;
}

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

function numericEncoder(name: string, values: Float64Array, train: readonly number[]): Encoder {
  // Decided on all used rows, not the training split, so the feature set does not depend on the split seed.
  const hasMissing = values.some(Number.isNaN);
  const med = median(train.map((i) => values[i]).filter((v) => !Number.isNaN(v)));
  const filled = (i: number) => (Number.isNaN(values[i]) ? med : values[i]);
  const { mean, std } = meanStd(train.map(filled));
  return {
    names: hasMissing ? [name, `${name}__missing`] : [name],
    encode(row, out, at) {
      out[at] = (filled(row) - mean) / std;
      if (hasMissing) out[at + 1] = Number.isNaN(values[row]) ? 1 : 0;
    },
  };
}

function categoricalEncoder(name: string, values: readonly string[], train: readonly number[]): Encoder {
  const categories = [...new Set(train.map((i) => values[i]))].sort();
  const slot = new Map(categories.map((c, k) => [c, k]));
  return {
    names: categories.map((c) => `${name}=${c}`),
    encode(row, out, at) {
      const k = slot.get(values[row]);
      if (k !== undefined) out[at + k] = 1; // unseen in training: all zeros
    },
  };
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
  const missing = new Set(['', ...spec.missing]);
  const where = (i: number, name: string) => `${data.file}: row ${data.rowNumbers?.[i] ?? i + 1}, column "${name}"`;
  const cells = (name: string) => {
    const j = data.header.indexOf(name);
    if (j < 0) throw new DataError(`${data.file}: missing required column(s): ${name}`);
    return data.rows.map((r) => r[j].trim());
  };
  const numbers = (name: string) =>
    Float64Array.from(cells(name), (cell, i) => {
      if (missing.has(cell)) return NaN;
      const v = parseNumber(cell);
      if (Number.isNaN(v)) throw new DataError(`${where(i, name)}: "${cell}" is not a number`);
      return v;
    });

  const encoders = [
    ...spec.numeric.map((name) => numericEncoder(name, numbers(name), split.train)),
    ...spec.categorical.map((name) => categoricalEncoder(name, cells(name).map((c) => (missing.has(c) ? MISSING_CATEGORY : c)), split.train)),
  ];
  const featureNames = encoders.flatMap((e) => e.names);

  let y: Float64Array;
  let classes: string[] = [];
  let targetScale: Preprocessed['targetScale'] = null;
  if (spec.task === 'classification') {
    const rawTarget = cells(spec.target);
    rawTarget.forEach((cell, i) => {
      if (missing.has(cell)) throw new DataError(`${where(i, spec.target)}: target is missing`);
    });
    classes = sortLabels([...new Set(rawTarget)]);
    const index = new Map(classes.map((c, k) => [c, k]));
    y = Float64Array.from(rawTarget, (c) => index.get(c)!);
  } else {
    const values = numbers(spec.target);
    const i = values.findIndex(Number.isNaN);
    if (i >= 0) throw new DataError(`${where(i, spec.target)}: target is missing`);
    targetScale = meanStd(split.train.map((r) => values[r]));
    const { mean, std } = targetScale;
    y = values.map((v) => (v - mean) / std);
  }

  const width = featureNames.length;
  const build = (rows: readonly number[]): SplitData => {
    const x = new Float32Array(rows.length * width);
    rows.forEach((row, k) => {
      let at = k * width;
      for (const e of encoders) {
        e.encode(row, x, at);
        at += e.names.length;
      }
    });
    return { n: rows.length, x, y: Float32Array.from(rows, (row) => y[row]) };
  };
  return { featureNames, classes, targetScale, train: build(split.train), val: build(split.val), test: build(split.test) };
}

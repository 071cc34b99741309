/** Scoring with an exported model: raw rows -> features (the training preprocessing) -> integer inference -> labels or values. */
import { readCsv } from '../data/csv.js';
import { encodeRows } from '../data/preprocess.js';
import { argmaxRows } from '../metrics/task-metrics.js';
import type { QnnHeader, QnnModel } from './format.js';
import { getQnnKind } from './registry.js';

/** Raw outputs [n, outputs] for feature rows x [n, features]. */
export function inferOutputs(model: QnnModel, x: Float32Array, n: number): Float64Array {
  return getQnnKind(model.header.model).forward(model, x, n);
}

/** Class labels (the first of tied outputs, as the metrics take it) or values in the target's own units. */
export function toPredictions(header: QnnHeader, outputs: Float64Array, n: number): string[] | number[] {
  if (header.task === 'classification') return Array.from(argmaxRows(outputs, n, header.classes.length), (k) => header.classes[k]);
  const { mean, std } = header.targetScale ?? { mean: 0, std: 1 };
  return Array.from(outputs, (z) => z * std + mean);
}

/** Scores every row of a CSV that has the model's raw feature columns (others are ignored). */
export async function scoreCsv(model: QnnModel, path: string): Promise<string[] | number[]> {
  const table = await readCsv(path);
  const rows = table.rows.map((_, i) => i);
  return toPredictions(model.header, inferOutputs(model, encodeRows(model.header.preprocessing, table, rows), rows.length), rows.length);
}

/** Does the integer inference of an export reproduce the fake-quant model? Checked on a whole split. */
import type { SplitData, Task } from '../data/types.js';
import type { QnnModel } from '../infer/format.js';
import { inferOutputs } from '../infer/predict.js';
import { argmaxRows, evaluateOutputs, headlineMetric, type MetricName } from '../metrics/task-metrics.js';
import type { Model } from '../model/types.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { predict } from '../train/trainer.js';

/**
 * Regression: |y_int - y_fake| <= 1e-5 max(|y_fake|, std of the target), in the target's units:
 * relative, with the target's spread as the floor so a prediction near zero is not judged on
 * its last float32 bits. Classification: the same argmax on every row.
 */
export const RELATIVE_TOLERANCE = 1e-5;

export interface EqualityCheck {
  rows: number;
  /** Classification: rows whose predicted class differs; regression: rows beyond the tolerance. */
  mismatches: number;
  /** Regression: the largest relative difference; classification: null. */
  maxRelativeDifference: number | null;
  /** The headline metric computed from the integer predictions. */
  metric: { name: string; value: number };
}

/** `metric`: the run's headline (its metric_name), by default the task's. */
export function checkIntegerInference(qnn: QnnModel, model: Model, quantizers: QuantizerSet, split: SplitData, metricName?: MetricName): EqualityCheck {
  const { task, classes, targetScale } = qnn.header;
  const outputs = task === 'classification' ? classes.length : 1;
  const features = split.n === 0 ? 0 : split.x.length / split.n;
  const fake = predict(model, quantizers, split, features);
  const integer = inferOutputs(qnn, split.x, split.n);
  const headline = headlineMetric(task as Task, metricName);
  const metric = { name: headline.name, value: headline.pick(evaluateOutputs(task, Float32Array.from(integer), split.y, outputs, targetScale)) };
  if (task === 'classification') {
    const a = argmaxRows(fake, split.n, outputs);
    const b = argmaxRows(integer, split.n, outputs);
    return { rows: split.n, mismatches: a.filter((k, i) => k !== b[i]).length, maxRelativeDifference: null, metric };
  }
  const { mean, std } = targetScale ?? { mean: 0, std: 1 };
  const relative = Array.from(fake, (z, i) => (Math.abs(integer[i] - z) * std) / Math.max(Math.abs(z * std + mean), std));
  return {
    rows: split.n,
    mismatches: relative.filter((r) => !(r <= RELATIVE_TOLERANCE)).length,
    maxRelativeDifference: relative.reduce((a, b) => Math.max(a, b), 0),
    metric,
  };
}

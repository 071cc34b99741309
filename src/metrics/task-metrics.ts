import type { Task } from '../data/types.js';

export interface TaskMetrics {
  accuracy: number | null;
  f1: number | null;
  mse: number | null;
  rmse: number | null;
  r2: number | null;
}

/** Index of the largest of each row of a row-major [n, k] matrix. */
export function argmaxRows(outputs: ArrayLike<number>, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[i * k + c] > outputs[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hits++;
  return hits / labels.length;
}

/** Unweighted mean of per-class F1 over the classes that occur in labels or predictions. */
export function macroF1(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  const tp = new Array(classes).fill(0);
  const fp = new Array(classes).fill(0);
  const fn = new Array(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i] === labels[i]) tp[labels[i]]++;
    else {
      fp[predicted[i]]++;
      fn[labels[i]]++;
    }
  }
  const scores: number[] = [];
  for (let c = 0; c < classes; c++) {
    if (tp[c] + fp[c] + fn[c] === 0) continue;
    scores.push((2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]));
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

export function regressionMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>): { mse: number; rmse: number; r2: number } {
  const n = actual.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i] / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (predicted[i] - actual[i]) ** 2;
    sst += (actual[i] - mean) ** 2;
  }
  return { mse: sse / n, rmse: Math.sqrt(sse / n), r2: sst === 0 ? 0 : 1 - sse / sst };
}

/**
 * Metrics of raw model outputs against split targets. Regression outputs and targets are
 * standardised; `scale` maps both back to the target's own units first.
 */
export function evaluateOutputs(
  task: Task,
  outputs: Float32Array,
  targets: Float32Array,
  outputDim: number,
  scale: { mean: number; std: number } | null,
): TaskMetrics {
  const n = targets.length;
  if (task === 'classification') {
    const predicted = argmaxRows(outputs, n, outputDim);
    return { accuracy: accuracy(predicted, targets), f1: macroF1(predicted, targets, outputDim), mse: null, rmse: null, r2: null };
  }
  const { mean, std } = scale ?? { mean: 0, std: 1 };
  const toUnits = (v: Float32Array) => Float64Array.from(v, (x) => x * std + mean);
  return { accuracy: null, f1: null, ...regressionMetrics(toUnits(outputs), toUnits(targets)) };
}

/** Whether a higher value of each recorded metric is better: the one place the tables, charts and stopping rule read it. */
export const HIGHER_IS_BETTER: Readonly<Record<keyof TaskMetrics, boolean>> = { accuracy: true, f1: true, mse: false, rmse: false, r2: true };

export type MetricName = keyof TaskMetrics;

/** The metrics a task records, its default headline first. */
export const TASK_METRICS: Readonly<Record<Task, readonly MetricName[]>> = { classification: ['accuracy', 'f1'], regression: ['mse', 'rmse', 'r2'] };

export const METRIC_NAMES: readonly MetricName[] = [...TASK_METRICS.classification, ...TASK_METRICS.regression];

/** The headline a task takes from an asked-for metric: it, when the task records it and it is not the default; otherwise undefined (the default). */
export function datasetMetric(task: Task, asked: MetricName | undefined): MetricName | undefined {
  return asked !== undefined && asked !== TASK_METRICS[task][0] && TASK_METRICS[task].includes(asked) ? asked : undefined;
}

/** The metric that early stopping and the summary tables use (the task's default, or `name` when the task records it), and its direction. */
export function headlineMetric(task: Task, name?: MetricName): { name: MetricName; higherIsBetter: boolean; pick: (m: TaskMetrics) => number } {
  const chosen = name !== undefined && TASK_METRICS[task].includes(name) ? name : TASK_METRICS[task][0];
  return { name: chosen, higherIsBetter: HIGHER_IS_BETTER[chosen], pick: (m) => m[chosen] as number };
}

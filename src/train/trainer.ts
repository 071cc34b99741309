import * as tf from '@tensorflow/tfjs';
import type { PreparedDataset, SplitData } from '../data/types.js';
import { bitBudget } from '../metrics/budget.js';
import { evaluateOutputs, headlineMetric, type MetricName, type TaskMetrics } from '../metrics/task-metrics.js';
import type { Model } from '../model/types.js';
import type { Rng } from '../rng.js';
import type { LayerBits } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { BatchSource } from './batches.js';
import { createOptimization, minimize, type Optimization, type OptimizerSettings } from './optimizers.js';

export interface TrainConfig extends OptimizerSettings {
  epochs: number;
  /** Stop after this many epochs without a better validation metric. */
  patience: number;
  batchSize: number;
  /** Rows of the (shuffled) training split used to initialise clip levels. */
  calibrationRows: number;
  /** The validation metric early stopping follows; absent: the task's default (accuracy, or MSE). */
  metric?: MetricName;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valMetric: number;
  avgWeightBits: number;
  avgActivationBits: number | null;
  /** Every neuron's widths at the end of the epoch. */
  bits: LayerBits[];
}

export interface TrainOutcome {
  status: 'ok' | 'diverged';
  error: string | null;
  /** 1-based epoch whose weights (and bits) were restored; 0 if none finished. */
  bestEpoch: number;
  epochsRun: number;
  curve: EpochRecord[];
}

export function outputDim(data: LossTask): number {
  return data.task === 'classification' ? data.classes.length : 1;
}

/** What the loss needs to know about a dataset. */
export type LossTask = Pick<PreparedDataset, 'task' | 'classes'>;

/** The training loss: softmax cross-entropy on logits, or MSE on the standardised target. */
export function trainingLoss(data: LossTask, outputs: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  if (data.task === 'regression') return tf.losses.meanSquaredError(tf.expandDims(y, 1), outputs) as tf.Scalar;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(y, 'int32'), outputDim(data)), outputs) as tf.Scalar;
}

/** Model outputs for a whole split, in batches, as one host array [n, outputDim]. */
export function predict(model: Model, q: QuantizerSet, split: SplitData, features: number, batchSize = 2048): Float32Array {
  const parts: Float32Array[] = [];
  for (let start = 0; start < split.n; start += batchSize) {
    const rows = Math.min(batchSize, split.n - start);
    const out = tf.tidy(() => model.forward(tf.tensor2d(split.x.subarray(start * features, (start + rows) * features), [rows, features]), q));
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  return all;
}

export function evaluate(model: Model, q: QuantizerSet, data: PreparedDataset, split: SplitData): TaskMetrics {
  return evaluateOutputs(data.task, predict(model, q, split, data.featureNames.length), split.y, outputDim(data), data.targetScale);
}

/** Lets the quantizers calibrate on the first rows (at most `rows`) of the source's first batch in its current order. */
export function calibrate(model: Model, q: QuantizerSet, source: BatchSource, rows: number): void {
  const first = source.batch(0);
  const x = tf.tidy(() => first.x.slice(0, Math.min(rows, first.x.shape[0])));
  model.calibrate(x, q);
  tf.dispose([first.x, first.y, x]);
}

/** Everything one optimiser step touches, fixed for a run. */
export interface StepContext {
  model: Model;
  quantizers: QuantizerSet;
  task: LossTask;
  /** The model's and the strategy's trainable variables and their optimisers. */
  optimization: Optimization;
}

/** The optimisers of a run of `cfg.epochs` epochs over `source`'s batches (kappa / T learning rates need T). */
export function optimizationFor(model: Model, q: QuantizerSet, cfg: TrainConfig, source: BatchSource): Optimization {
  return createOptimization(cfg, model.variables, q.trainable, cfg.epochs * source.batches);
}

/**
 * One optimiser step on a batch, then the strategy's projections (afterStep). Returns the
 * batch's mean loss (penalty included); the caller disposes it. The benchmark times exactly this.
 */
export function trainStep(step: StepContext, x: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  const { model, quantizers: q } = step;
  const cost = tf.tidy(() =>
    minimize(step.optimization, () => {
      const loss = trainingLoss(step.task, model.forward(x, q), y);
      const penalty = q.penalty();
      return penalty ? (tf.add(loss, penalty) as tf.Scalar) : loss;
    }),
  );
  q.afterStep();
  return cost;
}

/**
 * Mini-batch training with early stopping on the validation metric; the best epoch's
 * weights and quantizer state are restored at the end.
 */
export function train(model: Model, q: QuantizerSet, data: PreparedDataset, cfg: TrainConfig, rng: Rng, onEpoch?: (r: EpochRecord) => void): TrainOutcome {
  for (const [name, split] of [
    ['training', data.train],
    ['validation', data.val],
  ] as const) {
    if (split.n === 0) throw new Error(`${data.name}: the ${name} split is empty (too few rows or groups for the split)`);
  }
  const features = data.featureNames.length;
  const source = new BatchSource(data.train, features, cfg.batchSize);
  const optimization = optimizationFor(model, q, cfg, source);
  const { variables } = optimization;
  const step: StepContext = { model, quantizers: q, task: data, optimization };
  const metric = headlineMetric(data.task, cfg.metric);
  const curve: EpochRecord[] = [];
  let best: { epoch: number; value: number; weights: tf.Tensor[] } | null = null;
  let outcome: Pick<TrainOutcome, 'status' | 'error'> = { status: 'ok', error: null };

  source.shuffle(rng);
  calibrate(model, q, source, cfg.calibrationRows);

  let epoch = 0;
  while (epoch < cfg.epochs) {
    epoch++;
    source.shuffle(rng);
    let lossSum = tf.scalar(0);
    for (let b = 0; b < source.batches; b++) {
      const { x, y } = source.batch(b);
      const cost = trainStep(step, x, y);
      const next = tf.tidy(() => tf.add(lossSum, tf.mul(cost, y.shape[0])) as tf.Scalar);
      tf.dispose([x, y, cost, lossSum]);
      lossSum = next;
    }
    const trainLoss = hostScalar(lossSum) / data.train.n;
    lossSum.dispose();
    const valMetric = metric.pick(evaluate(model, q, data, data.val));
    const bits = q.bits();
    const budget = bitBudget(model.layers, bits, model.floatMacs);
    const record = { epoch, trainLoss, valMetric, avgWeightBits: budget.avgWeightBits, avgActivationBits: budget.avgActivationBits, bits };
    curve.push(record);
    onEpoch?.(record);
    if (!Number.isFinite(trainLoss) || !Number.isFinite(valMetric)) {
      outcome = { status: 'diverged', error: `non-finite ${Number.isFinite(trainLoss) ? 'validation metric' : 'training loss'} at epoch ${epoch}` };
      break;
    }
    const improved = !best || (metric.higherIsBetter ? valMetric > best.value : valMetric < best.value);
    if (improved) {
      if (best) tf.dispose(best.weights);
      best = { epoch, value: valMetric, weights: variables.map((v) => tf.keep(v.clone())) };
    } else if (best && epoch - best.epoch >= cfg.patience) break;
  }

  if (best) {
    variables.forEach((v, i) => v.assign(best.weights[i]));
    tf.dispose(best.weights);
  }
  optimization.dispose();
  return { ...outcome, bestEpoch: best?.epoch ?? 0, epochsRun: epoch, curve };
}

/** A scalar's value on the host, outside any tidy (docs/tfjs-notes.md: tidy walks returned arrays). */
function hostScalar(t: tf.Tensor): number {
  return t.dataSync()[0];
}

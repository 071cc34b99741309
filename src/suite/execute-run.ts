import type { PreparedDataset } from '../data/types.js';
import { saveRunModel } from '../export/run-model.js';
import { bitBudget } from '../metrics/budget.js';
import { bitCounts } from '../metrics/bit-counts.js';
import { headlineMetric, type TaskMetrics } from '../metrics/task-metrics.js';
import { getModel } from '../model/registry.js';
import type { Provenance } from '../provenance.js';
import type { CurveRow, NeuronRow, RunRow } from '../results/types.js';
import { makeRng } from '../rng.js';
import { getStrategy } from '../strategy/registry.js';
import type { LayerBits, LayerSpec } from '../strategy/types.js';
import { type EpochRecord, evaluate, outputDim, train } from '../train/trainer.js';
import type { RunSpec } from './matrix.js';

export interface RunRecord {
  run: RunRow;
  neurons: NeuronRow[];
  curves: CurveRow[];
}

export interface RunContext {
  runId: string;
  configHash: string;
  backend: string;
  provenance: Provenance;
  onEpoch?: (r: EpochRecord) => void;
  /** Where to save the trained weights and final bits (for export); not saved when absent. */
  modelFile?: string;
}

function neuronRows(runId: string, layers: LayerSpec[], bits: LayerBits[]): NeuronRow[] {
  return layers.flatMap((layer, l) =>
    bits[l].weight.map((w, j) => ({ run_id: runId, layer: layer.name, neuron: j, weight_bits: w, activation_bits: bits[l].activation?.[j] ?? null })),
  );
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Trains and measures one run. Never throws for a failure inside the run: it becomes the row's status. */
export function executeRun(spec: RunSpec, data: PreparedDataset, ctx: RunContext): RunRecord {
  const metric = headlineMetric(data.task);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const base: RunRow = {
    run_id: ctx.runId,
    suite: spec.suite,
    profile: spec.profile,
    dataset: spec.dataset,
    task: data.task,
    model: spec.model.label,
    strategy: spec.strategy.label,
    strategy_name: spec.strategy.name,
    strategy_config: JSON.stringify(spec.strategy.options),
    seed: spec.seed,
    status: 'failed',
    error: null,
    metric_name: metric.name,
    val_metric: null,
    test_metric: null,
    test_accuracy: null,
    test_f1: null,
    test_mse: null,
    test_rmse: null,
    test_r2: null,
    avg_weight_bits: null,
    avg_activation_bits: null,
    model_bytes: null,
    compression_ratio: null,
    bitops: null,
    epochs: 0,
    best_epoch: null,
    train_seconds: 0,
    search_seconds: 0,
    backend: ctx.backend,
    tfjs_version: ctx.provenance.tfjsVersion,
    qatbench_version: ctx.provenance.qatbenchVersion,
    node_version: ctx.provenance.nodeVersion,
    git_commit: ctx.provenance.gitCommit,
    config_hash: ctx.configHash,
    data_file: data.file,
    data_sha256: data.sha256,
    started_at: startedAt,
  };

  const strategy = getStrategy(spec.strategy.name);
  let model;
  let quantizers;
  try {
    model = getModel(spec.model.name).create(spec.model.options, data.featureNames.length, outputDim(data), makeRng(`init:${spec.seed}`));
    quantizers = strategy.create(spec.strategy.options, { layers: model.layers, rng: makeRng(`strategy:${spec.seed}`) });
    const outcome = train(model, quantizers, data, spec.protocol, makeRng(`batches:${spec.seed}`), ctx.onEpoch);
    const trainSeconds = seconds(started);
    const bits = quantizers.bits();
    const budget = bitBudget(model.layers, bits);
    const val: TaskMetrics = evaluate(model, quantizers, data, data.val);
    const test: TaskMetrics = evaluate(model, quantizers, data, data.test);
    const run: RunRow = {
      ...base,
      status: outcome.status,
      error: outcome.error,
      val_metric: metric.pick(val),
      test_metric: metric.pick(test),
      test_accuracy: test.accuracy,
      test_f1: test.f1,
      test_mse: test.mse,
      test_rmse: test.rmse,
      test_r2: test.r2,
      avg_weight_bits: budget.avgWeightBits,
      avg_activation_bits: budget.avgActivationBits,
      model_bytes: budget.modelBytes,
      compression_ratio: budget.compressionRatio,
      bitops: budget.bitops,
      epochs: outcome.epochsRun,
      best_epoch: outcome.bestEpoch,
      train_seconds: trainSeconds,
    };
    const curves = outcome.curve.map((c) => {
      const counts = bitCounts(c.bits);
      return {
        run_id: ctx.runId,
        epoch: c.epoch,
        train_loss: c.trainLoss,
        val_metric: c.valMetric,
        avg_weight_bits: c.avgWeightBits,
        avg_activation_bits: c.avgActivationBits,
        weight_bits_counts: JSON.stringify(counts.weight),
        activation_bits_counts: counts.activation && JSON.stringify(counts.activation),
      };
    });
    if (ctx.modelFile) saveRunModel(ctx.modelFile, model, bits, { runId: ctx.runId, model: spec.model, data, protocol: spec.protocol });
    return { run, neurons: neuronRows(ctx.runId, model.layers, bits), curves };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { run: { ...base, error: message.split('\n')[0], train_seconds: seconds(started) }, neurons: [], curves: [] };
  } finally {
    model?.dispose();
    quantizers?.dispose();
  }
}

import type { PreparedDataset } from '../data/types.js';
import { captureRunModel, type SavedRunModel } from '../export/run-model.js';
import { bitBudget } from '../metrics/budget.js';
import { bitCounts } from '../metrics/bit-counts.js';
import { headlineMetric, type TaskMetrics } from '../metrics/task-metrics.js';
import { assignKernels } from '../model/kernels.js';
import { restoreWeights, snapshotWeights, type WeightSnapshot } from '../model/weights.js';
import type { CurveRow, NeuronRow, RunRow } from '../results/types.js';
import { makeRng } from '../rng.js';
import { getStrategy } from '../strategy/registry.js';
import type { Model } from '../model/types.js';
import type { LayerBits, LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { createProbe } from '../search/probe.js';
import { type EpochRecord, evaluate, train } from '../train/trainer.js';
import type { RunSpec } from './types.js';
import { pretrainingOf, type StartingPoint, startingPoints, startsPretrained } from './checkpoints.js';
import type { Job } from './jobs.js';
import { buildModel } from './model-build.js';

export interface RunRecord {
  run: RunRow;
  neurons: NeuronRow[];
  curves: CurveRow[];
  /** The trained discrete model, for models/<run id>.bin (absent when the run failed). */
  model?: SavedRunModel;
}

/** What a run calls back into while it executes. */
interface RunHooks {
  /** Where the run starts: pretrained or FP32-checkpoint weights (checkpoints.ts), or its seeded initialisation. */
  start: (spec: RunSpec, data: PreparedDataset) => StartingPoint;
  onEpoch?: (r: EpochRecord) => void;
}

/** Executes a job in this process (the runner's own, or a worker's), its starting points from the cache. */
export function runJob(job: Job, data: PreparedDataset, log: (line: string) => void, onEpoch?: (r: EpochRecord) => void): RunRecord {
  return executeRun(job, data, { start: startingPoints(job.cacheDir, log), onEpoch });
}

/** Row j of a layer: output neuron j's weight bits and column j of its activation site (either may be absent when their widths differ). */
function neuronRows(runId: string, layers: LayerSpec[], bits: LayerBits[]): NeuronRow[] {
  return layers.flatMap((layer, l) => {
    const { weight, activation } = bits[l];
    return Array.from({ length: Math.max(weight.length, activation?.length ?? 0) }, (_, j) => ({
      run_id: runId,
      layer: layer.name,
      neuron: j,
      weight_bits: weight[j] ?? null,
      activation_bits: activation?.[j] ?? null,
    }));
  });
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** The row of a run before it has measured anything: identity, config and provenance, status failed. */
export function baseRow(job: Job, data: PreparedDataset): RunRow {
  const { spec } = job;
  return {
    run_id: job.runId,
    suite: spec.suite,
    profile: spec.profile,
    dataset: spec.dataset,
    task: data.task,
    model: spec.model.label,
    strategy: spec.strategy.label,
    strategy_name: spec.strategy.name,
    strategy_config: JSON.stringify(spec.strategy.options),
    init: startsPretrained(spec) ? 'pretrained' : pretrainingOf(spec) ? 'self-supervised' : 'scratch',
    budget_requested: spec.strategy.budget?.text ?? null,
    budget_bits: null,
    search_info: null,
    seed: spec.seed,
    status: 'failed',
    error: null,
    metric_name: headlineMetric(data.task, spec.protocol.metric).name,
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
    pretrain_seconds: null,
    backend: job.backend,
    tfjs_version: job.provenance.tfjsVersion,
    qatbench_version: job.provenance.qatbenchVersion,
    node_version: job.provenance.nodeVersion,
    git_commit: job.provenance.gitCommit,
    config_hash: job.configHash,
    data_file: data.file,
    data_sha256: data.sha256,
    started_at: new Date().toISOString(),
  };
}

/** Trains and measures one run. Never throws for a failure inside the run: it becomes the row's status. */
export function executeRun(job: Job, data: PreparedDataset, hooks: RunHooks): RunRecord {
  const { spec, runId } = job;
  const strategy = getStrategy(spec.strategy.name);
  const metric = headlineMetric(data.task, spec.protocol.metric);
  const started = performance.now();
  const base = baseRow(job, data);

  let model: Model | undefined;
  let quantizers: QuantizerSet | undefined;
  let budgetBits: number | null = null;
  let searchSeconds = 0;
  let pretrainSeconds: number | null = null;
  try {
    if ('error' in job.budget) throw new Error(job.budget.error);
    budgetBits = job.budget.bits;
    model = buildModel(spec, data);
    const origin = hooks.start(spec, data);
    pretrainSeconds = origin.pretrainSeconds;
    if (origin.weights) restoreWeights(model, origin.weights);
    const start = model;
    // Only fine-tunes (during the search, before training moves the weights) need a copy of the start.
    let initial: WeightSnapshot | null = null;
    const searchStarted = performance.now();
    const probe = createProbe({
      model,
      freshModel: () => {
        const fresh = buildModel(spec, data);
        restoreWeights(fresh, (initial ??= snapshotWeights(start)));
        return fresh;
      },
      data,
      protocol: spec.protocol,
      seed: spec.seed,
    });
    try {
      quantizers = strategy.create(spec.strategy.options, { layers: model.layers, rng: makeRng(`strategy:${spec.seed}`), budget: budgetBits, probe });
    } finally {
      probe.dispose();
    }
    if (quantizers.startingKernels) assignKernels(model, quantizers.startingKernels, data.featureNames.length);
    searchSeconds = seconds(searchStarted);
    const trainStarted = performance.now();
    // Zero epochs still calibrate the activation clips (train()), and evaluate the starting weights.
    const protocol = quantizers.skipTraining ? { ...spec.protocol, epochs: 0 } : spec.protocol;
    const outcome = train(model, quantizers, data, protocol, makeRng(`batches:${spec.seed}`), hooks.onEpoch);
    const trainSeconds = seconds(trainStarted);
    const bits = quantizers.bits();
    const budget = bitBudget(model.layers, bits, model.floatMacs);
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
      search_seconds: searchSeconds,
      pretrain_seconds: pretrainSeconds,
      budget_bits: budgetBits,
      search_info: quantizers.searchReport ? JSON.stringify(quantizers.searchReport) : null,
    };
    const curves = outcome.curve.map((c) => {
      const counts = bitCounts(c.bits);
      return {
        run_id: runId,
        epoch: c.epoch,
        train_loss: c.trainLoss,
        val_metric: c.valMetric,
        avg_weight_bits: c.avgWeightBits,
        avg_activation_bits: c.avgActivationBits,
        weight_bits_counts: JSON.stringify(counts.weight),
        activation_bits_counts: counts.activation && JSON.stringify(counts.activation),
      };
    });
    const trained = captureRunModel(model, bits, { runId: runId, model: spec.model, data, protocol: spec.protocol });
    return { run, neurons: neuronRows(runId, model.layers, bits), curves, model: trained };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const elapsed = seconds(started) - searchSeconds;
    return {
      run: {
        ...base,
        error: message.split('\n')[0],
        budget_bits: budgetBits,
        search_seconds: searchSeconds,
        pretrain_seconds: pretrainSeconds,
        train_seconds: elapsed,
      },
      neurons: [],
      curves: [],
    };
  } finally {
    model?.dispose();
    quantizers?.dispose();
  }
}

import * as tf from '@tensorflow/tfjs';
import { Bench } from 'tinybench';
import { featureGroups } from '../data/preprocess.js';
import type { PreparedDataset } from '../data/types.js';
import { getModel } from '../model/registry.js';
import type { Model, ModelOptions } from '../model/types.js';
import { makeRng } from '../rng.js';
import { plainContext } from '../strategy/context.js';
import { getStrategy, resolveStrategyOptions } from '../strategy/registry.js';
import { BatchSource } from '../train/batches.js';
import { calibrate, optimizationFor, outputDim, type StepContext, trainStep, type TrainConfig } from '../train/trainer.js';
import type { BenchCase } from './cases.js';

/** How long to time each case; a round times every case once, so load changes hit all cases alike. */
export interface TimingSettings {
  /** Minimum timed steps per case and round. */
  iterations: number;
  /** Time budget per case and round (ms); tinybench stops when both limits are met. */
  timeMs: number;
  warmupIterations: number;
}

/** A case ready to step: the project's own model, strategy, optimiser and batches, as a training run builds them. */
export interface StepSetup {
  benchCase: BenchCase;
  step: StepContext;
  source: BatchSource;
  /** Full batches per epoch: a short last batch would time a different shape. */
  fullBatches: number;
  next: number;
  dispose(): void;
}

export function createStepSetup(
  benchCase: BenchCase,
  data: PreparedDataset,
  protocol: TrainConfig,
  modelSpec: { name: string; options: ModelOptions },
): StepSetup {
  const features = data.featureNames.length;
  const model = getModel(modelSpec.name).create(modelSpec.options, features, outputDim(data), makeRng('bench:init'), featureGroups(data.preprocessing));
  const strategy = getStrategy(benchCase.strategy);
  const quantizers = strategy.create(resolveStrategyOptions(strategy, benchCase.options), plainContext(model.layers, makeRng('bench:strategy')));
  const source = new BatchSource(data.train, features, protocol.batchSize);
  source.shuffle(makeRng('bench:batches'));
  calibrate(model, quantizers, source, protocol.calibrationRows);
  const optimization = optimizationFor(model, quantizers, protocol, source);
  const step: StepContext = { model, quantizers, task: data, optimization };
  return {
    benchCase,
    step,
    source,
    fullBatches: Math.floor(data.train.n / protocol.batchSize),
    next: 0,
    dispose() {
      optimization.dispose();
      quantizers.dispose();
      model.dispose();
    },
  };
}

/** The next full batch, cycling through the epoch. */
function nextBatch(setup: StepSetup): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return setup.source.batch(setup.next++ % setup.fullBatches);
}

/** Latency samples (ms) of one training step; batch creation is outside the timed function. */
export function timeSteps(setup: StepSetup, settings: TimingSettings): number[] {
  let batch: { x: tf.Tensor2D; y: tf.Tensor1D } | null = null;
  return timeTask(settings, () => trainStep(setup.step, batch!.x, batch!.y).dispose(), {
    beforeEach: () => {
      batch = nextBatch(setup);
    },
    afterEach: () => {
      tf.dispose([batch!.x, batch!.y]);
    },
  });
}

/** Latency samples (ms) of producing one batch: host gather plus the two tensors handed to tfjs. */
export function timeBatches(source: BatchSource, settings: TimingSettings): number[] {
  let b = 0;
  return timeTask(settings, () => {
    const { x, y } = source.batch(b++ % source.batches);
    tf.dispose([x, y]);
  });
}

function timeTask(settings: TimingSettings, fn: () => void, hooks: { beforeEach?: () => void; afterEach?: () => void } = {}): number[] {
  const bench = new Bench({
    iterations: settings.iterations,
    time: settings.timeMs,
    warmupIterations: settings.warmupIterations,
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  bench.add('task', fn, hooks);
  const [task] = bench.runSync();
  const result = task.result;
  if (!('latency' in result) || !result.latency.samples) throw new Error(`benchmark task ended ${result.state}`);
  return [...result.latency.samples];
}

export interface LeakCheck {
  steps: number;
  tensorsBefore: number;
  tensorsAfter: number;
  peakRssMb: number;
  tensorMbAfter: number;
}

/** Runs `steps` more steps: the tensor count must not move, and the largest resident set size is sampled after each. */
export function leakCheck(setup: StepSetup, steps: number): LeakCheck {
  const tensorsBefore = tf.memory().numTensors;
  let peak = process.memoryUsage().rss;
  for (let i = 0; i < steps; i++) {
    const { x, y } = nextBatch(setup);
    trainStep(setup.step, x, y).dispose();
    tf.dispose([x, y]);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const mb = (bytes: number) => bytes / 2 ** 20;
  return { steps, tensorsBefore, tensorsAfter: tf.memory().numTensors, peakRssMb: mb(peak), tensorMbAfter: mb(tf.memory().numBytes) };
}

/** One kernel's share of a profiled step. */
export interface KernelTime {
  kernel: string;
  ms: number;
  calls: number;
}

/**
 * Where one step's time goes, per kernel (tf.profile), largest first. Custom-gradient wrappers
 * ("forward") are left out: their time is that of the kernels they run.
 */
export async function profileStep(setup: StepSetup): Promise<KernelTime[]> {
  const { x, y } = nextBatch(setup);
  const info = await tf.profile(() => {
    trainStep(setup.step, x, y).dispose();
  });
  tf.dispose([x, y]);
  const byKernel = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    if (k.name === 'forward') continue;
    const entry = byKernel.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
    entry.ms += k.kernelTimeMs as number;
    entry.calls++;
    byKernel.set(k.name, entry);
  }
  return [...byKernel.values()].sort((a, b) => b.ms - a.ms);
}

/**
 * Floating-point operations of the matrix products in one step: forward, weight gradient,
 * and input gradient for every layer but one whose input is the data (LayerSpec.input null at
 * layer 0), once per row a sample gives the layer (tokens); plus the products of two
 * activations (attention: Model.floatMacs) forward and their two input gradients.
 */
export function stepFlops(model: Pick<Model, 'layers' | 'floatMacs'>, batch: number): number {
  const layers = model.layers.reduce((sum, l, i) => sum + 2 * batch * l.rowsPerSample * l.fanIn * l.fanOut * (i === 0 && l.input === null ? 2 : 3), 0);
  return layers + 2 * batch * model.floatMacs * 3;
}

/** Linear-interpolated quantile of unsorted samples. */
export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

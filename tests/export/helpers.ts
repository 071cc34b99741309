import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { PreparedDataset, SplitData } from '../../src/data/types.js';
import { toQnn } from '../../src/export/registry.js';
import { plainContext } from '../helpers.js';
import { captureRunModel, loadRunModel, writeRunModel } from '../../src/export/run-model.js';
import type { QnnModel } from '../../src/infer/format.js';
import { mlp } from '../../src/model/mlp.js';
import type { Model } from '../../src/model/types.js';
import { makeRng } from '../../src/rng.js';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import type { QuantizerSet } from '../../src/layers/quantizer-set.js';
import type { StrategyOptions } from '../../src/strategy/options.js';
import { outputDim, train } from '../../src/train/trainer.js';
import { groupVariables, probeFor, syntheticDataset } from '../helpers.js';
import { assignKernels } from '../../src/model/kernels.js';
import { floatQuantizers } from '../../src/precision/precision-quantizers.js';

export const MODEL_OPTIONS = { depth: 2, width: 16 };

/** The synthetic task as regression: y = x0 + x1^2 / 2 - x2 in units with mean 10 and std 3. */
export function syntheticRegression(): PreparedDataset {
  const data = syntheticDataset();
  const features = data.featureNames.length;
  const relabel = (s: SplitData): SplitData => ({
    ...s,
    y: Float32Array.from({ length: s.n }, (_, i) => s.x[i * features] + 0.5 * s.x[i * features + 1] ** 2 - s.x[i * features + 2]),
  });
  return {
    ...data,
    task: 'regression',
    classes: [],
    targetScale: { mean: 10, std: 3 },
    train: relabel(data.train),
    val: relabel(data.val),
    test: relabel(data.test),
  };
}

const TRAINING = { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 3, patience: 3, batchSize: 64, calibrationRows: 128 } as const;
const newModel = (data: PreparedDataset) => mlp.create(MODEL_OPTIONS, data.featureNames.length, outputDim(data), makeRng(2));

export function trainModel(data: PreparedDataset, strategy: string, options: Partial<StrategyOptions> = {}): { model: Model; q: QuantizerSet } {
  const model = newModel(data);
  const s = getStrategy(strategy);
  const q = s.create(resolveStrategyOptions(s, options), plainContext(model.layers, 3));
  train(model, q, data, TRAINING, makeRng(4));
  return { model, q };
}

/**
 * A search strategy's run in small: an FP32 model trained first, the search through a probe on
 * it under `budget`, then QAT (or none) from the kernels the search leaves, as a suite run does.
 */
export function trainSearched(data: PreparedDataset, strategy: string, options: Partial<StrategyOptions>, budget: number): { model: Model; q: QuantizerSet } {
  const model = newModel(data);
  const float = floatQuantizers(model.layers);
  train(model, float, data, TRAINING, makeRng(5));
  float.dispose();
  const probe = probeFor(model, data, 1, () => newModel(data));
  const s = getStrategy(strategy);
  const q = s.create(resolveStrategyOptions(s, options), { layers: model.layers, rng: makeRng(3), budget, probe });
  probe.dispose();
  if (q.startingKernels) assignKernels(model, q.startingKernels, data.featureNames.length);
  train(model, q, data, q.skipTraining ? { ...TRAINING, epochs: 0 } : TRAINING, makeRng(4));
  return { model, q };
}

/**
 * NMP-QAT's strengths spread over every interval (weights at 1/2/4/8 bits, activations at
 * 4/8/16 neuron by neuron), so a check covers every width.
 */
export function spreadWidths(q: QuantizerSet): void {
  const spread = (v: tf.Variable, intervals: number) =>
    v.assign(tf.tensor1d(Array.from({ length: v.shape[0] }, (_, j) => ((j % intervals) + 0.5) / intervals)));
  groupVariables(q, 'weight strengths').forEach((v) => spread(v, 4));
  groupVariables(q, 'activation strengths').forEach((v) => spread(v, 3));
}

/** Export through the saved run-model file, as `qatbench export` does. */
export function exportModel(model: Model, q: QuantizerSet, data: PreparedDataset): QnnModel {
  const file = join(mkdtempSync(join(tmpdir(), 'qb-export-')), 'run.bin');
  writeRunModel(
    file,
    captureRunModel(model, q.bits(), { runId: 'test-run', model: { name: 'mlp', options: MODEL_OPTIONS }, data, protocol: { splitSeed: 42, maxRows: null } }),
  );
  const { meta } = loadRunModel(file);
  return toQnn(meta, model);
}

import type { PreparedDataset, SplitData } from '../src/data/types.js';
import { makeRng, normal } from '../src/rng.js';
import type { Model } from '../src/model/types.js';
import { restoreWeights, snapshotWeights } from '../src/model/weights.js';
import { createProbe } from '../src/search/probe.js';
import { plainContext as strategyContext } from '../src/strategy/context.js';
import type * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../src/layers/layer.js';
import type { ModelProbe, Strategy, StrategyContext } from '../src/strategy/types.js';
import type { QuantizerSet } from '../src/layers/quantizer-set.js';

/**
 * A small synthetic classification task (3 classes from a nonlinear rule), so core tests
 * need no data files and run in a second.
 */
export function syntheticDataset(rows = 600, features = 6, seed = 7): PreparedDataset {
  const rng = makeRng(`synthetic:${seed}`);
  const make = (n: number): SplitData => {
    const x = new Float32Array(n * features);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < features; f++) x[i * features + f] = normal(rng);
      const score = x[i * features] + 0.5 * x[i * features + 1] ** 2 - x[i * features + 2];
      y[i] = score < -0.5 ? 0 : score < 1 ? 1 : 2;
    }
    return { n, x, y };
  };
  const train = make(rows);
  return {
    name: 'synthetic',
    task: 'classification',
    target: 'y',
    featureNames: Array.from({ length: features }, (_, f) => `f${f}`),
    classes: ['0', '1', '2'],
    targetScale: null,
    // The features are already standard normal: the identity z-score.
    preprocessing: {
      missing: [],
      transforms: Array.from({ length: features }, (_, f) => ({ kind: 'numeric', column: `f${f}`, mean: 0, std: 1, median: 0, missingIndicator: false })),
    },
    train,
    val: make(Math.floor(rows / 4)),
    test: make(Math.floor(rows / 4)),
    sha256: 'synthetic',
    file: 'synthetic',
    preparation: {},
    warnings: [],
    rowsUsed: rows * 1.5,
    rowsInFile: rows * 1.5,
  };
}

/** The variables of a strategy's group ("weight strengths", "activation strengths", "clip levels"); none if it has no such group. */
export const groupVariables = (q: QuantizerSet, name: string): tf.Variable[] => q.trainable.filter((g) => g.name === name).flatMap((g) => g.variables);

/** A strategy context without a probe or budget, seeded like the tests expect. */
export const plainContext = (layers: LayerSpec[], seed: number | string = 1): StrategyContext => strategyContext(layers, makeRng(seed));

/** A real probe over a small MLP's current weights and a dataset, as the core builds it for a run. */
export function probeFor(model: Model, data: PreparedDataset, seed = 1, build: () => Model = () => model): ModelProbe & { dispose(): void } {
  const initial = snapshotWeights(model);
  return createProbe({
    model,
    freshModel: () => {
      const fresh = build();
      restoreWeights(fresh, initial);
      return fresh;
    },
    data,
    protocol: { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 3, patience: 3, batchSize: 64, calibrationRows: 64 },
    seed,
  });
}

/** A strategy defined in a test file that always throws "deliberately broken": its runs are recorded as failed. */
export function brokenStrategy(name: string): Strategy {
  return {
    name,
    summary: 'always throws',
    mixedPrecision: false,
    options: {},
    create: () => {
      throw new Error('deliberately broken');
    },
  };
}

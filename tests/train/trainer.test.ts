import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mlp } from '../../src/model/mlp.js';
import { makeRng } from '../../src/rng.js';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import { evaluate, type TrainConfig, train } from '../../src/train/trainer.js';
import { plainContext, syntheticDataset } from '../helpers.js';

const data = syntheticDataset();
const config: TrainConfig = { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 6, patience: 3, batchSize: 64, calibrationRows: 128 };

function run(strategyName: string, options = {}, cfg: Partial<TrainConfig> = {}, seed = 1) {
  const strategy = getStrategy(strategyName);
  const model = mlp.create({ depth: 2, width: 16 }, 6, 3, makeRng(`init:${seed}`));
  const q = strategy.create(resolveStrategyOptions(strategy, options), plainContext(model.layers, seed));
  const tensorsPerEpoch: number[] = [];
  const outcome = train(model, q, data, { ...config, ...cfg }, makeRng(`batches:${seed}`), () => tensorsPerEpoch.push(tf.memory().numTensors));
  const val = evaluate(model, q, data, data.val);
  model.dispose();
  q.dispose();
  return { outcome, val, tensorsPerEpoch };
}

describe('training core', () => {
  it.each(['fp32', 'uniform', 'nmp-qat'])('%s learns the synthetic task and leaks no tensors between epochs', (name) => {
    const before = tf.memory().numTensors;
    const { outcome, val, tensorsPerEpoch } = run(name);
    expect(outcome.status).toBe('ok');
    expect(val.accuracy).toBeGreaterThan(0.6); // 3 classes: chance is about 0.33
    // after the first epoch (which creates the best-epoch snapshot) the count is flat
    expect(new Set(tensorsPerEpoch.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('restores the best epoch: the final validation metric is the best one recorded', () => {
    const { outcome, val } = run('nmp-qat', {}, { epochs: 8, patience: 2, learningRate: 0.05 });
    const best = Math.max(...outcome.curve.map((c) => c.valMetric));
    expect(outcome.curve[outcome.bestEpoch - 1].valMetric).toBe(best);
    expect(val.accuracy).toBe(best);
  });

  it('stops early when the validation metric stalls for `patience` epochs', () => {
    const { outcome } = run('fp32', {}, { epochs: 50, patience: 2, learningRate: 0.05 });
    expect(outcome.epochsRun).toBeLessThan(50);
    expect(outcome.epochsRun - outcome.bestEpoch).toBe(2);
  });

  it('reports a diverging run instead of throwing', () => {
    const { outcome } = run('fp32', {}, { optimizer: 'sgd', learningRate: 1e6 });
    expect(outcome.status).toBe('diverged');
    expect(outcome.error).toMatch(/non-finite (training loss|validation metric) at epoch \d+/);
  });

  it('the same seed gives the same numbers; another seed does not', () => {
    const a = run('nmp-qat', {}, {}, 5).outcome.curve.map((c) => c.trainLoss);
    const b = run('nmp-qat', {}, {}, 5).outcome.curve.map((c) => c.trainLoss);
    const c = run('nmp-qat', {}, {}, 6).outcome.curve.map((c) => c.trainLoss);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

/** Training the TabFormer for a few epochs: its pretraining and its task training reach what they should (seconds each). */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { PreparedDataset, SplitData } from '../../src/data/types.js';
import { tabformer } from '../../src/model/tabformer.js';
import type { MaskedCellObjective } from '../../src/model/types.js';
import { floatQuantizers } from '../../src/precision/precision-quantizers.js';
import { makeRng, normal, type Rng } from '../../src/rng.js';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import { pretrain, sampleCellMask } from '../../src/train/pretrain.js';
import { evaluate, train } from '../../src/train/trainer.js';
import { plainContext, syntheticDataset } from '../helpers.js';
import { correlatedGroups, SMALL } from './tabformer-fixtures.js';

/** The objective's mean masked-cell loss on a split, with one fixed mask (to compare before and after). */
function maskedCellLoss(objective: MaskedCellObjective, split: SplitData, features: number, fraction: number, rng: Rng): number {
  const mask = sampleCellMask(split.n, objective.cells, fraction, rng);
  const loss = tf.tidy(() => objective.loss(tf.tensor2d(split.x, [split.n, features]), tf.tensor2d(mask, [split.n, objective.cells])));
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}

/** Rows whose cells predict one another: b = a + noise, c = -a + noise, category = sign of a (one-hot). */
function correlatedSplit(n: number, rng: () => number): SplitData {
  const x = new Float32Array(n * 5);
  for (let i = 0; i < n; i++) {
    const a = normal(rng);
    x.set([a, a + 0.1 * normal(rng), -a + 0.1 * normal(rng), a > 0 ? 1 : 0, a > 0 ? 0 : 1], i * 5);
  }
  return { n, x, y: new Float32Array(n) };
}

describe('masked-cell pretraining', () => {
  it('lowers the masked-cell loss on held-out rows', () => {
    const rng = makeRng('correlated');
    const [trainRows, heldOut] = [correlatedSplit(512, rng), correlatedSplit(256, rng)];
    const model = tabformer.create(SMALL, 5, 2, makeRng('init'), correlatedGroups);
    const objective = model.selfSupervised!;
    expect(objective.cells).toBe(4);
    const lossOn = () => maskedCellLoss(objective, heldOut, 5, 0.3, makeRng('fixed mask'));
    const before = lossOn();
    const losses = pretrain(model.variables, objective, trainRows, 5, { epochs: 8, maskFraction: 0.3, learningRate: 0.01, batchSize: 64 }, makeRng('pretrain'));
    const after = lossOn();
    expect(losses).toHaveLength(8);
    expect(losses[7]).toBeLessThan(losses[0]);
    // Held-out rows, the same masked cells before and after.
    expect(after).toBeLessThan(0.6 * before);
    model.dispose();
  });
});

describe('tabformer under the strategies', () => {
  const data: PreparedDataset = syntheticDataset(600, 6);

  it.each(['fp32', 'nmp-qat'])('%s trains to a sensible accuracy on a small dataset within a few epochs', (name) => {
    const model = tabformer.create({ ...SMALL, pretrainEpochs: 0 }, 6, 3, makeRng('init:1'));
    const strategy = getStrategy(name);
    const q = name === 'fp32' ? floatQuantizers(model.layers) : strategy.create(resolveStrategyOptions(strategy, { mode: 'wa' }), plainContext(model.layers));
    const outcome = train(
      model,
      q,
      data,
      { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 6, patience: 6, batchSize: 64, calibrationRows: 128 },
      makeRng('batches:1'),
    );
    expect(outcome.status).toBe('ok');
    expect(evaluate(model, q, data, data.test).accuracy).toBeGreaterThan(0.6); // 3 classes: chance is about 0.33
    q.dispose();
    model.dispose();
  });
});

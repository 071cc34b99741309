import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dense } from '../../src/model/dense.js';
import { mlp } from '../../src/model/mlp.js';
import { MID_RISE, quantizeActivations, quantizeWeights } from '../../src/quant/quantizers.js';
import { makeRng } from '../../src/rng.js';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import type { LayerSpec } from '../../src/layers/layer.js';
import type { QuantizerSet } from '../../src/layers/quantizer-set.js';
import { predict, train } from '../../src/train/trainer.js';
import { groupVariables, plainContext, syntheticDataset } from '../helpers.js';

const nmp = getStrategy('nmp-qat');
const layers: LayerSpec[] = [
  { name: 'fc1', fanIn: 5, fanOut: 4, activation: { width: 4, signed: false }, input: null, rowsPerSample: 1 },
  { name: 'out', fanIn: 4, fanOut: 2, activation: null, input: 0, rowsPerSample: 1 },
];

function quantizers(options = {}): QuantizerSet {
  return nmp.create(resolveStrategyOptions(nmp, options), plainContext(layers));
}

describe('nmp-qat starts low', () => {
  it('every weight neuron at 1 bit and every activation at 4 bits', () => {
    const bits = quantizers().bits();
    expect(bits.map((b) => b.weight)).toEqual([
      [1, 1, 1, 1],
      [1, 1],
    ]);
    expect(bits.map((b) => b.activation)).toEqual([[4, 4, 4, 4], null]);
  });

  it('weights-only mode leaves activations in float', () => {
    expect(quantizers({ mode: 'w' }).bits()[0].activation).toEqual([32, 32, 32, 32]);
  });

  it('rejects inconsistent options with one line naming the option', () => {
    expect(() => resolveStrategyOptions(nmp, { mode: 'x' })).toThrow('nmp-qat: mode must be "w" or "wa", got "x"');
    expect(() => resolveStrategyOptions(nmp, { weightThresholds: [0.5] })).toThrow(/one threshold fewer than bit choices/);
    expect(() => resolveStrategyOptions(nmp, { bogus: 1 })).toThrow(/has no option "bogus"; valid: mode, /);
  });
});

describe('nmp-qat bits grow where the loss asks for it', () => {
  it('descending the quantization error through the surrogate raises the strengths past thresholds', () => {
    const q = quantizers({ mode: 'w' });
    const w = tf.tensor2d(
      Float32Array.from({ length: 20 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 3))),
      [5, 4],
    );
    const opt = tf.train.sgd(0.5);
    for (let step = 0; step < 200; step++) {
      opt.minimize(() => tf.sum(tf.square(tf.sub(q.weights(0, w), w))) as tf.Scalar, false, groupVariables(q, 'weight strengths'));
      q.afterStep();
    }
    const grown = q.bits()[0].weight;
    expect(Math.min(...grown)).toBeGreaterThan(1);
    // layer 1's strengths had no loss to answer to: they stay where they started
    expect(q.bits()[1].weight).toEqual([1, 1]);
  });

  it('strengths are clipped to [0, 1] after each step', () => {
    const q = quantizers();
    const [first] = groupVariables(q, 'weight strengths');
    first.assign(tf.fill(first.shape, 3));
    q.afterStep();
    expect(q.bits()[0].weight).toEqual([8, 8, 8, 8]);
    expect(Math.max(...(first.dataSync() as Float32Array))).toBe(1);
  });
});

/** Plain forward pass from the discrete description alone: fixed bits per neuron and clip levels. */
function discreteForward(x: tf.Tensor2D, kernels: tf.Tensor2D[], biases: tf.Tensor1D[], q: QuantizerSet): tf.Tensor2D {
  const bits = q.bits();
  let h = x;
  kernels.forEach((kernel, l) => {
    const columns = bits[l].weight.map((b, j) => quantizeWeights(tf.slice(kernel, [0, j], [-1, 1]) as tf.Tensor2D, b, MID_RISE));
    h = tf.add(tf.matMul(h, tf.concat(columns, 1)), biases[l]);
    const act = bits[l].activation;
    if (act) {
      h = tf.relu(h);
      const clip = bits[l].clip;
      if (clip)
        h = tf.concat(
          act.map((b, j) => quantizeActivations(tf.slice(h, [0, j], [-1, 1]) as tf.Tensor2D, tf.tensor1d([clip[j]]), b)),
          1,
        );
    }
  });
  return h;
}

describe('after training, the fixed bits alone reproduce the model', () => {
  it('predictions of the trained nmp-qat W+A model equal a discrete forward pass', () => {
    const data = syntheticDataset();
    const model = mlp.create({ depth: 2, width: 16 }, 6, 3, makeRng(2));
    const q = nmp.create(resolveStrategyOptions(nmp, { mode: 'wa' }), plainContext(model.layers, 3));
    const outcome = train(
      model,
      q,
      data,
      { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 4, patience: 4, batchSize: 64, calibrationRows: 128 },
      makeRng(4),
    );
    expect(outcome.status).toBe('ok');
    // Spread the strengths over every interval so that the check covers mixed widths.
    [...groupVariables(q, 'weight strengths'), ...groupVariables(q, 'activation strengths')].forEach((v) =>
      v.assign(tf.tensor1d(Array.from({ length: v.shape[0] }, (_, j) => ((j % 4) + 0.5) / 4))),
    );
    expect(new Set(q.bits()[0].weight)).toEqual(new Set([1, 2, 4, 8]));
    expect(new Set(q.bits()[1].activation)).toEqual(new Set([4, 8, 16]));
    const viaModel = predict(model, q, data.test, 6);
    const kernels = model.variables.slice(0, 3) as unknown as tf.Tensor2D[];
    const biases = model.variables.slice(3) as unknown as tf.Tensor1D[];
    const viaBits = discreteForward(tf.tensor2d(data.test.x, [data.test.n, 6]), kernels, biases, q).dataSync();
    Array.from(viaModel).forEach((v, i) => expect(v).toBeCloseTo(viaBits[i], 4));
  });
});

describe('dense op', () => {
  it('explicit-transpose gradients equal tfjs matMul gradients', () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 2],
    ]);
    const w = tf.tensor2d([
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.6],
    ]);
    const b = tf.tensor1d([0.01, -0.02]);
    const up = tf.tensor2d([
      [1, -1],
      [0.5, 2],
    ]);
    const ours = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(up, dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D))))([
      x,
      w,
      b,
    ]);
    const reference = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(up, tf.add(tf.matMul(xx, ww), bb))))([x, w, b]);
    ours.forEach((g, i) => expect(g.arraySync()).toEqual(reference[i].arraySync()));
  });
});

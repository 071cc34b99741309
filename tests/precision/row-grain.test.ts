import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createPrecisionQuantizers, fixedWidth, frozenChoices } from '../../src/precision/precision-quantizers.js';
import { discreteQuantizers } from '../../src/precision/discrete-quantizers.js';
import { SYMMETRIC_MAX } from '../../src/quant/quantizers.js';
import type { LayerSpec } from '../../src/layers/layer.js';

const layers: LayerSpec[] = [{ name: 'out', fanIn: 2, fanOut: 3, activation: null, input: null, rowsPerSample: 1 }];

describe('per-input-row quantization (channel-wise grain)', () => {
  it('quantizes each row with its own width and scale, worked by hand', () => {
    const q = createPrecisionQuantizers(layers, {
      weight: [frozenChoices([1, 2, 4, 8], [1, 2], 'row')],
      weightQuantizer: SYMMETRIC_MAX,
      activation: null,
      clipPercentile: 100,
      bitPenalty: 0,
    });
    const kernel = tf.tensor2d([
      [0.5, -1.0, 0.3], // 1 bit: sign x mean|row| = 0.6
      [0.4, -0.9, 0.2], // 2 bits: one level each side, step max|row| = 0.9: round(w / 0.9) x 0.9
    ]);
    const out = tf.tidy(() => q.weights(0, kernel).arraySync());
    expect(out[0]).toEqual([0.6, -0.6, 0.6].map((v) => expect.closeTo(v, 6)));
    expect(out[1]).toEqual([0, -0.9, 0].map((v) => expect.closeTo(v, 6)));
    const [bits] = q.bits();
    expect(bits.weightRows).toEqual([1, 2]);
    expect(bits.weight).toEqual([1.5, 1.5, 1.5]);
    kernel.dispose();
    q.dispose();
  });

  it('passes the gradient straight through the transposes to the kernel', () => {
    const q = createPrecisionQuantizers(layers, {
      weight: [frozenChoices([1, 2, 4, 8], [4, 8], 'row')],
      weightQuantizer: SYMMETRIC_MAX,
      activation: null,
      clipPercentile: 100,
      bitPenalty: 0,
    });
    const kernel = tf.tensor2d([
      [0.5, -1.0, 0.3],
      [0.4, -0.9, 0.2],
    ]);
    const upstream = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const grad = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(q.weights(0, k as tf.Tensor2D), upstream)))(kernel);
    expect(grad.arraySync()).toEqual(upstream.arraySync());
    tf.dispose([kernel, upstream, grad]);
    q.dispose();
  });

  it('rejects the row grain for activations', () => {
    const hidden: LayerSpec[] = [{ name: 'fc1', fanIn: 2, fanOut: 2, activation: { width: 2, signed: false }, input: null, rowsPerSample: 1 }];
    expect(() =>
      createPrecisionQuantizers(hidden, { weight: null, weightQuantizer: SYMMETRIC_MAX, activation: fixedWidth(8, 'row'), clipPercentile: 100, bitPenalty: 0 }),
    ).toThrow(/activations have no input rows/);
  });
});

describe('a row split: some rows with a scale each, the others with one scale per neuron over them (OWQ)', () => {
  const three: LayerSpec[] = [{ name: 'out', fanIn: 3, fanOut: 2, activation: null, input: null, rowsPerSample: 1 }];
  const split = (rows: number[], perRow = fixedWidth(4, 'row'), perNeuron = fixedWidth(2, 'neuron')) =>
    createPrecisionQuantizers(three, {
      weight: [{ rows, perRow, perNeuron }],
      weightQuantizer: SYMMETRIC_MAX,
      activation: null,
      clipPercentile: 100,
      bitPenalty: 0,
    });
  const KERNEL = [
    [0.5, -1.0],
    [0.4, -0.9],
    [0.2, 0.6],
  ];

  it('quantizes each part on its own rows, worked by hand, and reports per-row widths', () => {
    const q = split([1]);
    const kernel = tf.tensor2d(KERNEL);
    const out = tf.tidy(() => q.weights(0, kernel).arraySync());
    // row 1 alone at 4 bits: step max|row| / 7 = 0.9 / 7; 0.4 / step = 3.11 -> 3
    expect(out[1]).toEqual([(3 * 0.9) / 7, -0.9].map((v) => expect.closeTo(v, 6)));
    // rows 0 and 2 per neuron at 2 bits (one level each side), steps fitted over them alone:
    // column 0 (0.5, 0.2): step 0.5, 0.2 -> 0; column 1 (-1, 0.6): step 1, 0.6 -> 1
    expect([out[0], out[2]]).toEqual(
      [
        [0.5, -1],
        [0, 1],
      ].map((row) => row.map((v) => expect.closeTo(v, 6))),
    );
    const [bits] = q.bits();
    expect(bits).toMatchObject({ weightRows: [2, 4, 2], neuronScaledRows: [0, 2], weight: [8 / 3, 8 / 3] });
    // the discrete model of these bits is the same
    expect(tf.tidy(() => discreteQuantizers([bits]).weights(0, kernel).arraySync())).toEqual(out);
    kernel.dispose();
    q.dispose();
  });

  it('passes the gradient straight through to the kernel', () => {
    const q = split([2, 0]);
    const kernel = tf.tensor2d(KERNEL);
    const upstream = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const grad = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(q.weights(0, k as tf.Tensor2D), upstream)))(kernel);
    expect(grad.arraySync()).toEqual(upstream.arraySync());
    expect(q.trainable).toEqual([]);
    tf.dispose([kernel, upstream, grad]);
    q.dispose();
  });

  it('with no rows or every row, is the plain neuron or row grain', () => {
    const kernel = tf.tensor2d(KERNEL);
    const [none, all] = [split([]), split([0, 1, 2])];
    expect(none.bits()[0]).toEqual({ weight: [2, 2], weightQuantizer: SYMMETRIC_MAX, activation: null, clip: null });
    expect(all.bits()[0]).toMatchObject({ weightRows: [4, 4, 4] });
    expect(all.bits()[0].neuronScaledRows).toBeUndefined();
    const byRow = createPrecisionQuantizers(three, {
      weight: fixedWidth(4, 'row'),
      weightQuantizer: SYMMETRIC_MAX,
      activation: null,
      clipPercentile: 100,
      bitPenalty: 0,
    });
    expect(tf.tidy(() => all.weights(0, kernel).arraySync())).toEqual(tf.tidy(() => byRow.weights(0, kernel).arraySync()));
    tf.dispose(kernel);
    [none, all, byRow].forEach((q) => q.dispose());
  });

  it('refuses rows out of range or repeated, learned widths, and a neuron part of several widths', () => {
    expect(() => split([3])).toThrow(/distinct rows within 0..2/);
    expect(() => split([1, 1])).toThrow(/distinct rows/);
    expect(() => split([1], { ...fixedWidth(4, 'row'), trainable: true })).toThrow(/frozen/);
    expect(() => split([1], fixedWidth(4, 'row'), frozenChoices([2, 4], [2, 4], 'neuron'))).toThrow(/one width/);
    expect(() => split([1], fixedWidth(4, 'neuron'))).toThrow(/row grain, then one of neuron or layer grain/);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createPrecisionQuantizers, fixedWidth, frozenChoices } from '../../src/quant/precision-quantizers.js';
import { SYMMETRIC_MAX } from '../../src/quant/quantizers.js';
import type { LayerSpec } from '../../src/strategy/types.js';

const layers: LayerSpec[] = [{ name: 'out', fanIn: 2, fanOut: 3, activation: null, input: null, rowsPerSample: 1 }];

describe('per-input-row quantization (channel-wise grain)', () => {
  it('quantizes each row with its own width and scale, worked by hand', () => {
    const q = createPrecisionQuantizers(layers, { weight: [frozenChoices([1, 2, 4, 8], [1, 2], 'row')], weightQuantizer: SYMMETRIC_MAX, activation: null, clipPercentile: 100, bitPenalty: 0 });
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
    const q = createPrecisionQuantizers(layers, { weight: [frozenChoices([1, 2, 4, 8], [4, 8], 'row')], weightQuantizer: SYMMETRIC_MAX, activation: null, clipPercentile: 100, bitPenalty: 0 });
    const kernel = tf.tensor2d([[0.5, -1.0, 0.3], [0.4, -0.9, 0.2]]);
    const upstream = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const grad = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(q.weights(0, k as tf.Tensor2D), upstream)))(kernel);
    expect(grad.arraySync()).toEqual(upstream.arraySync());
    tf.dispose([kernel, upstream, grad]);
    q.dispose();
  });

  it('rejects the row grain for activations', () => {
    const hidden: LayerSpec[] = [{ name: 'fc1', fanIn: 2, fanOut: 2, activation: { width: 2, signed: false }, input: null, rowsPerSample: 1 }];
    expect(() => createPrecisionQuantizers(hidden, { weight: null, weightQuantizer: SYMMETRIC_MAX, activation: fixedWidth(8, 'row'), clipPercentile: 100, bitPenalty: 0 })).toThrow(/activations have no input rows/);
  });
});

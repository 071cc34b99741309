import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hasFusedLayerNorm } from '../../src/kernels/layer-norm-kernels.js';
import { layerNorm, referenceLayerNorm } from '../../src/model/layer-norm.js';
import { makeRng, normal } from '../../src/rng.js';
import { KERNEL_BACKENDS, useBackend } from './backends.js';

const rng = makeRng('fused-layer-norm');
const draw = (n: number, scale = 1, shift = 0) => Float32Array.from({ length: n }, () => shift + scale * normal(rng));

/** |got - want| <= 1e-5 max |want| everywhere (float32 sums in another order; an all-zero gradient exactly). */
function expectClose(got: tf.Tensor, want: tf.Tensor): void {
  expect(got.shape).toEqual(want.shape);
  const [error, scale] = tf.tidy(() => [tf.max(tf.abs(tf.sub(got, want))), tf.max(tf.abs(want))].map((t) => t.dataSync()[0]));
  expect(error).toBeLessThanOrEqual(1e-5 * scale);
}

type Norm = typeof layerNorm;

/** The value and the gradients to x, gamma and beta of L = sum(up * layerNorm(x, gamma, beta)). */
function valueAndGrads(op: Norm, x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, up: tf.Tensor2D): tf.Tensor[] {
  const loss = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(up, op(a as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D)));
  return [op(x, gamma, beta), ...tf.grads(loss)([x, gamma, beta])];
}

function inputs(rows: number, cols: number): [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor2D] {
  const x = draw(rows * cols, 3, 1); // off-centre, so that the mean matters
  x.fill(0.5, 0, cols); // a constant row: variance 0, normalized by sqrt(eps) alone
  return [tf.tensor2d(x, [rows, cols]), tf.tensor1d(draw(cols)), tf.tensor1d(draw(cols)), tf.tensor2d(draw(rows * cols), [rows, cols])];
}

describe.each(KERNEL_BACKENDS)('fused LayerNorm against the op-by-op reference (%s)', (backend) => {
  useBackend(backend);

  it('runs on the backend under test, which has the kernels', () => {
    expect(tf.getBackend()).toBe(backend);
    expect(hasFusedLayerNorm()).toBe(true);
  });

  // Four columns per v128: 23 columns leave a tail of three, 3 columns are all tail.
  it.each([
    [33, 23],
    [7, 64],
    [5, 3],
  ])('value and gradients to x, gamma and beta: %i rows of %i columns', (rows, cols) => {
    tf.tidy(() => {
      const [x, gamma, beta, up] = inputs(rows, cols);
      const got = valueAndGrads(layerNorm, x, gamma, beta, up);
      const want = valueAndGrads(referenceLayerNorm, x, gamma, beta, up);
      got.forEach((g, i) => expectClose(g, want[i]));
    });
  });

  it('leaves no tensor behind: value and gradients inside tf.tidy', () => {
    const all = inputs(9, 10);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      valueAndGrads(layerNorm, ...all);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(all);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hasFusedAttention } from '../../src/kernels/attention-kernels.js';
import { multiHeadAttention, referenceMultiHeadAttention } from '../../src/model/attention.js';
import { makeRng, normal } from '../../src/rng.js';
import { KERNEL_BACKENDS, useBackend } from './backends.js';

const rng = makeRng('fused-attention');
const randn = (rows: number, cols: number, scale = 1) =>
  tf.tensor2d(
    Float32Array.from({ length: rows * cols }, () => scale * normal(rng)),
    [rows, cols],
  );
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** |got - want| <= 1e-5 max |want| everywhere (float32 sums in another order; an all-zero gradient exactly). */
function expectClose(got: tf.Tensor, want: tf.Tensor): void {
  expect(got.shape).toEqual(want.shape);
  const [error, scale] = tf.tidy(() => [tf.max(tf.abs(tf.sub(got, want))), tf.max(tf.abs(want))].map((t) => t.dataSync()[0]));
  expect(error).toBeLessThanOrEqual(1e-5 * scale);
}

type Attention = typeof multiHeadAttention;

/** The value and the gradients to q, k and v of L = sum(up * attention(q, k, v)). */
function valueAndGrads(op: Attention, q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, up: tf.Tensor2D, samples: number, heads: number): tf.Tensor[] {
  const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(up, op(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, samples, heads)));
  return [op(q, k, v, samples, heads), ...tf.grads(loss)([q, k, v])];
}

// The kernels keep rows of tokens and of dh floats rounded up to whole v128s and work on sixteen
// columns at a time, then four: 17 tokens and dh 6 leave tails in both, dh 17 is sixteen columns
// and a padded vector, one token is a softmax of one.
const SHAPES = [
  { samples: 3, tokens: 17, heads: 2, dh: 6 },
  { samples: 2, tokens: 55, heads: 4, dh: 16 },
  { samples: 2, tokens: 5, heads: 3, dh: 17 },
  { samples: 4, tokens: 1, heads: 1, dh: 1 },
  { samples: 1, tokens: 2, heads: 2, dh: 4 },
];

describe.each(KERNEL_BACKENDS)('fused multi-head attention against the op-by-op reference (%s)', (backend) => {
  useBackend(backend);

  it('runs on the backend under test, which has the kernels', () => {
    expect(tf.getBackend()).toBe(backend);
    expect(hasFusedAttention()).toBe(true);
  });

  it.each(SHAPES)('value and gradients to q, k and v: $samples samples, $tokens tokens, $heads heads of width $dh', ({ samples, tokens, heads, dh }) => {
    tf.tidy(() => {
      const [q, k, v, up] = Array.from({ length: 4 }, () => randn(samples * tokens, heads * dh));
      const got = valueAndGrads(multiHeadAttention, q, k, v, up, samples, heads);
      const want = valueAndGrads(referenceMultiHeadAttention, q, k, v, up, samples, heads);
      got.forEach((g, i) => expectClose(g, want[i]));
      if (tokens === 1) expect(values(got[0])).toEqual(values(v)); // each token attends to itself only
    });
  });

  it('peaked scores (differences past 87, where e^x underflows float32) stay finite and match', () => {
    tf.tidy(() => {
      const [samples, tokens, heads, dh] = [2, 13, 2, 6];
      const [q, k] = [randn(samples * tokens, heads * dh, 8), randn(samples * tokens, heads * dh, 8)];
      const [v, up] = [randn(samples * tokens, heads * dh), randn(samples * tokens, heads * dh)];
      // sample 0, head 0: some row's scores span more than 87 (not vacuous)
      const scores = tf.div(tf.matMul(q.slice([0, 0], [tokens, dh]), k.slice([0, 0], [tokens, dh]), false, true), Math.sqrt(dh));
      expect(tf.max(tf.sub(tf.max(scores, 1), tf.min(scores, 1))).dataSync()[0]).toBeGreaterThan(87);
      const got = valueAndGrads(multiHeadAttention, q, k, v, up, samples, heads);
      const want = valueAndGrads(referenceMultiHeadAttention, q, k, v, up, samples, heads);
      got.forEach((g, i) => {
        expect(values(g).every(Number.isFinite)).toBe(true);
        expectClose(g, want[i]);
      });
    });
  });

  it('leaves no tensor behind: value and gradients inside tf.tidy', () => {
    const [q, k, v, up] = Array.from({ length: 4 }, () => randn(3 * 17, 12));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      valueAndGrads(multiHeadAttention, q, k, v, up, 3, 2);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([q, k, v, up]);
  });
});

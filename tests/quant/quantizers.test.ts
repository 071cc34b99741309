import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { quantizeActivations, quantizeWeights, SYMMETRIC_MAX, TERNARY_BITS, weightCodes } from '../../src/quant/quantizers.js';
import { makeRng, normal } from '../../src/rng.js';

// Two neurons (columns) with different scales, so per-column independence is checked too.
// Values avoid exact rounding ties, which float32 division may land on either side of.
const W = tf.tensor2d([
  [0.6, 2.2],
  [-0.25, -4],
  [0, 1.2],
  [1, 0],
]);

function columns(bits: number, w: tf.Tensor2D = W): number[][] {
  const q = quantizeWeights(w, bits, SYMMETRIC_MAX).arraySync();
  return q[0].map((_, j) => q.map((r) => r[j]));
}

function expectClose(got: number[], want: number[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
}

describe('symmetric-max weight quantizers (the first reconstruction), worked by hand', () => {
  it('1 bit: mean |w| times sign, sign(0) = +1', () => {
    const [a, b] = columns(1);
    expectClose(a, [0.4625, -0.4625, 0.4625, 0.4625]); // mean(.6, .25, 0, 1)
    expectClose(b, [1.85, -1.85, 1.85, 1.85]); // mean(2.2, 4, 1.2, 0)
  });

  it('ternary: zero at or under 0.7 mean|w|, the mean |w| above it as the scale', () => {
    const [a, b] = columns(TERNARY_BITS);
    expectClose(a, [0.8, 0, 0, 0.8]); // threshold .32375; scale mean(.6, 1)
    expectClose(b, [3.1, -3.1, 0, 0]); // threshold 1.295; scale mean(2.2, 4)
  });

  it('2 bits: levels {-d, 0, d} with d = max|w|; exact ties round half to even', () => {
    const [a, b] = columns(2);
    expectClose(a, [1, 0, 0, 1]); // .6 -> 1, -.25 -> 0
    expectClose(b, [4, -4, 0, 0]); // .55 -> 1, .3 -> 0
    expectClose(columns(2, tf.tensor2d([[0.5], [1], [-0.5]]))[0], [0, 1, 0]); // 0.5 is exact: rounds to 0
  });

  it('4 bits: n = 7, step max|w| / 7', () => {
    const [a, b] = columns(4);
    expectClose(a, [4 / 7, -2 / 7, 0, 1]); // 4.2 -> 4, -1.75 -> -2
    expectClose(b, [16 / 7, -4, 8 / 7, 0]); // 3.85 -> 4, -7, 2.1 -> 2
  });

  it('8 bits: n = 127', () => {
    expectClose(columns(8)[0], [76 / 127, -32 / 127, 0, 1]); // 76.2 -> 76, -31.75 -> -32
  });

  it('splits into integer codes and a per-column scale, whose product is the quantized kernel', () => {
    const { codes, scale } = weightCodes(W, 4, SYMMETRIC_MAX);
    expect(codes.arraySync()).toEqual([
      [4, 4],
      [-2, -7],
      [0, 2],
      [7, 0],
    ]);
    expectClose(scale.arraySync()[0], [1 / 7, 4 / 7]);
    expect(tf.mul(codes, scale).arraySync()).toEqual(quantizeWeights(W, 4, SYMMETRIC_MAX).arraySync());
    expect(weightCodes(W, 1, SYMMETRIC_MAX).codes.arraySync()).toEqual([
      [1, 1],
      [-1, -1],
      [1, 1],
      [1, 1],
    ]);
    expect(
      weightCodes(W, TERNARY_BITS, SYMMETRIC_MAX)
        .codes.arraySync()
        .map((r) => r.map((c) => c + 0)),
    ).toEqual([
      [1, 1],
      [0, -1],
      [0, 0],
      [1, 0],
    ]);
  });

  it('an all-zero neuron stays zero at every width', () => {
    for (const bits of [1, TERNARY_BITS, 2, 8]) {
      expect(columns(bits, tf.tensor2d([[0], [0]]))[0].map(Math.abs)).toEqual([0, 0]);
    }
  });

  it('rejects widths it cannot represent', () => {
    expect(() => quantizeWeights(W, 3.5, SYMMETRIC_MAX)).toThrow(/unsupported weight bit-width 3.5/);
  });
});

describe('symmetric-max quantization error on Gaussian neurons (why it was replaced)', () => {
  const rng = makeRng('gaussian-columns');
  const w = tf.tensor2d(
    Float32Array.from({ length: 512 * 64 }, () => normal(rng)),
    [512, 64],
  );
  const mse = (bits: number) => tf.mean(tf.square(tf.sub(quantizeWeights(w, bits, SYMMETRIC_MAX), w))).dataSync()[0];

  it('1 bit loses 1 - 2/pi of the variance; max-scaled 2 bits lose about twice as much; 4 bits little', () => {
    expect(mse(1)).toBeCloseTo(1 - 2 / Math.PI, 1);
    expect(mse(2)).toBeGreaterThan(0.6);
    expect(mse(2)).toBeLessThan(0.8);
    expect(mse(4)).toBeLessThan(0.02);
  });
});

describe('unsigned activation quantizer', () => {
  it('clips to [0, alpha] and rounds to alpha / (2^b - 1) steps', () => {
    const a = tf.tensor2d([[-1], [0.5], [1.1], [1.5], [3]]);
    const q = quantizeActivations(a, tf.tensor1d([2]), 2)
      .arraySync()
      .flat(); // step 2/3
    expectClose(q, [0, 2 / 3, 4 / 3, 4 / 3, 2]); // .75 -> 1, 1.65 -> 2, 2.25 -> 2, clipped -> 3 steps
  });

  it('uses each neuron its own clip level', () => {
    const a = tf.tensor2d([[0.31, 0.31]]);
    const q = quantizeActivations(a, tf.tensor1d([1, 0.2]), 4).arraySync()[0]; // steps 1/15, 0.2/15
    expectClose(q, [5 / 15, 0.2]); // 4.65 steps -> 5; the second neuron clips at its alpha
  });
});

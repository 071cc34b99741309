import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fusedCandidateOps as fused, hasFusedCandidateOps } from '../../src/kernels/quant-ops.js';
import { type CandidateSet, referenceCandidateOps as reference, signMagnitude } from '../../src/quant/candidate-ops.js';
import { mixedActivationQuant, mixedWeightQuant } from '../../src/quant/precision-ops.js';
import { quantizeWeights, TERNARY_BITS } from '../../src/quant/quantizers.js';
import { makeRng, normal } from '../../src/rng.js';
import { KERNEL_BACKENDS, useBackend } from './backends.js';

const WEIGHTS: CandidateSet = { bits: [1, 2, 4, 8], thresholds: [0.25, 0.5, 0.75], tau: 0.05 };
const ACTS: CandidateSet = { bits: [4, 8, 16], thresholds: [1 / 3, 2 / 3], tau: 0.05 };

// 23 columns: the kernels run four columns at a time, so the last three take the tail path.
const ROWS = 70;
const COLS = 23;
const rng = makeRng('fused-candidate-ops');
const randn = (rows: number, cols: number, scale = 1) => Float32Array.from({ length: rows * cols }, () => scale * normal(rng));
const W = randn(ROWS, COLS);
for (let i = 0; i < ROWS; i++) W[i * COLS + 5] = 0; // an all-zero neuron: no scale, stays zero
// Column 6 has max |w| = 1 and exact halves: at 2 bits (step 1) they are rounding ties, half to even.
[1, 0.5, -0.5, 0.25, -0.75].forEach((v, i) => (W[i * COLS + 6] = v));
W[0] = 0; // a zero weight in a 1-bit column (strength 0.1): sign(0) = +1
const DY = randn(ROWS, COLS, 0.01);
/** Strengths over all intervals, with exact threshold values (compared as float32 by both paths). */
const STRENGTHS = Array.from({ length: COLS }, (_, j) => [0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.9, 1 / 3, 2 / 3][j % 9]);
const ALPHA = Float32Array.from({ length: COLS }, (_, j) => 0.5 + (j % 5) * 0.7);
const A = randn(ROWS, COLS, 2);
// The boundaries of the input and clip gradients: a = alpha (clipped: PACT's side) and a = 0 (passed through);
// a = -alpha is the clip's other side for signed sites.
for (let j = 0; j < COLS; j++) {
  A[j] = ALPHA[j];
  A[COLS + j] = 0;
  A[2 * COLS + j] = -ALPHA[j];
}
const SIGNED_ACTS: CandidateSet = { bits: [2, 4, 8], thresholds: [1 / 3, 2 / 3], tau: 0.05, signed: true };

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const plain = (xs: number[]) => xs.map((v) => v + 0);

/** Largest |got - want| relative to `scale` (an independent bound on the magnitude of the terms). */
function worstRelative(got: tf.Tensor, want: tf.Tensor, scale: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(got, want)), tf.add(scale, 1e-30))).dataSync()[0]);
}

describe.each(KERNEL_BACKENDS)('fused candidate kernels against the op-by-op reference (%s)', (backend) => {
  useBackend(backend);
  const w = () => tf.tensor2d(W, [ROWS, COLS]);
  const dy = () => tf.tensor2d(DY, [ROWS, COLS]);
  const a = () => tf.tensor2d(A, [ROWS, COLS]);
  const s = () => tf.tensor1d(STRENGTHS);
  const alpha = () => tf.tensor1d(ALPHA);

  it('runs on the backend under test, which has the kernels', () => {
    expect(tf.getBackend()).toBe(backend);
    expect(hasFusedCandidateOps()).toBe(true);
  });

  it('weights: the forward value is each column at its selected width (codes exact; mean scales to float rounding)', () => {
    const got = fused.weightForward(w(), s(), WEIGHTS);
    const want = reference.weightForward(w(), s(), WEIGHTS);
    expect(worstRelative(got, want, tf.abs(want))).toBeLessThan(1e-6);
    // columns at 2, 4 or 8 bits involve no sum: equal to the last bit
    const multiBit = STRENGTHS.map((v, j) => (v >= 0.25 ? j : -1)).filter((j) => j >= 0);
    const cols = (t: tf.Tensor) => values(tf.gather(t, multiBit, 1));
    expect(plain(cols(got))).toEqual(plain(cols(want)));
  });

  it.each([[[1]], [[TERNARY_BITS]], [[2]], [[4]], [[16]]])('weights: a fixed width %j matches too', (bits) => {
    const set: CandidateSet = { bits, thresholds: [], tau: 1 };
    const want = reference.weightForward(w(), s(), set);
    expect(worstRelative(fused.weightForward(w(), s(), set), want, tf.abs(want))).toBeLessThan(1e-6);
  });

  it('weights: the backward products sum_i dy * Q_k(W) match for every candidate', () => {
    const got = fused.weightProducts(w(), dy(), WEIGHTS);
    const want = reference.weightProducts(w(), dy(), WEIGHTS);
    const terms = tf.stack(WEIGHTS.bits.map((b) => tf.sum(tf.abs(tf.mul(quantizeWeights(w(), b), dy())), 0)));
    expect(got.shape).toEqual([4, COLS]);
    expect(worstRelative(got, want, terms)).toBeLessThan(1e-6);
    expect(values(tf.max(tf.abs(want)))[0]).toBeGreaterThan(1e-3); // not vacuous
  });

  it('activations: the forward value equals the reference exactly', () => {
    expect(plain(values(fused.activationForward(a(), s(), alpha(), ACTS)))).toEqual(plain(values(reference.activationForward(a(), s(), alpha(), ACTS))));
  });

  it('activations: input and clip gradients and the candidate products match', () => {
    const got = fused.activationBackward(a(), dy(), alpha(), ACTS, true);
    const want = reference.activationBackward(a(), dy(), alpha(), ACTS, true);
    expect(plain(values(got.da))).toEqual(plain(values(want.da)));
    expect(worstRelative(got.dAlpha, want.dAlpha, tf.sum(tf.abs(dy()), 0))).toBeLessThan(1e-6);
    const terms = tf.mul(tf.sum(tf.abs(dy()), 0), alpha()); // |Q_k(a)| <= alpha
    expect(worstRelative(got.products!, want.products!, terms)).toBeLessThan(1e-6);
    expect(fused.activationBackward(a(), dy(), alpha(), ACTS, false).products).toBeNull();
  });

  it('signed activations: the fused kernels by sign and magnitude equal the direct signed reference', () => {
    const signed = signMagnitude(fused);
    expect(plain(values(signed.activationForward(a(), s(), alpha(), SIGNED_ACTS)))).toEqual(plain(values(reference.activationForward(a(), s(), alpha(), SIGNED_ACTS))));
    const got = signed.activationBackward(a(), dy(), alpha(), SIGNED_ACTS, true);
    const want = reference.activationBackward(a(), dy(), alpha(), SIGNED_ACTS, true);
    expect(plain(values(got.da))).toEqual(plain(values(want.da)));
    expect(worstRelative(got.dAlpha, want.dAlpha, tf.sum(tf.abs(dy()), 0))).toBeLessThan(1e-6);
    expect(worstRelative(got.products!, want.products!, tf.mul(tf.sum(tf.abs(dy()), 0), alpha()))).toBeLessThan(1e-6);
    expect(values(tf.max(tf.abs(want.dAlpha)))[0]).toBeGreaterThan(1e-3); // both clip sides are reached
    // Unsigned sets pass through untouched.
    expect(plain(values(signed.activationForward(a(), s(), alpha(), ACTS)))).toEqual(plain(values(fused.activationForward(a(), s(), alpha(), ACTS))));
  });

  it('the custom-gradient ops give the same gradients with either implementation', () => {
    const grads = (ops: typeof fused) => {
      const f = (x: tf.Tensor, st: tf.Tensor, c: tf.Tensor) => {
        const hw = mixedWeightQuant(x as tf.Tensor2D, st as tf.Tensor1D, WEIGHTS, ops);
        const ha = mixedActivationQuant(tf.mul(hw, 3) as tf.Tensor2D, st as tf.Tensor1D, c as tf.Tensor1D, ACTS, ops);
        return tf.sum(tf.mul(ha, dy()));
      };
      return tf.grads(f)([w(), s(), alpha()]);
    };
    const [gw, gs, ga] = grads(fused);
    const [rw, rs, ra] = grads(reference);
    expect(worstRelative(gw, rw, tf.max(tf.abs(rw)))).toBeLessThan(1e-6);
    expect(worstRelative(gs, rs, tf.max(tf.abs(rs)))).toBeLessThan(1e-6);
    expect(worstRelative(ga, ra, tf.max(tf.abs(ra)))).toBeLessThan(1e-6);
    expect(values(tf.max(tf.abs(rs)))[0]).toBeGreaterThan(1e-3);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fusedCandidateOps as fused, hasFusedCandidateOps } from '../../src/kernels/quant-ops.js';
import { type CandidateSet, referenceCandidateOps as reference, type WeightCandidateSet } from '../../src/quant/candidate-ops.js';
import { mixedActivationQuant, mixedWeightQuant } from '../../src/precision/precision-ops.js';
import { GAUSSIAN_OUTER_LEVEL } from '../../src/quant/gaussian-levels.js';
import { MID_RISE, quantizeWeights, SYMMETRIC_MAX, TERNARY_BITS, type WeightQuantizer } from '../../src/quant/quantizers.js';
import { makeRng, normal } from '../../src/rng.js';
import { KERNEL_BACKENDS, useBackend } from './backends.js';

const weightSet = (quantizer: WeightQuantizer): WeightCandidateSet => ({ bits: [1, 2, 4, 8], thresholds: [0.25, 0.5, 0.75], tau: 0.05, quantizer });
const WEIGHTS = weightSet(SYMMETRIC_MAX);
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
// Heavy-tailed columns: the Laplace distribution's quantiles for |w| (random signs), whose
// largest, ln(2 rows) = 7.6, is 5.4 rms. At 8 bits a Gaussian start's outer level (3.92 rms) clips
// the tail, so mid-rise must keep the max |w| start. Six columns: the last two take the tail path.
const LAPLACE_ROWS = 1000;
const LAPLACE_COLS = 6;
const LAPLACE = Float32Array.from({ length: LAPLACE_ROWS * LAPLACE_COLS }, (_, e) => {
  const [i, j] = [Math.floor(e / LAPLACE_COLS), e % LAPLACE_COLS];
  return (rng() < 0.5 ? -0.1 : 0.1) * (1 + j) * -Math.log(1 - (i + 0.5) / LAPLACE_ROWS);
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const plain = (xs: number[]) => xs.map((v) => v + 0);

/** Largest |got - want| relative to `scale` (an independent bound on the magnitude of the terms). */
function worstRelative(got: tf.Tensor, want: tf.Tensor, scale: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(got, want)), tf.add(scale, 1e-30))).dataSync()[0]);
}

/**
 * Mid-rise keeps the start whose float32 error sum w^2 - h sum w c is smaller. Summed in another
 * order than the reference's (the cpu backend sums in float64), that error is off by up to about
 * 1e-6 sum w^2: where both starts' errors are below that, which one is kept is rounding.
 */
const ERROR_RESOLUTION = 1e-6;

/**
 * Where mid-rise values `got` disagree with the reference's `want` beyond float rounding, per
 * column of the [rows, cols] kernel `w` (E = ||Q(W) - W||^2 per column). Columns with an error
 * above the resolution must match the reference's E and, on 99% of their elements, its code (a
 * value within 1e-5: the scale to float rounding; one code off is 2/65535 at 16 bits). Below it,
 * E must stay there and within 10x of the reference's: the other start, not another width (4x a bit).
 */
function midRiseDisagreements(got: Float32Array, want: Float32Array, w: Float32Array, cols: number): { failures: string[]; decided: number } {
  const failures: string[] = [];
  let decided = 0;
  let elements = 0;
  let differing = 0;
  for (let j = 0; j < cols; j++) {
    let [errGot, errWant, squares] = [0, 0, 0];
    const column = Array.from({ length: w.length / cols }, (_, i) => i * cols + j);
    for (const e of column) {
      errGot += (got[e] - w[e]) ** 2;
      errWant += (want[e] - w[e]) ** 2;
      squares += w[e] ** 2;
    }
    if (errWant > ERROR_RESOLUTION * squares) {
      decided++;
      if (Math.abs(errGot / errWant - 1) > 1e-4) failures.push(`column ${j}: error ${errGot}, reference ${errWant}`);
      elements += column.length;
      differing += column.filter((e) => Math.abs(got[e] - want[e]) > 1e-5 * Math.abs(want[e])).length;
    } else if (errGot > ERROR_RESOLUTION * squares || errGot > 10 * errWant) {
      failures.push(`column ${j}: error ${errGot}, reference ${errWant} (resolution ${ERROR_RESOLUTION * squares})`);
    }
  }
  if (differing > 0.01 * elements) failures.push(`${differing} of ${elements} values differ`);
  return { failures, decided };
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

  const fixedWidth = (bits: number, quantizer: WeightQuantizer): WeightCandidateSet => ({ bits: [bits], thresholds: [], tau: 1, quantizer });

  it('symmetric-max weights: the forward value is each column at its selected width (codes exact; mean scales to float rounding)', () => {
    const got = fused.weightForward(w(), s(), WEIGHTS);
    const want = reference.weightForward(w(), s(), WEIGHTS);
    expect(worstRelative(got, want, tf.abs(want))).toBeLessThan(1e-6);
    // columns at 2, 4 or 8 bits involve no sum: equal to the last bit
    const multiBit = STRENGTHS.map((v, j) => (v >= 0.25 ? j : -1)).filter((j) => j >= 0);
    const cols = (t: tf.Tensor) => values(tf.gather(t, multiBit, 1));
    expect(plain(cols(got))).toEqual(plain(cols(want)));
  });

  it.each([1, TERNARY_BITS, 2, 4, 16])('symmetric-max weights: a fixed width %s matches too', (bits) => {
    const set = fixedWidth(bits, SYMMETRIC_MAX);
    const want = reference.weightForward(w(), s(), set);
    expect(worstRelative(fused.weightForward(w(), s(), set), want, tf.abs(want))).toBeLessThan(1e-6);
  });

  it.each([SYMMETRIC_MAX, MID_RISE])('weights: the backward products sum_i dy * Q_k(W) match for every candidate (%o)', (quantizer) => {
    const set = weightSet(quantizer);
    const got = fused.weightProducts(w(), dy(), set);
    const want = reference.weightProducts(w(), dy(), set);
    const terms = tf.stack(set.bits.map((b) => tf.sum(tf.abs(tf.mul(quantizeWeights(w(), b, quantizer), dy())), 0)));
    expect(got.shape).toEqual([4, COLS]);
    expect(worstRelative(got, want, terms)).toBeLessThan(1e-6);
    expect(values(tf.max(tf.abs(want)))[0]).toBeGreaterThan(1e-3); // not vacuous
  });

  /** The mid-rise forward values of both implementations on the [rows, cols] kernel `x`, compared. */
  const midRiseForward = (x: Float32Array, rows: number, cols: number, set: WeightCandidateSet, strengths = tf.zeros([cols]) as tf.Tensor1D) => {
    const kernel = tf.tensor2d(x, [rows, cols]);
    const got = fused.weightForward(kernel, strengths, set).dataSync() as Float32Array;
    return midRiseDisagreements(got, reference.weightForward(kernel, strengths, set).dataSync() as Float32Array, x, cols);
  };

  it('mid-rise weights: the forward value is each column at its selected width (the reference codes; scales to float rounding)', () => {
    const { failures, decided } = midRiseForward(W, ROWS, COLS, weightSet(MID_RISE), s());
    expect(failures).toEqual([]);
    expect(decided).toBe(COLS - 1); // every column but the all-zero one, the last three through the tail path
  });

  it.each([1, 2, 3, 4, 8, 16, TERNARY_BITS])('mid-rise weights: a fixed width %s matches too', (bits) => {
    const { failures, decided } = midRiseForward(W, ROWS, COLS, fixedWidth(bits, MID_RISE));
    expect(failures).toEqual([]);
    // At 16 bits the errors are below the resolution: the choice of start is rounding.
    if (bits !== 16) expect(decided).toBe(COLS - 1);
  });

  it.each([2, 3, 4, 8])('mid-rise weights: the comparison rejects the reference one refinement short at %s bits', (bits) => {
    const kernel = w();
    const short = reference.weightForward(kernel, s(), fixedWidth(bits, { family: 'mid-rise', refinements: MID_RISE.refinements - 1 }));
    const full = reference.weightForward(kernel, s(), fixedWidth(bits, MID_RISE));
    expect(midRiseDisagreements(short.dataSync() as Float32Array, full.dataSync() as Float32Array, W, COLS).failures).not.toEqual([]);
  });

  it('mid-rise weights: the all-zero column stays zero, forward and products', () => {
    for (const bits of [1, 2, 8, 16]) {
      const set = fixedWidth(bits, MID_RISE);
      expect(plain(values(tf.gather(fused.weightForward(w(), s(), set), [5], 1)))).toEqual(new Array(ROWS).fill(0));
      expect(plain(values(fused.weightProducts(w(), dy(), set)))[5]).toBe(0);
    }
  });

  it('mid-rise weights: heavy-tailed columns at 8 bits keep the max |w| start, as the reference does', () => {
    const set = fixedWidth(8, MID_RISE);
    const { failures, decided } = midRiseForward(LAPLACE, LAPLACE_ROWS, LAPLACE_COLS, set);
    expect(failures).toEqual([]);
    expect(decided).toBe(LAPLACE_COLS);
    const kernel = tf.tensor2d(LAPLACE, [LAPLACE_ROWS, LAPLACE_COLS]);
    const maxOf = (t: tf.Tensor) => values(tf.max(tf.abs(t), 0));
    const gaussianLevel = values(tf.mul(tf.sqrt(tf.mean(tf.square(kernel), 0)), GAUSSIAN_OUTER_LEVEL[8]));
    const outerLevel = maxOf(fused.weightForward(kernel, tf.zeros([LAPLACE_COLS]) as tf.Tensor1D, set));
    maxOf(kernel).forEach((max, j) => {
      expect(gaussianLevel[j]).toBeLessThan(0.75 * max); // the Gaussian start clips the tail ...
      expect(outerLevel[j]).toBeGreaterThan(0.99 * max); // ... the kept start reaches it
    });
  });

  it.each([SYMMETRIC_MAX, MID_RISE])('weight codes: integer codes times the scales are the forward values, at every width (%o)', (quantizer) => {
    for (const bits of [1, TERNARY_BITS, 2, 3, 4, 8, 16]) {
      const { codes, scale } = fused.weightCodes(w(), bits, quantizer);
      expect([codes.shape, scale.shape]).toEqual([
        [ROWS, COLS],
        [1, COLS],
      ]);
      expect(values(codes).every(Number.isInteger)).toBe(true);
      const forward = fused.weightForward(w(), tf.zeros([COLS]) as tf.Tensor1D, fixedWidth(bits, quantizer));
      expect(worstRelative(tf.mul(codes, scale), forward, tf.abs(forward))).toBeLessThan(1e-6);
      // No sum decides a symmetric-max code: the reference's, exactly.
      if (quantizer === SYMMETRIC_MAX) expect(plain(values(codes))).toEqual(plain(values(reference.weightCodes(w(), bits, quantizer).codes)));
    }
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

  it('signed activations: the fused kernels, by sign and magnitude, equal the direct signed reference', () => {
    expect(plain(values(fused.activationForward(a(), s(), alpha(), SIGNED_ACTS)))).toEqual(
      plain(values(reference.activationForward(a(), s(), alpha(), SIGNED_ACTS))),
    );
    const got = fused.activationBackward(a(), dy(), alpha(), SIGNED_ACTS, true);
    const want = reference.activationBackward(a(), dy(), alpha(), SIGNED_ACTS, true);
    expect(plain(values(got.da))).toEqual(plain(values(want.da)));
    expect(worstRelative(got.dAlpha, want.dAlpha, tf.sum(tf.abs(dy()), 0))).toBeLessThan(1e-6);
    expect(worstRelative(got.products!, want.products!, tf.mul(tf.sum(tf.abs(dy()), 0), alpha()))).toBeLessThan(1e-6);
    expect(values(tf.max(tf.abs(want.dAlpha)))[0]).toBeGreaterThan(1e-3); // both clip sides are reached
    expect(fused.activationBackward(a(), dy(), alpha(), SIGNED_ACTS, false).products).toBeNull();
  });

  it.each([
    [SYMMETRIC_MAX, ACTS],
    [MID_RISE, ACTS],
    [MID_RISE, SIGNED_ACTS],
  ])('the custom-gradient ops give the same gradients with either implementation (%o, %o)', (quantizer, acts) => {
    const grads = (ops: typeof fused) => {
      const f = (x: tf.Tensor, st: tf.Tensor, c: tf.Tensor) => {
        const hw = mixedWeightQuant(x as tf.Tensor2D, st as tf.Tensor1D, weightSet(quantizer), ops);
        const ha = mixedActivationQuant(tf.mul(hw, 3) as tf.Tensor2D, st as tf.Tensor1D, c as tf.Tensor1D, acts, ops);
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

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gates } from '../../src/quant/gates.js';
import { referenceCandidateOps } from '../../src/quant/candidate-ops.js';
import { type CandidateSet, mixedActivationQuant, mixedWeightQuant, type WeightCandidateSet } from '../../src/precision/precision-ops.js';
import { MID_RISE, quantizeActivations, quantizeWeights, SYMMETRIC_MAX } from '../../src/quant/quantizers.js';
import { makeRng, normal } from '../../src/rng.js';

const rng = makeRng('precision-ops');
/** Exact comparison that does not distinguish -0 from +0 (a masked product may yield either). */
const plain = (xs: number[]) => xs.map((v) => v + 0);
const randn = (shape: [number, number]) =>
  tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => normal(rng)),
    shape,
  );

const WEIGHT_CANDIDATES = { bits: [1, 2, 4, 8], thresholds: [0.25, 0.5, 0.75], tau: 0.05 };
const ACTS: CandidateSet = { bits: [4, 8, 16], thresholds: [1 / 3, 2 / 3], tau: 0.05 };

/** The soft surrogate sum_k g_k(s) Q_k, computed independently of the custom op. */
function weightSurrogate(w: tf.Tensor2D, s: tf.Tensor1D, set: WeightCandidateSet): tf.Tensor2D {
  const g = gates(s, set.thresholds, set.tau);
  return tf.addN(set.bits.map((b, k) => tf.mul(quantizeWeights(w, b, set.quantizer), tf.slice(g, [k, 0], [1, -1])))) as tf.Tensor2D;
}

function activationSurrogate(a: tf.Tensor2D, s: tf.Tensor1D, alpha: tf.Tensor1D): tf.Tensor2D {
  const g = gates(s, ACTS.thresholds, ACTS.tau);
  return tf.addN(ACTS.bits.map((b, k) => tf.mul(quantizeActivations(a, alpha, b), tf.slice(g, [k, 0], [1, -1])))) as tf.Tensor2D;
}

/** Central difference of f along each coordinate of x. */
function finiteDifference(f: (x: tf.Tensor1D) => number, x: number[], h: number): number[] {
  return x.map((_, i) => {
    const shifted = (d: number) => tf.tensor1d(x.map((v, j) => (j === i ? v + d : v)));
    return (f(shifted(h)) - f(shifted(-h))) / (2 * h);
  });
}

// The op-by-op candidates: this file tests the custom gradients; tests/kernels compares the fused kernels with them.
describe.each([MID_RISE, SYMMETRIC_MAX])('mixed-precision weight quantizer (%o)', (quantizer) => {
  const WEIGHTS: WeightCandidateSet = { ...WEIGHT_CANDIDATES, quantizer };
  const op = (x: tf.Tensor2D, s: tf.Tensor1D) => mixedWeightQuant(x, s, WEIGHTS, referenceCandidateOps);
  const w = randn([6, 4]);
  const upstream = randn([6, 4]); // dL/dWq of a loss L = sum(upstream * Wq)
  const strengths = [0.2, 0.27, 0.52, 0.74];

  it("forward is the hard quantizer at each neuron's own width", () => {
    const q = op(w, tf.tensor1d(strengths)).arraySync();
    const bits = [1, 2, 4, 4];
    bits.forEach((b, j) => {
      const want = quantizeWeights(w, b, quantizer)
        .arraySync()
        .map((r) => r[j]);
      expect(plain(q.map((r) => r[j]))).toEqual(plain(want));
    });
  });

  it('passes the upstream gradient straight through to the weights (STE)', () => {
    const dw = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(upstream, op(x as tf.Tensor2D, tf.tensor1d(strengths)))))(w);
    expect(dw.arraySync()).toEqual(upstream.arraySync());
  });

  it('gives the strength the finite-difference gradient of the surrogate', () => {
    const ds = tf.grad((s: tf.Tensor) => tf.sum(tf.mul(upstream, op(w, s as tf.Tensor1D))))(tf.tensor1d(strengths));
    const fd = finiteDifference((s) => tf.sum(tf.mul(upstream, weightSurrogate(w, s, WEIGHTS))).dataSync()[0], strengths, 1e-3);
    const analytic = Array.from(ds.dataSync());
    analytic.forEach((v, j) => expect(v).toBeCloseTo(fd[j], 2));
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(0.1); // the check is not vacuous
  });
});

describe('mixed-precision activation quantizer', () => {
  const a = tf.relu(tf.mul(randn([8, 3]), 2)) as tf.Tensor2D;
  const upstream = randn([8, 3]);
  const alphaValues = [1.5, 2.5, 0.8];
  const alpha = tf.tensor1d(alphaValues);
  const strengths = [0.3, 0.4, 0.65];

  it("forward is the hard quantizer at each neuron's width and clip", () => {
    const q = mixedActivationQuant(a, tf.tensor1d(strengths), alpha, ACTS).arraySync();
    [4, 8, 8].forEach((b, j) =>
      expect(plain(q.map((r) => r[j]))).toEqual(
        plain(
          quantizeActivations(a, alpha, b)
            .arraySync()
            .map((r) => r[j]),
        ),
      ),
    );
  });

  it('passes gradients to the input inside [0, alpha) only', () => {
    const da = tf
      .grad((x: tf.Tensor) => tf.sum(tf.mul(upstream, mixedActivationQuant(x as tf.Tensor2D, tf.tensor1d(strengths), alpha, ACTS))))(a)
      .arraySync() as number[][];
    const av = a.arraySync();
    const up = upstream.arraySync();
    av.forEach((row, i) => expect(plain(da[i])).toEqual(row.map((v, j) => (v < alphaValues[j] ? up[i][j] : 0))));
  });

  it('gives alpha the PACT gradient: the finite difference of the clip (rounding passed straight through)', () => {
    const dAlpha = tf.grad((c: tf.Tensor) => tf.sum(tf.mul(upstream, mixedActivationQuant(a, tf.tensor1d(strengths), c as tf.Tensor1D, ACTS))))(alpha);
    const clipLoss = (c: tf.Tensor1D) => tf.sum(tf.mul(upstream, tf.minimum(a, c))).dataSync()[0];
    const fd = finiteDifference(clipLoss, alphaValues, 1e-3);
    Array.from(dAlpha.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(fd[j], 2));
    expect(fd.some((v) => Math.abs(v) > 0.1)).toBe(true); // some activations do clip
  });

  it('gives the strength the finite-difference gradient of the surrogate', () => {
    const ds = tf.grad((s: tf.Tensor) => tf.sum(tf.mul(upstream, mixedActivationQuant(a, s as tf.Tensor1D, alpha, ACTS))))(tf.tensor1d(strengths));
    const fd = finiteDifference((s) => tf.sum(tf.mul(upstream, activationSurrogate(a, s, alpha))).dataSync()[0], strengths, 1e-3);
    Array.from(ds.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(fd[j], 3));
  });
});

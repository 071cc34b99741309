import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { hessianQuadratic } from '../../baselines/hawq.js';
import { mlp } from '../../src/model/mlp.js';
import { floatQuantizers } from '../../src/precision/precision-quantizers.js';
import { makeRng } from '../../src/rng.js';
import { hutchinsonTrace, rademacher, runningMeanSettled } from '../../src/search/hutchinson.js';
import { probeFor, syntheticDataset } from '../helpers.js';

const ROWS = 48;
const data = syntheticDataset(ROWS, 4);
// Hidden width 2 and 3 classes: the output layer has 6 weights, so its Hessian is 6 x 6 and all 2^6 sign vectors can be enumerated.
const model = mlp.create({ depth: 1, width: 2 }, 4, 3, makeRng('hessian'));
const probe = probeFor(model, data);
const OUT = 1;
afterAll(() => {
  probe.dispose();
  model.dispose();
});

/**
 * The output layer's Hessian formed explicitly: logits z = x W + b, mean softmax cross-entropy, so
 * H[(i,a),(j,b)] = mean_n x_ni x_nj (delta_ab p_na - p_na p_nb), indices in the kernel's row-major order.
 */
function explicitHessian(): number[][] {
  const x = tf.tensor2d(data.train.x.subarray(0, ROWS * 4), [ROWS, 4]);
  const inputs = model.layerInputs(x)[OUT].arraySync() as number[][];
  const probs = tf.softmax(model.forward(x, floatQuantizers(model.layers))).arraySync() as number[][];
  x.dispose();
  const [fanIn, fanOut] = [2, 3];
  const size = fanIn * fanOut;
  const h = Array.from({ length: size }, () => new Array(size).fill(0));
  for (let n = 0; n < ROWS; n++) {
    for (let i = 0; i < fanIn; i++)
      for (let a = 0; a < fanOut; a++)
        for (let j = 0; j < fanIn; j++)
          for (let b = 0; b < fanOut; b++) {
            const curvature = (a === b ? probs[n][a] : 0) - probs[n][a] * probs[n][b];
            h[i * fanOut + a][j * fanOut + b] += (inputs[n][i] * inputs[n][j] * curvature) / ROWS;
          }
  }
  return h;
}

const quadraticOf = (h: number[][]) => (v: Float32Array) => h.reduce((s, row, r) => s + v[r] * row.reduce((t, hrc, c) => t + hrc * v[c], 0), 0);
const H = explicitHessian();
const trace = H.reduce((s, row, i) => s + row[i], 0);

describe('Hessian-vector products by central differences', () => {
  it('v^T H v matches the explicit Hessian for random sign vectors', () => {
    const finiteDifference = hessianQuadratic(probe, OUT, ROWS, 1e-3);
    const explicit = quadraticOf(H);
    const rng = makeRng('signs');
    expect(trace).toBeGreaterThan(1e-3); // a non-degenerate case
    for (let k = 0; k < 5; k++) {
      const v = rademacher(6, rng);
      expect(finiteDifference(v)).toBeCloseTo(explicit(v), 3);
    }
  });

  it('averaged over all 2^6 sign vectors it gives the trace of the explicit Hessian', () => {
    const finiteDifference = hessianQuadratic(probe, OUT, ROWS, 1e-3);
    let total = 0;
    for (let mask = 0; mask < 64; mask++) total += finiteDifference(Float32Array.from({ length: 6 }, (_, i) => ((mask >> i) & 1 ? 1 : -1)));
    expect(total / 64).toBeCloseTo(trace, 3);
  });
});

describe("Hutchinson's estimator", () => {
  it('converges to Tr(H) of the explicit Hessian within three standard errors', () => {
    const variance = 2 * H.reduce((s, row, i) => s + row.reduce((t, hij, j) => t + (i === j ? 0 : hij * hij), 0), 0);
    const iterations = 4000;
    const result = hutchinsonTrace(quadraticOf(H), 6, { tol: 0, maxIter: iterations, minIter: iterations }, makeRng('hutchinson'));
    expect(result.iterations).toBe(iterations);
    expect(Math.abs(result.trace - trace)).toBeLessThan(3 * Math.sqrt(variance / iterations) + 1e-12);
  });

  it('does not stop early on a negative running mean that is still moving', () => {
    // Running means -1, -50.5, -34, -50.5, ...: a signed bound (change < tol * mean) would stop at draw 2.
    const draws = [-1, -100, -1, -100, -1, -100];
    let k = 0;
    const result = hutchinsonTrace(() => draws[k++ % draws.length], 4, { tol: 0.05, maxIter: 6, minIter: 2 }, makeRng(0));
    expect(result.iterations).toBe(6);
    expect(runningMeanSettled(-1, -50.5, 0.05)).toBe(false);
  });

  it('stops once a negative running mean settles', () => {
    const draws = [-3, -3.01, -2.99, -3];
    let k = 0;
    const result = hutchinsonTrace(() => draws[k++], 4, { tol: 0.01, maxIter: 4, minIter: 2 }, makeRng(0));
    expect(result.iterations).toBe(2);
    expect(result.trace).toBeCloseTo(-3.005, 10);
  });
});

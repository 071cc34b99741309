import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MID_RISE, quantizeOnGrid, quantizeWeights, SYMMETRIC_MAX, weightCodes } from '../../src/quant/quantizers.js';
import { cholesky, dampedHessian, optq, outputError, permuteSymmetric, spdInverse, upperCholesky } from '../../src/search/optq.js';
import { makeRng, normal, type Rng } from '../../src/rng.js';

/** A [rows, cols] row-major matrix of standard normal draws. */
const gaussian = (rng: Rng, rows: number, cols: number) => Float64Array.from({ length: rows * cols }, () => normal(rng));

function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) for (let j = 0; j < m; j++) out[i * m + j] += a[i * k + t] * b[t * m + j];
  return out;
}

const transpose = (a: ArrayLike<number>, n: number, m: number) => Float64Array.from({ length: n * m }, (_, i) => a[(i % n) * m + Math.floor(i / n)]);

/** X^T X / n of X [n, d]. */
const gramOf = (x: Float64Array, n: number, d: number) => matMul(transpose(x, n, d), x, d, n, d).map((v) => v / n);

/** A symmetric positive-definite matrix: B B^T + I. */
function spd(rng: Rng, n: number): Float64Array {
  const b = gaussian(rng, n, n);
  const a = matMul(b, transpose(b, n, n), n, n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += 1;
  return a;
}

/** The inverse by Gauss-Jordan elimination with partial pivoting: independent of the Cholesky route. */
function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const m = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => a[i * n + j]),
    ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  ]);
  for (let c = 0; c < n; c++) {
    const pivot = m.slice(c).reduce((best, row, r) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? r + c : best), c);
    [m[c], m[pivot]] = [m[pivot], m[c]];
    const p = m[c][c];
    m[c] = m[c].map((v) => v / p);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r].map((v, j) => v - m[r][c] * m[c][j]);
  }
  return Float64Array.from(m.flatMap((row) => row.slice(n)));
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

describe('linear algebra for GPTQ', () => {
  const n = 7;
  const a = spd(makeRng('spd'), n);

  it('Cholesky: L lower triangular with L L^T = A; U = L^T with U^T U = A', () => {
    const l = cholesky(a, n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    expect(maxAbsDiff(matMul(l, transpose(l, n, n), n, n, n), a)).toBeLessThan(1e-9);
    const u = upperCholesky(a, n);
    expect(maxAbsDiff(u, transpose(l, n, n))).toBe(0);
    expect(maxAbsDiff(matMul(transpose(u, n, n), u, n, n, n), a)).toBeLessThan(1e-9);
  });

  it('the inverse through Cholesky equals Gauss-Jordan elimination', () => {
    expect(maxAbsDiff(spdInverse(a, n), gaussJordanInverse(a, n))).toBeLessThan(1e-10);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
  });

  it('permutes rows and columns together, and dampens H = 2G as GPTQ does', () => {
    expect([...permuteSymmetric(Float64Array.of(1, 2, 3, 2, 4, 5, 3, 5, 6), 3, [2, 0, 1])]).toEqual([6, 3, 5, 3, 1, 2, 5, 2, 4]);
    // H = 2G = [[2, 1], [1, 0]]; the dead input gets H_11 = 1; both diagonals gain 0.01 x mean(2, 1)
    expect([...dampedHessian(Float64Array.of(1, 0.5, 0.5, 0), 2, 0.01)]).toEqual([2.015, 1, 1, 1.015]);
  });
});

describe('GPTQ', () => {
  it('compensates one row on a worked 2-row case', () => {
    // H = [[2, 1], [1, 4]]: H^-1 = [[4, -1], [-1, 2]] / 7, U[0, 1] / U[0, 0] = H^-1_01 / H^-1_00 = -1/4.
    // Row 0: 0.3 rounds to 0.25 on a 0.25 grid, error 0.05; row 1 gains 0.05 / 4 = 0.0125.
    const h = Float64Array.of(2, 1, 1, 4);
    const grid = (v: number) => Math.round(v * 4) / 4;
    expect([...optq(Float64Array.of(0.3, 0.5), 2, 1, h, [0, 1], 1, grid)].map((v) => +v.toFixed(12))).toEqual([0.25, 0.5125]);
    expect([...optq(Float64Array.of(0.3, 0.5), 2, 1, h, [0, 1], 2, grid)]).toEqual([0.25, 0.5]);
    // The same rows in the other order: row 1 first (0.5 is on the grid), nothing to compensate.
    expect([...optq(Float64Array.of(0.3, 0.5), 2, 1, h, [1, 0], 1, grid)]).toEqual([0.3, 0.5]);
  });

  it('on correlated inputs, its output error ||XW - XQ|| is below plain rounding, on the same grid', () => {
    const rng = makeRng('gptq');
    const [samples, d, cols, bits] = [400, 12, 6, 3];
    // Correlated inputs: X = Z M with a random mixing M.
    const x = matMul(gaussian(rng, samples, d), gaussian(rng, d, d), samples, d, d);
    const w = gaussian(rng, d, cols).map((v) => v * 0.1);
    const gram = gramOf(x, samples, d);
    const scales = Array.from({ length: cols }, (_, j) => Math.max(...Array.from({ length: d }, (_, i) => Math.abs(w[i * cols + j]))) / (2 ** bits - 1));
    const onGrid = (v: number, j: number) => quantizeOnGrid(v, bits, scales[j], 'mid-rise');
    const order = Array.from({ length: d }, (_, i) => i);
    const compensated = optq(w, d, cols, dampedHessian(gram, d, 0.01), order, d, onGrid);
    const rounded = w.map((v, i) => onGrid(v, i % cols));
    // Every weight of GPTQ's result is on its column's grid.
    compensated.forEach((v, i) => expect(onGrid(v, i % cols)).toBeCloseTo(v, 12));
    const error = (q: Float64Array) => {
      const diff = matMul(
        x,
        w.map((v, i) => v - q[i]),
        samples,
        d,
        cols,
      );
      return diff.reduce((s, v) => s + v * v, 0);
    };
    expect(error(compensated)).toBeLessThan(0.7 * error(rounded));
    // outputError from the Gram matrix is the same quantity per sample.
    expect(outputError(gram, w, compensated, d, cols)).toBeCloseTo(error(compensated) / samples, 9);
  });
});

describe('the grid GPTQ rounds onto', () => {
  it.each([MID_RISE, SYMMETRIC_MAX])('$family: rounding one weight on its column scale equals the tfjs quantizer', (quantizer) => {
    const w = tf.tensor2d(
      Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5))),
      [10, 4],
    );
    for (const bits of [1, 2, 3, 4, 8]) {
      const scale = weightCodes(w, bits, quantizer).scale.dataSync();
      const expected = quantizeWeights(w, bits, quantizer).dataSync();
      const values = w.dataSync();
      values.forEach((v, i) => expect(quantizeOnGrid(v, bits, scale[i % 4], quantizer.family)).toBeCloseTo(expected[i], 5));
    }
    w.dispose();
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mlp } from '../../src/model/mlp.js';
import { floatQuantizers } from '../../src/precision/precision-quantizers.js';
import { GAUSSIAN_OUTER_LEVEL } from '../../src/quant/gaussian-levels.js';
import { MID_RISE, quantizeWeights, SYMMETRIC_MAX, weightCodes, type WeightQuantizer } from '../../src/quant/quantizers.js';
import { makeRng, normal, type Rng } from '../../src/rng.js';
import { train } from '../../src/train/trainer.js';
import { syntheticDataset } from '../helpers.js';

const columnsOf = (t: tf.Tensor2D): number[][] => {
  const rows = t.arraySync();
  return rows[0].map((_, j) => rows.map((r) => r[j]));
};
const closeAll = (got: number[], want: number[], digits = 5) => expect(got).toEqual(want.map((v) => expect.closeTo(v, digits)));

describe('mid-rise weight quantizer, worked by hand', () => {
  // Column a: sum w^2 = 1.4225, rms 0.59634. Column b: sum w^2 = 22.28, rms 2.36008.
  const W = tf.tensor2d([
    [0.6, 2.2],
    [-0.25, -4],
    [0, 1.2],
    [1, 0],
  ]);

  it('1 bit: codes ±1 (sign(0) = +1) and scale mean|w|, the same as symmetric-max', () => {
    const { codes, scale } = weightCodes(W, 1, MID_RISE);
    expect(codes.arraySync()).toEqual([
      [1, 1],
      [-1, -1],
      [1, 1],
      [1, 1],
    ]);
    closeAll(scale.arraySync()[0], [0.4625, 1.85]);
    expect(quantizeWeights(W, 1, MID_RISE).arraySync()).toEqual(
      quantizeWeights(W, 1, SYMMETRIC_MAX)
        .arraySync()
        .map((r) => r.map((v) => expect.closeTo(v, 6))),
    );
  });

  it('2 bits: four levels ±h, ±3h with the least-squares h', () => {
    // a: Gaussian start step 1.4935 * 0.59634 / 1.5 = 0.59376 gives codes [3, -1, 1, 3]:
    //    h = (1.8 + 0.25 + 3) / 20 = 0.2525, error 1.4225 - 5.05 h = 0.14738; the max start
    //    (step 1 / 1.5) gives codes [1, -1, 1, 3], h = 3.85 / 12, error 0.18729: Gaussian kept;
    //    the second refinement (step 0.505) keeps the codes.
    // b: both starts give codes [1, -3, 1, 1]: h = (2.2 + 12 + 1.2) / 12 = 1.28333.
    const { codes, scale } = weightCodes(W, 2, MID_RISE);
    expect(codes.arraySync()).toEqual([
      [3, 1],
      [-1, -3],
      [1, 1],
      [3, 1],
    ]);
    closeAll(scale.arraySync()[0], [0.2525, 1.283333]);
    const [a, b] = columnsOf(quantizeWeights(W, 2, MID_RISE));
    closeAll(a, [0.7575, -0.2525, 0.2525, 0.7575]);
    closeAll(b, [1.283333, -3.85, 1.283333, 1.283333]);
  });

  it('an all-zero neuron stays zero: h = 0', () => {
    for (const bits of [1, 2, 8]) expect(columnsOf(quantizeWeights(tf.tensor2d([[0], [0]]), bits, MID_RISE))[0].map(Math.abs)).toEqual([0, 0]);
  });

  it('uses all 2^b codes, odd integers within ±(2^b - 1)', () => {
    const w = tf.tensor2d(
      Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i * 0.37) * 3),
      [4000, 1],
    );
    for (const bits of [2, 3, 4]) {
      const codes = new Set(weightCodes(w, bits, MID_RISE).codes.dataSync());
      expect([...codes].sort((x, y) => x - y)).toEqual(Array.from({ length: 2 ** bits }, (_, k) => 2 * k - 2 ** bits + 1));
    }
  });
});

/** The same rule, written independently in plain float64 loops over one column. */
function midRiseColumn(w: number[], bits: number, refinements: number): number[] {
  const n = 2 ** (bits - 1);
  const stepOf = (outer: number) => (outer > 0 ? outer : 1);
  const codes = (step: number) => w.map((x) => 2 * Math.min(Math.max(Math.floor(x / step), -n), n - 1) + 1);
  const sumSquares = w.reduce((s, x) => s + x * x, 0);
  const refit = (step: number) => {
    const c = codes(step);
    const num = w.reduce((s, x, i) => s + x * c[i], 0);
    const half = num / c.reduce((s, k) => s + k * k, 0);
    return { half, error: sumSquares - num * half };
  };
  const gaussian = refit(stepOf((GAUSSIAN_OUTER_LEVEL[bits] * Math.sqrt(sumSquares / w.length)) / (n - 0.5)));
  const widest = refit(stepOf(Math.max(...w.map(Math.abs)) / (n - 0.5)));
  let half = gaussian.error <= widest.error ? gaussian.half : widest.half;
  for (let r = 1; r < refinements; r++) half = refit(stepOf(2 * half)).half;
  return codes(stepOf(2 * half)).map((c) => c * half);
}

const squaredError = (q: number[], w: number[]) => q.reduce((s, v, i) => s + (v - w[i]) ** 2, 0);

function laplace(rng: Rng): number {
  const u = rng() - 0.5;
  return (-Math.sign(u) * Math.log(1 - 2 * Math.abs(u))) / Math.SQRT2;
}

describe('mid-rise against an independent float64 implementation', () => {
  const rng = makeRng('mid-rise-columns');
  const draws: [string, () => number][] = [
    ['Gaussian', () => normal(rng)],
    ['Laplace', () => laplace(rng)],
  ];
  it.each(draws)('%s columns at 2..8 bits: the same values, up to float32 rounding', (_, draw) => {
    const rows = 96;
    const cols = 40;
    const w = tf.tensor2d(Float32Array.from({ length: rows * cols }, draw), [rows, cols]);
    const columns = columnsOf(w);
    let compared = 0;
    let differing = 0;
    for (const bits of [2, 3, 4, 6, 8]) {
      const got = columnsOf(quantizeWeights(w, bits, MID_RISE));
      columns.forEach((column, j) => {
        const want = midRiseColumn(column, bits, MID_RISE.refinements);
        // A start choice or a code can flip where float32 and float64 round a near-tie apart; the errors still agree.
        expect(squaredError(got[j], column)).toBeCloseTo(squaredError(want, column), 4);
        got[j].forEach((v, i) => {
          compared++;
          if (Math.abs(v - want[i]) > 1e-5 * Math.max(1, Math.abs(want[i]))) differing++;
        });
      });
    }
    expect(differing / compared).toBeLessThan(0.002);
  });
});

describe('mid-rise error falls with every added bit', () => {
  const errorsPerColumn = (w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer) =>
    Array.from(tf.tidy(() => tf.sum(tf.square(tf.sub(quantizeWeights(w, bits, quantizer), w)), 0)).dataSync());
  const decreasing = (w: tf.Tensor2D, widths: number[], quantizer: WeightQuantizer) => {
    const errors = widths.map((b) => errorsPerColumn(w, b, quantizer));
    return errors[0].map((_, j) => widths.slice(1).every((_, k) => errors[k + 1][j] < errors[k][j]));
  };

  it('on Gaussian columns, for every neuron and every width 1..8, by about 4x a bit (sigma^2 / 4^b)', () => {
    const rng = makeRng('gaussian-columns');
    const w = tf.tensor2d(
      Float32Array.from({ length: 512 * 64 }, () => normal(rng)),
      [512, 64],
    );
    const widths = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(decreasing(w, widths, MID_RISE).every(Boolean)).toBe(true);
    const mean = (b: number) => errorsPerColumn(w, b, MID_RISE).reduce((s, e) => s + e, 0) / (512 * 64);
    expect(mean(1)).toBeCloseTo(1 - 2 / Math.PI, 1);
    expect(mean(2)).toBeLessThan(0.13); // symmetric-max's 2 bits lose about 0.7
    for (const b of [2, 3, 4]) expect(mean(b) / mean(b + 1)).toBeGreaterThan(2.8);
  });

  it('on the columns of a trained model, for every neuron at 1, 2, 4 and 8 bits (symmetric-max: not at 2)', () => {
    const data = syntheticDataset(800, 6, 3);
    const model = mlp.create({ depth: 2, width: 48 }, 6, 3, makeRng('trained-columns'));
    const q = floatQuantizers(model.layers);
    train(model, q, data, { optimizer: 'adam', learningRate: 0.01, momentum: 0, epochs: 8, patience: 8, batchSize: 64, calibrationRows: 64 }, makeRng(1));
    const hidden = model.variables[1] as unknown as tf.Tensor2D; // the 48 x 48 kernel
    expect(decreasing(hidden, [1, 2, 4, 8], MID_RISE).every(Boolean)).toBe(true);
    expect(decreasing(hidden, [1, 2, 4, 8], SYMMETRIC_MAX).filter(Boolean).length).toBeLessThan(48 / 2);
    q.dispose();
    model.dispose();
  });

  it('on heavy-tailed columns at 8 bits the max start wins: far below a Gaussian start', () => {
    const rng = makeRng('laplace-columns');
    const column = Array.from({ length: 512 }, () => laplace(rng));
    const got = columnsOf(quantizeWeights(tf.tensor2d(column, [512, 1]), 8, MID_RISE))[0];
    // A Gaussian start alone clips the tails at 3.92 rms; refinements recover them slowly.
    const n = 128;
    const gaussianOnly = (() => {
      let step = (GAUSSIAN_OUTER_LEVEL[8] * Math.sqrt(column.reduce((s, x) => s + x * x, 0) / 512)) / (n - 0.5);
      let half = step / 2;
      for (let r = 0; r < MID_RISE.refinements; r++) {
        const c = column.map((x) => 2 * Math.min(Math.max(Math.floor(x / step), -n), n - 1) + 1);
        half = column.reduce((s, x, i) => s + x * c[i], 0) / c.reduce((s, k) => s + k * k, 0);
        step = 2 * half;
      }
      return column.map((x) => (2 * Math.min(Math.max(Math.floor(x / step), -n), n - 1) + 1) * half);
    })();
    expect(squaredError(got, column)).toBeLessThan(squaredError(gaussianOnly, column) / 3);
    expect(squaredError(got, column)).toBeLessThan(squaredError(columnsOf(quantizeWeights(tf.tensor2d(column, [512, 1]), 8, SYMMETRIC_MAX))[0], column));
  });
});

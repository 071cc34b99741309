/**
 * How close the mid-rise step rule comes to the best step, on synthetic columns: per
 * distribution, column length and width, the mean over 200 columns of each rule's squared
 * error divided by the best found (two starts, 60 refinements). Rules: the default (two
 * starts, MID_RISE.refinements), a Gaussian start alone with as many refinements, and
 * symmetric-max. docs/reconstruction.md quotes it. Usage: npx tsx scripts/quantizer-errors.ts
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend.js';
import { GAUSSIAN_OUTER_LEVEL } from '../src/quant/gaussian-levels.js';
import { MID_RISE, quantizeWeights, SYMMETRIC_MAX, type WeightQuantizer } from '../src/quant/quantizers.js';
import { makeRng, normal, type Rng } from '../src/rng.js';

await initBackend('cpu');
const rng = makeRng('quantizer-errors');
const laplace = (r: Rng) => {
  const u = r() - 0.5;
  return (-Math.sign(u) * Math.log(1 - 2 * Math.abs(u))) / Math.SQRT2;
};
const studentT3 = (r: Rng) => normal(r) / Math.sqrt((normal(r) ** 2 + normal(r) ** 2 + normal(r) ** 2) / 3);
const draws: [string, () => number][] = [
  ['Gaussian', () => normal(rng)],
  ['Laplace', () => laplace(rng)],
  ['Student t3', () => studentT3(rng)],
];

const columnErrors = (w: tf.Tensor2D, q: tf.Tensor2D) => tf.sum(tf.square(tf.sub(q, w)), 0);

/** The Gaussian start alone, refined `refinements` times: the rule before the second start was added. */
function gaussianStartOnly(w: tf.Tensor2D, bits: number, refinements: number): tf.Tensor2D {
  const n = 2 ** (bits - 1);
  const codes = (step: tf.Tensor) => tf.add(tf.mul(tf.clipByValue(tf.floor(tf.div(w, step)), -n, n - 1), 2), 1);
  let step: tf.Tensor = tf.div(tf.mul(tf.sqrt(tf.mean(tf.square(w), 0, true)), GAUSSIAN_OUTER_LEVEL[bits]), n - 0.5);
  let half = tf.div(step, 2);
  for (let r = 0; r < refinements; r++) {
    const c = codes(step);
    half = tf.div(tf.sum(tf.mul(w, c), 0, true), tf.sum(tf.square(c), 0, true));
    step = tf.mul(half, 2);
  }
  return tf.mul(codes(step), half) as tf.Tensor2D;
}

process.stdout.write(
  `| columns | weights | bits | default (2 starts, ${MID_RISE.refinements} refinements) | Gaussian start only | symmetric-max |\n|---|---:|---:|---:|---:|---:|\n`,
);
for (const [name, draw] of draws) {
  for (const rows of [32, 128, 512]) {
    const w = tf.tensor2d(Float32Array.from({ length: rows * 200 }, draw), [rows, 200]);
    for (const bits of [2, 3, 4, 8]) {
      const best = columnErrors(w, quantizeWeights(w, bits, { family: 'mid-rise', refinements: 60 }));
      const ratio = (q: tf.Tensor2D) =>
        tf
          .mean(tf.div(columnErrors(w, q), best))
          .dataSync()[0]
          .toFixed(3);
      const rule = (quantizer: WeightQuantizer) => ratio(quantizeWeights(w, bits, quantizer));
      process.stdout.write(
        `| ${name} | ${rows} | ${bits} | ${rule(MID_RISE)} | ${ratio(gaussianStartOnly(w, bits, MID_RISE.refinements))} | ${rule(SYMMETRIC_MAX)} |\n`,
      );
    }
  }
}

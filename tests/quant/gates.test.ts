import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { bitsForStrength, candidateIndex, gateDerivatives, gates } from '../../src/quant/gates.js';

const T = [0.25, 0.5, 0.75];
const s = tf.tensor1d([0, 0.1, 0.25, 0.3, 0.49, 0.6, 0.75, 0.99, 1]);

describe('gates', () => {
  it('sum to 1 for every strength, at several temperatures', () => {
    for (const tau of [0.01, 0.05, 0.5]) {
      const sums = tf.sum(gates(s, T, tau), 0).arraySync() as number[];
      sums.forEach((v) => expect(v).toBeCloseTo(1, 6));
    }
  });

  it('select the candidate of the interval when tau is small', () => {
    const g = gates(tf.tensor1d([0.1, 0.4, 0.6, 0.9]), T, 0.005).arraySync();
    const winners = [0, 1, 2, 3].map((j) => g.map((row) => row[j]).indexOf(Math.max(...g.map((row) => row[j]))));
    expect(winners).toEqual([0, 1, 2, 3]);
  });

  it('derivatives match central finite differences of the gates', () => {
    const tau = 0.05;
    const x = tf.tensor1d([0.2, 0.27, 0.55, 0.8]);
    const h = 1e-3;
    const fd = tf.div(tf.sub(gates(tf.add(x, h) as tf.Tensor1D, T, tau), gates(tf.sub(x, h) as tf.Tensor1D, T, tau)), 2 * h).arraySync() as number[][];
    const an = gateDerivatives(x, T, tau).arraySync();
    an.forEach((row, k) => row.forEach((v, j) => expect(v).toBeCloseTo(fd[k][j], 2)));
    // the derivatives of gates that sum to 1 sum to 0
    (tf.sum(gateDerivatives(x, T, tau), 0).arraySync() as number[]).forEach((v) => expect(v).toBeCloseTo(0, 6));
  });

  it('hard index and host-side bits agree with the thresholds', () => {
    const idx = Array.from(candidateIndex(s, T).dataSync());
    expect(idx).toEqual([0, 0, 1, 1, 1, 2, 3, 3, 3]);
    expect(Array.from(s.dataSync()).map((v) => bitsForStrength(v, T, [1, 2, 4, 8]))).toEqual([1, 1, 2, 2, 2, 4, 8, 8, 8]);
  });
});

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gates } from '../../src/quant/gates.js';
import { type CandidateSet, mixedActivationQuant } from '../../src/precision/precision-ops.js';
import { createPrecisionQuantizers, fixedWidth } from '../../src/precision/precision-quantizers.js';
import { MID_RISE, quantizeSignedActivations } from '../../src/quant/quantizers.js';
import type { LayerSpec } from '../../src/layers/layer.js';

const plain = (xs: number[]) => xs.map((v) => v + 0);

describe('signed activation quantizer (after LayerNorm and attention)', () => {
  const a = tf.tensor2d([[-2, -0.6, -0.4, 0.3, 0.5, 0.7, 3]]).transpose() as tf.Tensor2D; // one column, 7 rows
  const column = (t: tf.Tensor2D) => plain(t.arraySync().map((r) => r[0]));

  it('2 bits: clip to [-alpha, alpha], levels -alpha, 0, alpha (round half to even)', () => {
    expect(column(quantizeSignedActivations(a, tf.tensor1d([1]), 2))).toEqual([-1, -1, 0, 0, 0, 1, 1]);
  });

  it('3 bits: three levels each side, step alpha / 3', () => {
    // a / step = [-3 (clipped), -1.8, -1.2, 0.9, 1.5, 2.1, 3 (clipped)] -> [-3, -2, -1, 1, 2, 2, 3]
    const got = column(quantizeSignedActivations(a, tf.tensor1d([1]), 3));
    [-3, -2, -1, 1, 2, 2, 3].forEach((k, i) => expect(got[i]).toBeCloseTo(k / 3, 6));
  });

  it('refuses 1 bit: a symmetric grid with zero needs two bits', () => {
    expect(() => quantizeSignedActivations(a, tf.tensor1d([1]), 1)).toThrow('a signed activation needs at least 2 bits, got 1');
  });

  const SET: CandidateSet = { bits: [2, 4], thresholds: [0.5], tau: 0.1, signed: true };
  const x = tf.tensor2d([
    [-1.5, 0.2],
    [0.4, -0.9],
    [2.0, 0.05],
  ]);
  const alpha = tf.tensor1d([1, 0.5]);
  const dy = tf.tensor2d([
    [0.3, -1],
    [2, 0.5],
    [-0.7, 1.5],
  ]);

  it('gradients: straight through inside (-alpha, alpha), sign(a) to alpha where clipped, the surrogate to the strength', () => {
    const s = tf.tensor1d([0.3, 0.6]);
    const loss = (xx: tf.Tensor, ss: tf.Tensor, aa: tf.Tensor) =>
      tf.sum(tf.mul(dy, mixedActivationQuant(xx as tf.Tensor2D, ss as tf.Tensor1D, aa as tf.Tensor1D, SET)));
    const [dx, ds, dAlpha] = tf
      .grads(loss)([x, s, alpha])
      .map((g) => g.arraySync() as number[] | number[][]);
    // |x| < alpha: column 0 rows 1 (0.4); column 1 rows 0 (0.2) and 2 (0.05). Clipped: column 0 rows 0 (-) and 2 (+); column 1 row 1 (-).
    expect((dx as number[][]).map(plain)).toEqual([
      [0, -1],
      [2, 0],
      [0, 1.5],
    ]);
    expect((dAlpha as number[])[0]).toBeCloseTo(-0.3 + -0.7, 6);
    expect((dAlpha as number[])[1]).toBeCloseTo(-0.5, 6);
    // d/ds sum(dy * sum_k g_k(s) Q_k(x)): by central differences of the soft surrogate, computed without the op.
    const surrogate = (sv: number[]) => {
      const g = gates(tf.tensor1d(sv), SET.thresholds, SET.tau).arraySync();
      const q = SET.bits.map((b) => quantizeSignedActivations(x, alpha, b).arraySync());
      const d = dy.arraySync();
      let total = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) total += d[i][j] * (g[0][j] * q[0][i][j] + g[1][j] * q[1][i][j]);
      return total;
    };
    [0, 1].forEach((j) => {
      const h = 1e-3;
      const up = [0.3, 0.6].map((v, i) => (i === j ? v + h : v));
      const down = [0.3, 0.6].map((v, i) => (i === j ? v - h : v));
      expect((ds as number[])[j]).toBeCloseTo((surrogate(up) - surrogate(down)) / (2 * h), 3);
    });
  });

  it('a signed site calibrates its clip on |a| and quantizes symmetrically', () => {
    const layers: LayerSpec[] = [{ name: 'q', fanIn: 2, fanOut: 2, activation: { width: 2, signed: true }, input: 0, rowsPerSample: 1 }];
    const q = createPrecisionQuantizers(layers, { weight: null, weightQuantizer: MID_RISE, activation: fixedWidth(2), clipPercentile: 100, bitPenalty: 0 });
    q.calibrate(0, x);
    expect(q.bits()[0].clip).toEqual([2, 0.8999999761581421]);
    expect(q.activations(0, x).arraySync()).toEqual([
      [-2, 0],
      [0, -0.8999999761581421],
      [2, 0],
    ]);
    q.dispose();
  });
});

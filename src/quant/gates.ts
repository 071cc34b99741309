import * as tf from '@tensorflow/tfjs';

/**
 * Soft gates over K candidate widths from a precision strength s in [0, 1] (docs/reconstruction.md):
 * g_1 = 1 - sig(u_1), g_k = sig(u_{k-1}) - sig(u_k), g_K = sig(u_{K-1}), u_k = (s - t_k) / tau.
 * Written as "upper minus lower" neighbours of the sigmoid stack they sum to 1 by telescoping.
 * Tensors are [K, n] for s of shape [n].
 */

function thresholdSigmoids(s: tf.Tensor1D, thresholds: number[], tau: number): tf.Tensor2D {
  const u = tf.div(tf.sub(tf.expandDims(s, 0), tf.tensor2d(thresholds, [thresholds.length, 1])), tau);
  return tf.sigmoid(u) as tf.Tensor2D;
}

/** [first; x] - [x; last]: row k is x_{k-1} - x_k with x_0 = first, x_K = last. */
function neighbourDifference(x: tf.Tensor2D, first: number, last: number): tf.Tensor2D {
  const n = x.shape[1];
  return tf.sub(tf.concat([tf.fill([1, n], first), x]), tf.concat([x, tf.fill([1, n], last)])) as tf.Tensor2D;
}

export function gates(s: tf.Tensor1D, thresholds: number[], tau: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (thresholds.length === 0) return tf.ones([1, s.shape[0]]) as tf.Tensor2D;
    return neighbourDifference(thresholdSigmoids(s, thresholds, tau), 1, 0);
  });
}

/** d g_k / d s in the same layout: sig'(u) / tau = sig(u)(1 - sig(u)) / tau. */
export function gateDerivatives(s: tf.Tensor1D, thresholds: number[], tau: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (thresholds.length === 0) return tf.zeros([1, s.shape[0]]) as tf.Tensor2D;
    const sig = thresholdSigmoids(s, thresholds, tau);
    return neighbourDifference(tf.div(tf.mul(sig, tf.sub(1, sig)), tau) as tf.Tensor2D, 0, 0);
  });
}

/** Hard candidate index per entry: how many thresholds s has reached. [n] int32. */
export function candidateIndex(s: tf.Tensor1D, thresholds: number[]): tf.Tensor1D {
  return tf.tidy(() => {
    if (thresholds.length === 0) return tf.zeros(s.shape, 'int32') as tf.Tensor1D;
    const reached = tf.greaterEqual(tf.expandDims(s, 0), tf.tensor2d(thresholds, [thresholds.length, 1]));
    return tf.sum(tf.cast(reached, 'int32'), 0) as tf.Tensor1D;
  });
}

/** The same rule on plain numbers, for reporting bits without touching tensors. */
export function bitsForStrength(s: number, thresholds: number[], candidates: number[]): number {
  let k = 0;
  while (k < thresholds.length && s >= thresholds[k]) k++;
  return candidates[k];
}

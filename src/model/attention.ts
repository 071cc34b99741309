import * as tf from '@tensorflow/tfjs';

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
}

/** [samples * tokens, heads * dh] -> [samples * heads, tokens, dh]. */
function splitHeads(x: tf.Tensor2D, samples: number, tokens: number, heads: number): tf.Tensor3D {
  const dh = x.shape[1] / heads;
  return tf.reshape(tf.transpose(tf.reshape(x, [samples, tokens, heads, dh]), [0, 2, 1, 3]), [samples * heads, tokens, dh]);
}

/** The inverse of splitHeads. */
function mergeHeads(x: tf.Tensor3D, samples: number, tokens: number, heads: number): tf.Tensor2D {
  const dh = x.shape[2];
  return tf.reshape(tf.transpose(tf.reshape(x, [samples, heads, tokens, dh]), [0, 2, 1, 3]), [samples * tokens, heads * dh]);
}

/**
 * Multi-head scaled dot-product attention over the tokens of each sample: softmax(Q K^T / sqrt(dh)) V
 * per head. q, k, v are projected rows [samples * tokens, d] (sample-major); returns the heads'
 * outputs concatenated, [samples * tokens, d].
 */
export function multiHeadAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, samples: number, heads: number): tf.Tensor2D {
  const tokens = q.shape[0] / samples;
  const [qh, kh, vh] = [q, k, v].map((t) => splitHeads(t, samples, tokens, heads));
  const scores = tf.div(tf.matMul(qh, kh, false, true), Math.sqrt(qh.shape[2]));
  return mergeHeads(tf.matMul(tf.softmax(scores), vh), samples, tokens, heads);
}

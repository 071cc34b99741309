import * as tf from '@tensorflow/tfjs';
import { fusedMultiHeadAttention, hasFusedAttention } from '../kernels/attention-kernels.js';

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
 * outputs concatenated, [samples * tokens, d]. On the fused kernels where the backend has them
 * (wasm, cpu), else op by op.
 */
export function multiHeadAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, samples: number, heads: number): tf.Tensor2D {
  return (hasFusedAttention() ? fusedMultiHeadAttention : referenceMultiHeadAttention)(q, k, v, samples, heads);
}

/** multiHeadAttention in tfjs ops, heads split into a batch of products: the definition the kernels are tested against. */
export function referenceMultiHeadAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, samples: number, heads: number): tf.Tensor2D {
  const tokens = q.shape[0] / samples;
  const [qh, kh, vh] = [q, k, v].map((t) => splitHeads(t, samples, tokens, heads));
  const scores = tf.div(tf.matMul(qh, kh, false, true), Math.sqrt(qh.shape[2]));
  return mergeHeads(tf.matMul(tf.softmax(scores), vh), samples, tokens, heads);
}

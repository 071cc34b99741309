import * as tf from '@tensorflow/tfjs';
import { fusedLayerNorm, hasFusedLayerNorm } from '../kernels/layer-norm-kernels.js';

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta; on the fused kernels where the backend has them. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  return (hasFusedLayerNorm() ? fusedLayerNorm : referenceLayerNorm)(x, gamma, beta, eps);
}

/** layerNorm in tfjs ops: the definition the kernels are tested against. */
export function referenceLayerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
}

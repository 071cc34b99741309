import * as tf from '@tensorflow/tfjs';
import { quantizeWeights, type WeightQuantizer } from '../quant/quantizers.js';

/** ||Q_b(W) - W||^2 of each column of W (each output neuron; pass W^T for input rows). */
export function columnQuantizationErrors(w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): Float32Array {
  const errors = tf.tidy(() => tf.sum(tf.square(tf.sub(quantizeWeights(w, bits, quantizer), w)), 0));
  const values = errors.dataSync() as Float32Array;
  errors.dispose();
  return values;
}

/** ||Q_b(W) - W||^2 over the whole kernel. */
export const quantizationError = (w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): number =>
  columnQuantizationErrors(w, bits, quantizer).reduce((a, b) => a + b, 0);

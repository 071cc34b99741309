import * as tf from '@tensorflow/tfjs';
import { quantizeWeights, type WeightQuantizer } from '../quant/quantizers.js';

/** Squared errors of W quantized per column, summed over `axis`: 0 gives one per column, 1 one per input row. */
function squaredErrors(w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer, axis: 0 | 1): Float32Array {
  const errors = tf.tidy(() => tf.sum(tf.square(tf.sub(quantizeWeights(w, bits, quantizer), w)), axis));
  const values = errors.dataSync() as Float32Array;
  errors.dispose();
  return values;
}

/** ||Q_b(W) - W||^2 of each column of W (each output neuron; pass W^T for input rows). */
export const columnQuantizationErrors = (w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): Float32Array => squaredErrors(w, bits, quantizer, 0);

/** ||Q_b(W)[i, :] - W[i, :]||^2 of each input row, W quantized per neuron (column) as a whole. */
export const rowQuantizationErrors = (w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): Float32Array => squaredErrors(w, bits, quantizer, 1);

/** ||Q_b(W) - W||^2 over the whole kernel. */
export const quantizationError = (w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): number =>
  columnQuantizationErrors(w, bits, quantizer).reduce((a, b) => a + b, 0);

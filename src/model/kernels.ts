import * as tf from '@tensorflow/tfjs';
import { floatQuantizers } from '../precision/precision-quantizers.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import type { Model } from './types.js';

/** Float quantizers that hand every kernel to `edit` (to record it, or to shift one layer's). */
export function kernelHook(model: Model, edit: (layer: number, kernel: tf.Tensor2D) => tf.Tensor2D): QuantizerSet {
  return { ...floatQuantizers(model.layers), weights: edit };
}

/**
 * The tensors a model's forward pass hands to the weight quantizers, by layer: its kernel
 * variables, found without knowing the model's internals. `features`: the model's input width.
 */
export function modelKernels(model: Model, features: number): tf.Tensor2D[] {
  const recorded: tf.Tensor2D[] = [];
  tf.tidy(() => {
    model.forward(
      tf.zeros([1, features]),
      kernelHook(model, (l, k) => {
        recorded[l] = k;
        return k;
      }),
    );
  });
  return recorded;
}

/** Kernels [fanIn, fanOut] (row-major) into the model's kernel variables; null leaves a layer's as it is. */
export function assignKernels(model: Model, kernels: readonly (Float32Array | null)[], features: number): void {
  modelKernels(model, features).forEach((kernel, l) => {
    const values = kernels[l];
    if (!values) return;
    if (!(kernel instanceof tf.Variable)) throw new Error(`${model.layers[l].name}: the model's kernel is not a variable; it cannot start from given weights`);
    if (values.length !== kernel.size) throw new Error(`${model.layers[l].name}: a starting kernel of ${values.length} weights for ${kernel.size}`);
    tf.tidy(() => kernel.assign(tf.tensor2d(values, kernel.shape)));
  });
}

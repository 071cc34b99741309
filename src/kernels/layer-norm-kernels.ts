import * as tf from '@tensorflow/tfjs';
import { type FusedKernel, hasFusedKernel, ptr, registerFusedKernel, runFusedKernel } from './fused-kernel.js';

/**
 * LayerNorm over the last axis as two kernels (layer_norm and layer_norm_grad in kernels.wat):
 * op by op it is moments, sub, div, sqrt, mul and add, and twice as many ops in its gradient,
 * whose reductions over rows (gamma and beta) wasm runs by transposing first.
 */

/** Inputs x [rows, cols], gamma and beta [cols]; outputs y, and each row's mean and sd = sqrt(var + eps) [rows]. */
const layerNormKernel: FusedKernel = {
  name: 'QatbenchLayerNorm',
  inputs: ['x', 'gamma', 'beta'],
  outputShapes: ([shape]) => [shape, [shape[0]], [shape[0]]],
  scratch: () => [],
  body: ({ k, inputs: [x, gamma, beta], outputs: [y, mean, sd], shapes: [[rows, cols]], attrs }) =>
    k.layer_norm(ptr(x), ptr(gamma), ptr(beta), ptr(y), ptr(mean), ptr(sd), rows, cols, attrs.eps as number),
};

/** Inputs x, gamma, mean, sd and dL/dy; outputs dL/dx, dL/dgamma, dL/dbeta. */
const layerNormGradKernel: FusedKernel = {
  name: 'QatbenchLayerNormGrad',
  inputs: ['x', 'gamma', 'mean', 'sd', 'dy'],
  outputShapes: ([shape]) => [shape, [shape[1]], [shape[1]]],
  scratch: () => [],
  body: ({ k, inputs: [x, gamma, mean, sd, dy], outputs: [dx, dGamma, dBeta], shapes: [[rows, cols]] }) =>
    k.layer_norm_grad(ptr(x), ptr(gamma), ptr(mean), ptr(sd), ptr(dy), ptr(dx), ptr(dGamma.fill(0)), ptr(dBeta.fill(0)), rows, cols),
};

for (const kernel of [layerNormKernel, layerNormGradKernel]) registerFusedKernel(kernel);

export const hasFusedLayerNorm = (): boolean => hasFusedKernel(layerNormKernel);

type LayerNormOp = (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;

/** (x - mean) / sqrt(var + eps) * gamma + beta per row, on the kernels, with their backward pass as its gradient. */
export function fusedLayerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const op = tf.customGrad(((xi: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const [y, mean, sd] = runFusedKernel(layerNormKernel, [xi, g, b], { eps });
    save([xi, g, mean, sd]);
    return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFusedKernel(layerNormGradKernel, [...saved, dy]) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as LayerNormOp;
  return op(x, gamma, beta);
}

import * as tf from '@tensorflow/tfjs';
import { type FusedKernel, hasFusedKernel, ptr, registerFusedKernel, runFusedKernel } from './fused-kernel.js';

/**
 * Helpers of the dense layer's backward pass that the wasm backend runs slowly: a 2D
 * transpose (its Transpose kernel: ~1.6 ms for 512x512) and the bias gradient (its Sum over
 * axis 0 transposes first), fused with the ReLU mask.
 */

const transposeKernel: FusedKernel = {
  name: 'QatbenchTranspose2D',
  inputs: ['x'],
  outputShapes: ([[rows, cols]]) => [[cols, rows]],
  scratch: () => [],
  body: ({ k, inputs: [x], outputs: [out], shapes: [[rows, cols]] }) => k.transpose(ptr(x), ptr(out), rows, cols),
};

/** dL/db = column sums of dy (a layer without activation). */
const biasGradKernel: FusedKernel = {
  name: 'QatbenchBiasGrad',
  inputs: ['dy'],
  outputShapes: ([[, cols]]) => [[cols]],
  scratch: () => [],
  body: ({ k, inputs: [dy], outputs: [db], shapes: [[rows, cols]] }) => k.bias_grad(ptr(dy), 0, 0, rows, cols, ptr(db.fill(0)), 0),
};

/** Through y = relu(z): dz = dy where y > 0 (tfjs's ReLU gradient, step(z)), and dL/db = column sums of dz. */
const reluBiasGradKernel: FusedKernel = {
  name: 'QatbenchReluBiasGrad',
  inputs: ['dy', 'y'],
  outputShapes: ([shape]) => [shape, [shape[1]]],
  scratch: () => [],
  body: ({ k, inputs: [dy, y], outputs: [dz, db], shapes: [[rows, cols]] }) => k.bias_grad(ptr(dy), ptr(y), ptr(dz), rows, cols, ptr(db.fill(0)), 1),
};

for (const kernel of [transposeKernel, biasGradKernel, reluBiasGradKernel]) registerFusedKernel(kernel);

export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  return (hasFusedKernel(transposeKernel) ? runFusedKernel(transposeKernel, [x])[0] : tf.transpose(x)) as tf.Tensor2D;
}

/** [dz, db] of a dense layer whose output is y = relu(z) (y given) or z itself (y null). */
export function biasGrads(dy: tf.Tensor2D, y: tf.Tensor2D | null): [tf.Tensor2D, tf.Tensor1D] {
  if (y === null) {
    return [dy, (hasFusedKernel(biasGradKernel) ? runFusedKernel(biasGradKernel, [dy])[0] : tf.sum(dy, 0)) as tf.Tensor1D];
  }
  if (hasFusedKernel(reluBiasGradKernel)) return runFusedKernel(reluBiasGradKernel, [dy, y]) as [tf.Tensor2D, tf.Tensor1D];
  const dz = tf.mul(dy, tf.step(y)) as tf.Tensor2D;
  return [dz, tf.sum(dz, 0) as tf.Tensor1D];
}

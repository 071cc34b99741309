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

/** dL/dW = x^T dz, without a transposed copy of x. */
const weightGradKernel: FusedKernel = {
  name: 'QatbenchWeightGrad',
  inputs: ['x', 'dz'],
  outputShapes: ([[, inCols], [, outCols]]) => [[inCols, outCols]],
  scratch: () => [],
  body: ({ k, inputs: [x, dz], outputs: [dw], shapes: [[rows, inCols], [, outCols]] }) => k.weight_grad(ptr(x), ptr(dz), ptr(dw), rows, inCols, outCols),
};

for (const kernel of [transposeKernel, biasGradKernel, reluBiasGradKernel, weightGradKernel]) registerFusedKernel(kernel);

/**
 * Operand bytes (x and dz) from which the wasm backend takes the kernel. Past a core's L2 cache
 * (2 MB here) wasm's matMul falls far behind: XNNPACK runs each dot product over all rows and
 * packs a copy of dz per call, so it reads the operands from memory again and again (a TabFormer
 * layer, 14080 token rows: the kernel 2-2.5x faster). Below, the two are within about 10% of each
 * other (the MLP's batch of 256 rows), and matMul keeps the MLP's values what they were. The cpu
 * backend's matMul is always slower.
 */
const WASM_KERNEL_FROM_BYTES = 2 ** 21;

/** x^T dz on the kernel. */
export const fusedWeightGrad = (x: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D => runFusedKernel(weightGradKernel, [x, dz])[0] as tf.Tensor2D;

/** x^T dz: the weight gradient of a dense layer with input x and pre-activation gradient dz. */
export function weightGrad(x: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  const bytes = 4 * x.shape[0] * (x.shape[1] + dz.shape[1]);
  const pays = tf.getBackend() === 'cpu' || bytes >= WASM_KERNEL_FROM_BYTES;
  return hasFusedKernel(weightGradKernel) && pays ? fusedWeightGrad(x, dz) : tf.matMul(transpose2d(x), dz);
}

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

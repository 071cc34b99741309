import * as tf from '@tensorflow/tfjs';
import { biasGrads, transpose2d } from '../kernels/dense-kernels.js';

/**
 * Dense layers y = x W + b (and relu(x W + b)) with one fused matMul + bias (+ ReLU) forward
 * and an explicit-transpose backward pass: tfjs's default matMul gradient uses
 * transposed-operand flags, which the wasm backend runs ~9x slower (tfjs-notes.md), and
 * wasm's fused matMul folds the bias and ReLU into the product.
 */

type DenseOp = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** Gradients of (x, w, b) from dL/dz, z = x W + b. */
function productGrads(dz: tf.Tensor2D, db: tf.Tensor1D, x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor[] {
  return [tf.matMul(dz, transpose2d(w)), tf.matMul(transpose2d(x), dz), db];
}

function denseOp(activation: 'linear' | 'relu'): DenseOp {
  return tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation });
    save(activation === 'relu' ? [x, w, y] : [x, w]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as tf.Tensor2D[];
        const [dz, db] = biasGrads(dy as tf.Tensor2D, sy ?? null);
        return productGrads(dz, db, sx, sw);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as DenseOp;
}

/** y = x W + b. */
export const dense = denseOp('linear');

/** y = relu(x W + b): the ReLU's gradient is taken from y, so z is never kept. */
export const denseRelu = denseOp('relu');

import * as tf from '@tensorflow/tfjs';
import { biasGrads, transpose2d, weightGrad } from '../kernels/dense-kernels.js';

/**
 * Dense layers y = x W + b (and relu(x W + b)) with one fused matMul + bias (+ ReLU) forward
 * and an explicit-transpose backward pass: tfjs's default matMul gradient uses
 * transposed-operand flags, which the wasm backend runs ~9x slower (docs/tfjs-notes.md), and
 * wasm's fused matMul folds the bias and ReLU into the product.
 */

type Activation = 'linear' | 'relu';
type DenseOp = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];

function forward(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
}

/** [dz, db] from dL/dy; the ReLU's mask comes from its output y, so z is never kept. */
function preActivationGrads(dy: tf.Tensor, y: tf.Tensor | undefined): [tf.Tensor2D, tf.Tensor1D] {
  return biasGrads(dy as tf.Tensor2D, (y as tf.Tensor2D | undefined) ?? null);
}

const asOp = <F>(f: F) => f as unknown as Parameters<typeof tf.customGrad>[0];

function denseOp(activation: Activation): DenseOp {
  return tf.customGrad(
    asOp((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const y = forward(x, w, b, activation);
      save(activation === 'relu' ? [x, w, y] : [x, w]);
      const gradFunc: GradFunc = (dy, [sx, sw, sy]) => {
        const [dz, db] = preActivationGrads(dy, sy);
        return [tf.matMul(dz, transpose2d(sw as tf.Tensor2D)), weightGrad(sx as tf.Tensor2D, dz), db];
      };
      return { value: y, gradFunc };
    }),
  ) as unknown as DenseOp;
}

/** y = x W + b. */
export const dense = denseOp('linear');

/** y = relu(x W + b). */
export const denseRelu = denseOp('relu');

/**
 * x W + b (or its ReLU) for a data batch x: x is a constant of the step (closed over, not an
 * input of the op), so the gradient with respect to it, a full matrix product, is never computed.
 */
export function denseOnData(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  const op = tf.customGrad(
    asOp((kernel: tf.Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const y = forward(x, kernel, bias, activation);
      save(activation === 'relu' ? [y] : []);
      const gradFunc: GradFunc = (dy, [sy]) => {
        const [dz, db] = preActivationGrads(dy, sy);
        return [weightGrad(x, dz), db];
      };
      return { value: y, gradFunc };
    }),
  );
  return op(w, b) as tf.Tensor2D;
}

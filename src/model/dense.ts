import * as tf from '@tensorflow/tfjs';

/**
 * y = x W + b with an explicit-transpose backward pass. tfjs's default matMul gradient
 * uses transposed-operand flags that the wasm backend runs ~9x slower (tfjs-notes.md).
 */
export const dense = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)),
        tf.matMul(tf.transpose(sx), dy as tf.Tensor2D),
        tf.sum(dy, 0),
      ];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

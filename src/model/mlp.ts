import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors.js';
import type { Rng } from '../rng.js';
import type { LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { dense, denseOnData, denseRelu } from './dense.js';
import { heUniform } from './init.js';
import type { Model, ModelFactory, ModelOptions } from './types.js';

function buildMlp(options: ModelOptions, inputDim: number, outputDim: number, rng: Rng): Model {
  const widths = [inputDim, ...new Array(options.depth).fill(options.width), outputDim];
  const layers: LayerSpec[] = widths.slice(1).map((fanOut, i) => ({
    name: i === options.depth ? 'out' : `fc${i + 1}`,
    fanIn: widths[i],
    fanOut,
    activation: i < options.depth ? { width: fanOut, signed: false } : null,
    input: i === 0 ? null : i - 1,
    rowsPerSample: 1,
  }));
  const kernels = layers.map((l) => heUniform(l.fanIn, l.fanOut, rng));
  const biases = layers.map((l) => tf.tidy(() => tf.variable(tf.zeros([l.fanOut]))));

  /** Hidden layer i: dense with ReLU (the first one's input is the data batch), before the strategy's activation quantizer. */
  function hidden(h: tf.Tensor2D, i: number, q: QuantizerSet): tf.Tensor2D {
    const kernel = q.weights(i, kernels[i] as tf.Tensor2D);
    return i === 0 ? denseOnData(h, kernel, biases[i] as tf.Tensor1D, 'relu') : denseRelu(h, kernel, biases[i] as tf.Tensor1D);
  }

  return {
    layers,
    variables: [...kernels, ...biases],
    floatMacs: 0,
    forward(x, q) {
      let h = x;
      for (let i = 0; i < options.depth; i++) h = q.activations(i, hidden(h, i, q));
      return dense(h, q.weights(options.depth, kernels[options.depth] as tf.Tensor2D), biases[options.depth] as tf.Tensor1D);
    },
    layerInputs(x) {
      const inputs = [x];
      for (let i = 0; i < options.depth; i++) inputs.push(tf.relu(dense(inputs[i], kernels[i] as tf.Tensor2D, biases[i] as tf.Tensor1D)));
      return inputs;
    },
    calibrate(x, q) {
      tf.tidy(() => {
        let h = x;
        for (let i = 0; i < options.depth; i++) {
          const a = hidden(h, i, q);
          q.calibrate(i, a);
          h = q.activations(i, a);
        }
      });
    },
    dispose() {
      for (const v of [...kernels, ...biases]) v.dispose();
    },
  };
}

/** The paper's model: `depth` hidden ReLU layers of `width` units and a linear head. */
export const mlp: ModelFactory = {
  name: 'mlp',
  summary: 'multi-layer perceptron with ReLU hidden layers (paper: 4 x 512)',
  defaults: { depth: 4, width: 512 },
  create(options, inputDim, outputDim, rng) {
    if (!Number.isInteger(options.depth) || options.depth < 1) throw new UsageError(`mlp: depth must be a positive integer, got ${options.depth}`);
    if (!Number.isInteger(options.width) || options.width < 1) throw new UsageError(`mlp: width must be a positive integer, got ${options.width}`);
    return buildMlp(options, inputDim, outputDim, rng);
  },
};

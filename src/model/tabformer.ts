import * as tf from '@tensorflow/tfjs';
import type { FeatureGroup } from '../data/types.js';
import { UsageError } from '../errors.js';
import type { Rng } from '../rng.js';
import { floatQuantizers } from '../precision/precision-quantizers.js';
import type { LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { multiHeadAttention } from './attention.js';
import { dense, denseOnData, denseRelu } from './dense.js';
import { embeddingMask, groupMembership, maskTokens, singleColumnGroups } from './feature-tokens.js';
import { layerNorm } from './layer-norm.js';
import { constantVariable, glorotUniform, heUniform, uniformVariable } from './init.js';
import type { MaskedCellObjective, Model, ModelFactory, ModelOptions } from './types.js';

/**
 * A TabFormer-style tabular transformer (Padhi et al., 2021): one token per raw feature (a
 * linear embedding of a numeric value, an embedding-table row of a category) plus a learned
 * feature (position) embedding, a learned [CLS] token, pre-LayerNorm blocks of multi-head
 * self-attention and a ReLU feed-forward, and a head on the final [CLS] state.
 *
 * Quantizable layers, per block: q, k, v, o, ff1, ff2; then the head. Embeddings and LayerNorms
 * stay FP32. Each layer owns the activation site of its *input* (q owns the LayerNorm output that
 * q, k and v share): signed after LayerNorm and attention, unsigned after the feed-forward ReLU.
 * The attention products (Q K^T and P V) multiply two float activations.
 */

const LAYERS_PER_BLOCK = 6;
const [Q, K, V, O, FF1, FF2] = [0, 1, 2, 3, 4, 5];

function validate(o: ModelOptions): void {
  for (const key of ['d', 'heads', 'blocks', 'ff'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new UsageError(`tabformer: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (o.d % o.heads !== 0) throw new UsageError(`tabformer: d (${o.d}) must be a multiple of heads (${o.heads})`);
  if (!Number.isInteger(o.pretrainEpochs) || o.pretrainEpochs < 0)
    throw new UsageError(`tabformer: pretrainEpochs must be a whole number, got ${o.pretrainEpochs}`);
  if (!(o.maskFraction > 0 && o.maskFraction < 1)) throw new UsageError(`tabformer: maskFraction must be in (0, 1), got ${o.maskFraction}`);
  if (!(o.pretrainLr > 0)) throw new UsageError(`tabformer: pretrainLr must be positive, got ${o.pretrainLr}`);
}

function layerSpecs(o: ModelOptions, tokens: number, outputDim: number): LayerSpec[] {
  const { d, ff } = o;
  const signed = (width: number) => ({ width, signed: true });
  const layers: LayerSpec[] = [];
  for (let b = 0; b < o.blocks; b++) {
    const at = b * LAYERS_PER_BLOCK;
    const layer = (name: string, fanIn: number, fanOut: number, activation: LayerSpec['activation'], input: number): LayerSpec => ({
      name: `b${b + 1}.${name}`,
      fanIn,
      fanOut,
      activation,
      input,
      rowsPerSample: tokens,
    });
    layers.push(
      layer('q', d, d, signed(d), at + Q),
      layer('k', d, d, null, at + Q),
      layer('v', d, d, null, at + Q),
      layer('o', d, d, signed(d), at + O),
      layer('ff1', d, ff, signed(d), at + FF1),
      layer('ff2', ff, d, { width: ff, signed: false }, at + FF2),
    );
  }
  const head = o.blocks * LAYERS_PER_BLOCK;
  layers.push({ name: 'head', fanIn: d, fanOut: outputDim, activation: signed(d), input: head, rowsPerSample: 1 });
  return layers;
}

/** How one pass treats the activation sites and layer inputs: quantize, calibrate first, or record the inputs. */
interface Pass {
  q: QuantizerSet;
  calibrating?: boolean;
  tap?: (layer: number, input: tf.Tensor2D) => void;
  /** Masked-cell pretraining: [samples, cells] 0/1. */
  mask?: tf.Tensor2D;
}

function buildTabformer(o: ModelOptions, inputDim: number, outputDim: number, rng: Rng, groups: FeatureGroup[]): Model {
  const width = groups.reduce((n, g) => n + g.columns, 0);
  if (width !== inputDim) throw new Error(`tabformer: feature groups cover ${width} columns, the data has ${inputDim}`);
  const { d, heads, blocks } = o;
  const cells = groups.length;
  const tokens = cells + 1;
  const layers = layerSpecs(o, tokens, outputDim);

  const embedding = uniformVariable([inputDim, cells * d], Math.sqrt(6 / (1 + d)), rng);
  const position = uniformVariable([cells * d], 0.1, rng);
  const cls = uniformVariable([1, 1, d], 0.1, rng);
  const kernels = layers.map((l, i) => (i % LAYERS_PER_BLOCK === FF1 && i < blocks * LAYERS_PER_BLOCK ? heUniform : glorotUniform)(l.fanIn, l.fanOut, rng));
  // Masked-cell modelling: a mask embedding and, per cell, a prediction of its own columns (drawn after the kernels).
  const maskEmbedding = uniformVariable([d], 0.1, rng);
  const reconstruction = glorotUniform(d, inputDim, rng);
  const reconstructionBias = constantVariable([inputDim], 0);
  const biases = layers.map((l) => constantVariable([l.fanOut], 0));
  const norms = Array.from({ length: 2 * blocks + 1 }, () => [constantVariable([d], 1), constantVariable([d], 0)] as const);
  const structure = embeddingMask(groups, d);
  // Pretraining and the probes' FP32 inputs see the encoder unquantized.
  const float = floatQuantizers(layers);
  const noBias = tf.zeros([cells * d]) as tf.Tensor1D;

  function run(x: tf.Tensor2D, pass: Pass, allTokens: boolean): tf.Tensor2D {
    const { q } = pass;
    const samples = x.shape[0];
    const site = (l: number, a: tf.Tensor2D) => {
      if (pass.calibrating) q.calibrate(l, a);
      return q.activations(l, a);
    };
    const linear = (l: number, input: tf.Tensor2D, op = dense) => {
      pass.tap?.(l, input);
      return op(input, q.weights(l, kernels[l] as tf.Tensor2D), biases[l] as tf.Tensor1D);
    };
    const norm = (i: number, h: tf.Tensor2D) => layerNorm(h, norms[i][0] as tf.Tensor1D, norms[i][1] as tf.Tensor1D);

    let content = tf.reshape(denseOnData(x, tf.mul(embedding, structure) as tf.Tensor2D, noBias, 'linear'), [samples, cells, d]) as tf.Tensor3D;
    if (pass.mask) content = maskTokens(content, pass.mask, tf.reshape(maskEmbedding, [d]) as tf.Tensor1D);
    const features = tf.add(content, tf.reshape(position, [1, cells, d]));
    // [CLS] for every sample by a broadcast add: tf.tile's gradient is a slice and an add per sample.
    const clsRows = tf.add(tf.zeros([samples, 1, d]), cls);
    let h = tf.reshape(tf.concat([clsRows, features], 1), [samples * tokens, d]) as tf.Tensor2D;
    for (let b = 0; b < blocks; b++) {
      const at = b * LAYERS_PER_BLOCK;
      const a = site(at + Q, norm(2 * b, h));
      const attended = multiHeadAttention(linear(at + Q, a), linear(at + K, a), linear(at + V, a), samples, heads);
      h = tf.add(h, linear(at + O, site(at + O, attended)));
      const hidden = linear(at + FF1, site(at + FF1, norm(2 * b + 1, h)), denseRelu);
      h = tf.add(h, linear(at + FF2, site(at + FF2, hidden)));
    }
    if (allTokens) return norm(2 * blocks, h);
    const first = tf.reshape(tf.slice(tf.reshape(h, [samples, tokens, d]), [0, 0, 0], [samples, 1, d]), [samples, d]) as tf.Tensor2D;
    const head = blocks * LAYERS_PER_BLOCK;
    return linear(head, site(head, norm(2 * blocks, first)));
  }

  const membership = tf.tensor2d(groupMembership(groups), [cells, inputDim]);
  const numericColumns = tf.tensor1d(groups.flatMap((g) => new Array(g.columns).fill(g.kind === 'numeric' ? 1 : 0)));
  const categoricalSpans = groups.flatMap((g, i) => {
    const start = groups.slice(0, i).reduce((n, p) => n + p.columns, 0);
    return g.kind === 'categorical' ? [{ cell: i, start, columns: g.columns }] : [];
  });

  const selfSupervised: MaskedCellObjective = {
    cells,
    variables: [maskEmbedding, reconstruction, reconstructionBias],
    loss(x, mask) {
      const samples = x.shape[0];
      const states = run(x, { q: float, mask }, true);
      const cellStates = tf.reshape(tf.slice(tf.reshape(states, [samples, tokens, d]), [0, 1, 0], [samples, cells, d]), [samples * cells, d]) as tf.Tensor2D;
      // Cell g predicts only its own columns: [samples, cells, columns] weighted by membership, summed over cells.
      const perCell = tf.reshape(tf.matMul(cellStates, reconstruction), [samples, cells, inputDim]);
      const predicted = tf.add(tf.sum(tf.mul(perCell, membership), 1), reconstructionBias) as tf.Tensor2D;
      const maskedColumns = tf.matMul(mask, membership);
      const squared = tf.sum(tf.mul(tf.mul(tf.square(tf.sub(predicted, x)), maskedColumns), numericColumns));
      const crossEntropy = categoricalSpans.map(({ cell, start, columns }) => {
        const logits = tf.slice(predicted, [0, start], [samples, columns]);
        // The category is the largest column: a training row's one-hot columns as they are, and a declared
        // one-hot group of z-scored 0/1 columns too, whose 1 is the only column above zero.
        const target = tf.cast(tf.oneHot(tf.argMax(tf.slice(x, [0, start], [samples, columns]), 1), columns), 'float32');
        const perRow = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1));
        return tf.sum(tf.mul(perRow, tf.reshape(tf.slice(mask, [0, cell], [samples, 1]), [samples])));
      });
      return tf.div(tf.addN([squared, ...crossEntropy]), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    },
  };
  const variables = [embedding, position, cls, ...kernels, ...biases, ...norms.flat()];
  return {
    layers,
    variables,
    floatMacs: blocks * 2 * tokens * tokens * d,
    forward: (x, q) => run(x, { q }, false),
    layerInputs(x) {
      const inputs: tf.Tensor2D[] = [];
      run(x, { q: float, tap: (l, input) => (inputs[l] = input) }, false);
      return inputs;
    },
    calibrate(x, q) {
      tf.tidy(() => {
        run(x, { q, calibrating: true }, false);
      });
    },
    selfSupervised: o.pretrainEpochs > 0 ? selfSupervised : undefined,
    dispose() {
      tf.dispose([...variables, ...selfSupervised.variables, structure, noBias, membership, numericColumns]);
      float.dispose();
    },
  };
}

export const tabformer: ModelFactory = {
  name: 'tabformer',
  summary: 'TabFormer-style transformer: feature tokens, [CLS], pre-LN attention blocks; masked-cell pretraining',
  defaults: { d: 64, heads: 4, blocks: 2, ff: 128, pretrainEpochs: 10, maskFraction: 0.15, pretrainLr: 1e-3 },
  featureTokens: true,
  create(options, inputDim, outputDim, rng, groups) {
    validate(options);
    return buildTabformer(options, inputDim, outputDim, rng, groups ?? singleColumnGroups(inputDim));
  },
  pretraining: (o) => (o.pretrainEpochs > 0 ? { epochs: o.pretrainEpochs, maskFraction: o.maskFraction, learningRate: o.pretrainLr } : null),
};

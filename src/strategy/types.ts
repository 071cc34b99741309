import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';

/** What a strategy may know about a model: its quantizable layers, never their internals. */
export interface LayerSpec {
  name: string;
  fanIn: number;
  fanOut: number;
  /** The layer's output (after its ReLU) feeds another quantizable layer, so it may be quantized. */
  hasQuantizableOutput: boolean;
}

/** The width the bit budget gives a weight or activation left in float. */
export const FLOAT_BITS = 32;

/** Discrete bits per output neuron of one layer. Float activations count as FLOAT_BITS. */
export interface LayerBits {
  weight: number[];
  /** Bits of each neuron's output activation; null when the output is not an activation site. */
  activation: number[] | null;
  /** Clip level alpha_j of each quantized output activation; null when activations stay float. */
  clip: number[] | null;
}

/** The live quantizers of one run, created by a strategy for one model. */
export interface QuantizerSet {
  /** The kernel as the forward pass uses it; the strategy wires the gradients. */
  weights(layer: number, kernel: tf.Tensor2D): tf.Tensor2D;
  /** The layer's (post-ReLU) output as the next layer sees it. */
  activations(layer: number, a: tf.Tensor2D): tf.Tensor2D;
  /** Once, before training: a calibration batch's un-quantized activations of a layer. */
  calibrate(layer: number, a: tf.Tensor2D): void;
  /** Trainable state of the strategy (strengths, clip levels), optimised with the weights. */
  readonly variables: tf.Variable[];
  /** After each optimiser step: projections such as clipping strengths to [0, 1]. */
  afterStep(): void;
  /** Extra loss term (e.g. a bit penalty), or null when there is none. */
  penalty(): tf.Scalar | null;
  /** Current discrete bits of every layer. */
  bits(): LayerBits[];
  dispose(): void;
}

export interface StrategyContext {
  layers: LayerSpec[];
  rng: Rng;
}

/** Option values are plain JSON scalars or arrays of numbers, so configs hash and print stably. */
export type OptionValue = number | string | boolean | number[];
export type StrategyOptions = Record<string, OptionValue>;

/** A quantization strategy: a name, declarative defaults, and a factory. */
export interface Strategy<O extends StrategyOptions = StrategyOptions> {
  name: string;
  summary: string;
  /** Every free choice, named, with its default. Users override a subset. */
  defaults: O;
  /** Throws a one-line Error when a combination of options is invalid. */
  validate?(options: O): void;
  create(options: O, context: StrategyContext): QuantizerSet;
}

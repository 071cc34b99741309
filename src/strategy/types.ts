import type * as tf from '@tensorflow/tfjs';
import type { WeightQuantizer } from '../quant/quantizers.js';
import type { Rng } from '../rng.js';

/** What a strategy may know about a model: its quantizable layers, never their internals. */
export interface LayerSpec {
  name: string;
  fanIn: number;
  fanOut: number;
  /**
   * The activation site this layer owns, quantized in W+A mode; null: none. The MLP's hidden
   * layers own their ReLU outputs; the transformer's layers own their inputs (q owns the
   * LayerNorm output that q, k and v share).
   */
  activation: ActivationSite | null;
  /** The layer whose activation site is this layer's input (its bits enter BitOPs); null: a float input. */
  input: number | null;
  /** Rows the layer multiplies per sample: 1 in an MLP, the token count in a transformer block. */
  rowsPerSample: number;
}

/** A tensor [rows, width] whose columns are quantized one width and clip level each. */
export interface ActivationSite {
  width: number;
  /** Can be negative (after LayerNorm, attention): symmetric clip [-alpha, alpha] instead of [0, alpha]. */
  signed: boolean;
}

/** The width the bit budget gives a weight or activation left in float. */
export const FLOAT_BITS = 32;

/** Discrete bits per output neuron of one layer. Float activations count as FLOAT_BITS. */
export interface LayerBits {
  weight: number[];
  /** How the quantized weights were quantized at their widths; null when the layer's weights stay float. */
  weightQuantizer: WeightQuantizer | null;
  /** Bits of each column of the layer's activation site; null when it owns none. */
  activation: number[] | null;
  /** Clip level alpha_j of each quantized site column; null when activations stay float. */
  clip: number[] | null;
  /**
   * Bits of each input row W[i, :] when the strategy quantizes per input channel (one scale per
   * row); `weight` then holds each column's average, so per-neuron reports stay comparable.
   */
  weightRows?: number[];
  /**
   * With `weightRows`: the input rows (in increasing order) quantized together with one scale
   * per output neuron instead of one per row, all at the same width (their `weightRows`
   * entry); the other rows keep a scale each. OWQ's low-bit rows beside its weak rows.
   */
  neuronScaledRows?: number[];
}

/**
 * How one group of a strategy's variables is optimised (the trainer makes one optimiser per group):
 * - `run`: the run's own optimiser kind at `lrScale` times its learning rate;
 * - `adam` / `sgd`: an optimiser of its own at learning rate `kappa / T`, T = the run's planned
 *   optimiser steps (so how far a variable can travel in a run does not depend on the run's
 *   length), or at `multiplier` times the run's learning rate.
 */
export type VariableOptimizer = { kind: 'run'; lrScale: number } | { kind: 'adam' | 'sgd'; learningRate: { kappa: number } | { multiplier: number } };

export interface VariableGroup {
  /** What the variables are ("weight strengths", "clip levels"...), for messages and tests. */
  name: string;
  variables: tf.Variable[];
  optimizer: VariableOptimizer;
}

/** The live quantizers of one run, created by a strategy for one model. */
export interface QuantizerSet {
  /** The kernel as the forward pass uses it; the strategy wires the gradients. */
  weights(layer: number, kernel: tf.Tensor2D): tf.Tensor2D;
  /** The tensor at the layer's activation site (LayerSpec.activation) as its consumers see it. */
  activations(layer: number, a: tf.Tensor2D): tf.Tensor2D;
  /** Once, before training: a calibration batch's un-quantized tensor at a layer's activation site. */
  calibrate(layer: number, a: tf.Tensor2D): void;
  /** Trainable state of the strategy (strengths, clip levels), in groups by how each is optimised. */
  readonly trainable: VariableGroup[];
  /** After each optimiser step: projections such as clipping strengths to [0, 1]. */
  afterStep(): void;
  /** Extra loss term (e.g. a bit penalty), or null when there is none. */
  penalty(): tf.Scalar | null;
  /** Current discrete bits of every layer. */
  bits(): LayerBits[];
  /** What a search found (traces, allocation, reward curve...), recorded as JSON in the run row. */
  readonly searchReport?: Record<string, unknown>;
  /**
   * Kernels [fanIn, fanOut] (row-major, one per layer; null keeps the layer's) that the core
   * assigns to the model before training: for searches that change the weights, not only
   * their widths (GPTQ's error compensation).
   */
  readonly startingKernels?: readonly (Float32Array | null)[];
  /** true: no QAT; the run is evaluated at its starting weights once the activation clips are calibrated (post-training quantization). */
  readonly skipTraining?: boolean;
  dispose(): void;
}

/**
 * Measurements on the run's starting model and training data, for strategies that search
 * before QAT. The core implements it; a strategy sees layers and numbers, never model internals.
 */
export interface ModelProbe {
  /** The starting kernel [fanIn, fanOut] of quantizable layer l (the FP32 checkpoint's in a pretrained run). */
  kernel(layer: number): tf.Tensor2D;
  /** Per layer, the mean of x_i^2 over `rows` training rows for every input channel i of its FP32 input. */
  inputSecondMoments(rows: number): Float32Array[];
  /** Per layer, the Gram matrix X^T X / n [fanIn, fanIn] (row-major) of its FP32 input X [n, fanIn] on `rows` training rows; its diagonal is inputSecondMoments. */
  inputGram(rows: number): Float64Array[];
  /**
   * Gradient of the training loss over the first `rows` training rows with respect to layer l's
   * kernel, evaluated at the starting kernel plus `delta` (null: no shift). For Hessian-vector products.
   */
  kernelGradient(layer: number, delta: tf.Tensor2D | null, rows: number): tf.Tensor2D;
  /**
   * A short QAT fine-tune from the starting weights with quantizers made for the model's layers:
   * `epochs` epochs on the first `rows` training rows; returns the validation metric.
   */
  fineTune(makeQuantizers: (layers: LayerSpec[]) => QuantizerSet, opts: { epochs: number; rows: number }): number;
  /** The starting model's validation metric without quantization. */
  readonly reference: { metric: number; higherIsBetter: boolean };
}

export interface StrategyContext {
  layers: LayerSpec[];
  rng: Rng;
  /** Target average weight bits from the strategy's `budget` option (a number, or resolved from match:<strategy>); null without one. */
  budget: number | null;
  probe: ModelProbe;
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
  /** Always starts from the trained FP32 model of the same seed (search strategies); others only with --init pretrained. */
  requiresPretrained?: boolean;
  /**
   * Whether it learns or searches its widths (per neuron, channel or layer) rather than taking them
   * from its options. A property of the method, not of one run's outcome (a learned width may stay
   * where it started): the report's wall-clock table of mixed-precision methods reads it.
   */
  mixedPrecision: boolean;
  /**
   * Builds the quantizers; any search happens here and is timed as the run's search_seconds.
   * Throws when the budget cannot be met (the run is recorded as failed with the message).
   */
  create(options: O, context: StrategyContext): QuantizerSet;
}

import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';
import type { LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import type { OptionSchema, OptionsOf } from './options.js';

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
  /** The run's budget in target average weight bits (Strategy.budget, resolved by the runner); null without one. */
  budget: number | null;
  probe: ModelProbe;
}

/** A quantization strategy: a name, its options (one schema: types, defaults, checks), and a factory. */
export interface Strategy<S extends OptionSchema = OptionSchema> {
  name: string;
  summary: string;
  /** Every free choice, named, with its default and its check (src/strategy/options.ts). Users override a subset. */
  options: S;
  /**
   * Declares that it takes a budget, and its default request: target average weight bits ("2.5"),
   * match:<strategy> (the average weight bits that strategy reached on the same dataset, model and
   * seed), or "" (none unless given). Given and recorded as the option "budget", first among the
   * options; `--budget` replaces it. The runner resolves it to `StrategyContext.budget`.
   */
  budget?: string;
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
  create(options: OptionsOf<S>, context: StrategyContext): QuantizerSet;
}

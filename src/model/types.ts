import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';
import type { LayerSpec, QuantizerSet } from '../strategy/types.js';

/** A model built for one dataset: its quantizable layers and a forward pass that consults the quantizers. */
export interface Model {
  readonly layers: LayerSpec[];
  readonly variables: tf.Variable[];
  /** Outputs [batch, outputDim]: logits or the standardised regression prediction. */
  forward(x: tf.Tensor2D, quantizers: QuantizerSet): tf.Tensor2D;
  /** The FP32 input [rows, fanIn] of every quantizable layer for a batch (for activation-aware sensitivities). */
  layerInputs(x: tf.Tensor2D): tf.Tensor2D[];
  /** Runs one batch layer by layer, letting each quantizer calibrate before it is applied. */
  calibrate(x: tf.Tensor2D, quantizers: QuantizerSet): void;
  dispose(): void;
}

export type ModelOptions = Record<string, number>;

export interface ModelFactory {
  name: string;
  summary: string;
  defaults: ModelOptions;
  create(options: ModelOptions, inputDim: number, outputDim: number, rng: Rng): Model;
}

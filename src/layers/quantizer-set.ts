import type * as tf from '@tensorflow/tfjs';
import type { LayerBits } from './layer.js';

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

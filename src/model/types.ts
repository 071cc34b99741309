import type * as tf from '@tensorflow/tfjs';
import type { FeatureGroup } from '../data/types.js';
import type { Rng } from '../rng.js';
import type { LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';

/** A model built for one dataset: its quantizable layers and a forward pass that consults the quantizers. */
export interface Model {
  readonly layers: LayerSpec[];
  readonly variables: tf.Variable[];
  /** Multiply-accumulates per sample between two float activations (attention's products); counted at 32 x 32 bits in BitOPs. */
  readonly floatMacs: number;
  /** Outputs [batch, outputDim]: logits or the standardised regression prediction. */
  forward(x: tf.Tensor2D, quantizers: QuantizerSet): tf.Tensor2D;
  /** The FP32 input [rows, fanIn] of every quantizable layer for a batch (for activation-aware sensitivities). */
  layerInputs(x: tf.Tensor2D): tf.Tensor2D[];
  /** Runs one batch site by site, letting each quantizer calibrate before it is applied. */
  calibrate(x: tf.Tensor2D, quantizers: QuantizerSet): void;
  /** A self-supervised objective on unlabelled rows, for models that pretrain (ModelFactory.pretraining). */
  readonly selfSupervised?: MaskedCellObjective;
  dispose(): void;
}

/** Masked-cell modelling: hide some cells of each row and predict them from the rest. */
export interface MaskedCellObjective {
  /** Cells per row that can be masked: one per feature group. */
  readonly cells: number;
  /** What pretraining trains besides the model's variables (mask embedding, reconstruction head); discarded afterwards. */
  readonly variables: tf.Variable[];
  /** Mean loss over the masked cells: MSE on standardised numeric values, cross-entropy on categories. `mask` is [rows, cells] of 0/1. */
  loss(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar;
}

/** How a model pretrains before any strategy sees it; fixed by its options. */
export interface PretrainingConfig {
  epochs: number;
  /** Probability that a cell is masked. */
  maskFraction: number;
  /** Adam's learning rate. */
  learningRate: number;
}

export type ModelOptions = Record<string, number>;

export interface ModelFactory {
  name: string;
  summary: string;
  defaults: ModelOptions;
  /** Whether the model makes one token per feature group, so that the grouping is part of what it computes (and of its runs' config hash). */
  featureTokens?: boolean;
  /** `groups`: how input columns form raw features (default: every column its own numeric feature). */
  create(options: ModelOptions, inputDim: number, outputDim: number, rng: Rng, groups?: FeatureGroup[]): Model;
  /** The self-supervised pretraining these options ask for; absent or null: none, runs start from the seeded initialisation. */
  pretraining?(options: ModelOptions): PretrainingConfig | null;
}

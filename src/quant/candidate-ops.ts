import * as tf from '@tensorflow/tfjs';
import { candidateIndex } from './gates.js';
import { quantizeActivations, quantizeSignedActivations, quantizeWeights, type WeightCodes, weightCodes, type WeightQuantizer } from './quantizers.js';

/**
 * Candidate widths for one quantizer and the strength thresholds between them. A single
 * candidate (no thresholds) is a fixed-width quantizer: the uniform baseline uses the same
 * ops as NMP-QAT, and its strength receives a zero gradient.
 */
export interface CandidateSet {
  bits: number[];
  thresholds: number[];
  tau: number;
  /** false: the strength is frozen (searched widths), so its gradient is never needed. */
  trainable?: boolean;
  /** Activations only: clip to [-alpha, alpha] (quantizers.ts) instead of [0, alpha]. */
  signed?: boolean;
}

/** Candidate widths of a weight quantizer, and how it quantizes a neuron at each. */
export interface WeightCandidateSet extends CandidateSet {
  quantizer: WeightQuantizer;
}

/**
 * The tensor work of the mixed-precision ops (precision-ops.ts). The forward pass computes
 * only each neuron's selected width; what only the strength gradient needs (every candidate)
 * is computed in the backward pass. Two implementations: fused kernels on wasm and cpu, and
 * the op-by-op reference below (other backends; and what the kernels are tested against).
 */
export interface CandidateOps {
  /** Kernel [in, n], column j quantized at the width strength s_j selects. */
  weightForward(w: tf.Tensor2D, s: tf.Tensor1D, set: WeightCandidateSet): tf.Tensor2D;
  /** The integer codes and per-column scales of W at one width, from the same fit as weightForward: what an export stores. */
  weightCodes(w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): WeightCodes;
  /** [K, n]: row k is sum_i dy[i, j] * Q_k(W)[i, j]. */
  weightProducts(w: tf.Tensor2D, dy: tf.Tensor2D, set: WeightCandidateSet): tf.Tensor2D;
  /** Activations [batch, n] clipped to [0, alpha_j] (signed: [-alpha_j, alpha_j]) and quantized at the width s_j selects. */
  activationForward(a: tf.Tensor2D, s: tf.Tensor1D, alpha: tf.Tensor1D, set: CandidateSet): tf.Tensor2D;
  /**
   * dL/da (1 inside the clip range), dL/dalpha (PACT: 1 where a >= alpha; signed: sign(a) where
   * |a| >= alpha) and, if asked, the [K, n] products with Q_k(a).
   */
  activationBackward(a: tf.Tensor2D, dy: tf.Tensor2D, alpha: tf.Tensor1D, set: CandidateSet, withProducts: boolean): ActivationGrads;
}

export interface ActivationGrads {
  da: tf.Tensor2D;
  dAlpha: tf.Tensor1D;
  products: tf.Tensor2D | null;
}

/** Per-neuron hard selection among stacked candidates [K, rows, n] by strength s [n]. */
function selectCandidates(stack: tf.Tensor3D, s: tf.Tensor1D, set: CandidateSet): tf.Tensor2D {
  if (set.bits.length === 1) return tf.squeeze(stack, [0]) as tf.Tensor2D;
  const choice = tf.transpose(tf.oneHot(candidateIndex(s, set.thresholds), set.bits.length)); // [K, n]
  return tf.sum(tf.mul(stack, tf.expandDims(tf.cast(choice, 'float32'), 1)), 0) as tf.Tensor2D;
}

const weightStack = (w: tf.Tensor2D, set: WeightCandidateSet) => tf.stack(set.bits.map((b) => quantizeWeights(w, b, set.quantizer))) as tf.Tensor3D;
const activationStack = (a: tf.Tensor2D, alpha: tf.Tensor1D, set: CandidateSet) =>
  tf.stack(set.bits.map((b) => (set.signed ? quantizeSignedActivations : quantizeActivations)(a, alpha, b))) as tf.Tensor3D;

/** Where the clip is reached (-1, 0 or 1 per entry: the sign of dq/dalpha) and where the input passes through. */
function clipRegions(a: tf.Tensor2D, alpha: tf.Tensor1D, signed: boolean): { clipped: tf.Tensor; inside: tf.Tensor } {
  if (signed) {
    const reached = tf.cast(tf.greaterEqual(tf.abs(a), alpha), 'float32');
    return { clipped: tf.mul(tf.sign(a), reached), inside: tf.sub(1, reached) };
  }
  const above = tf.cast(tf.greaterEqual(a, alpha), 'float32');
  return { clipped: above, inside: tf.mul(tf.cast(tf.greaterEqual(a, 0), 'float32'), tf.sub(1, above)) };
}
const productsWith = (stack: tf.Tensor3D, dy: tf.Tensor2D) => tf.sum(tf.mul(stack, tf.expandDims(dy, 0)), 1) as tf.Tensor2D;

/** Every candidate from quantizers.ts, stacked, then selected or multiplied: the definition, in tfjs ops. */
export const referenceCandidateOps: CandidateOps = {
  weightForward: (w, s, set) => selectCandidates(weightStack(w, set), s, set),
  weightCodes,
  weightProducts: (w, dy, set) => productsWith(weightStack(w, set), dy),
  activationForward: (a, s, alpha, set) => selectCandidates(activationStack(a, alpha, set), s, set),
  activationBackward(a, dy, alpha, set, withProducts) {
    const { clipped, inside } = clipRegions(a, alpha, set.signed === true);
    return {
      da: tf.mul(dy, inside) as tf.Tensor2D,
      dAlpha: tf.sum(tf.mul(dy, clipped), 0) as tf.Tensor1D,
      products: withProducts ? productsWith(activationStack(a, alpha, set), dy) : null,
    };
  },
};

import * as tf from '@tensorflow/tfjs';
import { GAUSSIAN_OUTER_LEVEL } from './gaussian-levels.js';

/**
 * Per-neuron uniform quantizers (docs/reconstruction.md). A neuron is an output
 * unit: column j of a [in, out] kernel, so every reduction here runs over axis 0.
 * Rounding is tfjs's round-half-to-even.
 */

/** log2(3): the ternary width, as the uniform baseline names it. */
export const TERNARY_BITS = 1.58;

/** Candidate weight widths a quantizer accepts. */
export function isSupportedWeightBits(bits: number): boolean {
  return bits === TERNARY_BITS || (Number.isInteger(bits) && bits >= 1 && bits <= 16);
}

/** Sign with sign(0) = +1: a 1-bit weight code always has two levels; a signed activation splits into sign and magnitude. */
export function signNonZero(w: tf.Tensor): tf.Tensor {
  return tf.where(tf.greaterEqual(w, 0), tf.onesLike(w), tf.onesLike(w).neg());
}

/**
 * How a neuron's weights are quantized at b >= 2 bits (docs/reconstruction.md):
 * - mid-rise: all 2^b codes k in [-2^(b-1), 2^(b-1) - 1], values (k + 1/2) * step, the step
 *   fitted to the column by least squares (below); its error falls with every added bit, and
 *   at 1 bit it is exactly mean|w| * sign(w).
 * - symmetric-max: the first reconstruction, 2^(b-1) - 1 levels each side of zero with step
 *   max|w| / (2^(b-1) - 1); at 2 bits its levels {-max, 0, max} lose more than 1 bit does.
 *   Kept so that tables computed with it stay reproducible.
 * 1 bit and ternary are the same in both.
 */
export const WEIGHT_QUANTIZER_FAMILIES = ['mid-rise', 'symmetric-max'] as const;
export type WeightQuantizerFamily = (typeof WEIGHT_QUANTIZER_FAMILIES)[number];

export interface WeightQuantizer extends tf.TensorContainerObject {
  family: WeightQuantizerFamily;
  /** Mid-rise: least-squares refinements of the step after its Gaussian start (at least 1). */
  refinements: number;
}

/** The default of every quantizing strategy. */
export const MID_RISE: WeightQuantizer = { family: 'mid-rise', refinements: 2 };
/** The first reconstruction's quantizer, and what saved models from before the choice existed used. */
export const SYMMETRIC_MAX: WeightQuantizer = { family: 'symmetric-max', refinements: 0 };

/** A quantized kernel as integers and one scale per column: Q_b(W) = codes * scale. */
export interface WeightCodes extends tf.TensorContainerObject {
  /**
   * [in, n], integer-valued: ±1 (1 bit), {-1, 0, 1} (ternary); b >= 2: symmetric-max
   * [-(2^(b-1) - 1), 2^(b-1) - 1], mid-rise the odd integers 2k + 1 in [-(2^b - 1), 2^b - 1].
   */
  codes: tf.Tensor2D;
  /** [1, n]; mid-rise: half the step. */
  scale: tf.Tensor2D;
}

/** b = 1: m_j * sign(w), m_j = mean |W[:, j]|. */
function binary(w: tf.Tensor2D): WeightCodes {
  return { codes: signNonZero(w) as tf.Tensor2D, scale: tf.mean(tf.abs(w), 0, true) };
}

/** Ternary: zero below 0.7 mean|w|, else sign(w) times the mean |w| above the threshold. */
function ternary(w: tf.Tensor2D): WeightCodes {
  const abs = tf.abs(w);
  const mask = tf.cast(tf.greater(abs, tf.mul(tf.mean(abs, 0, true), 0.7)), 'float32');
  const scale = tf.div(tf.sum(tf.mul(abs, mask), 0, true), tf.maximum(tf.sum(mask, 0, true), 1));
  return { codes: tf.mul(tf.sign(w), mask) as tf.Tensor2D, scale: scale as tf.Tensor2D };
}

/** Symmetric-max, b >= 2: n = 2^(b-1) - 1 levels each side, step max|W[:, j]| / n. */
function symmetricMax(w: tf.Tensor2D, bits: number): WeightCodes {
  const n = 2 ** (bits - 1) - 1;
  const maxAbs = tf.max(tf.abs(w), 0, true);
  // An all-zero column has no scale; any positive step reproduces its zeros exactly.
  const step = tf.where(tf.greater(maxAbs, 0), tf.div(maxAbs, n), tf.onesLike(maxAbs));
  return { codes: tf.clipByValue(tf.round(tf.div(w, step)), -n, n), scale: step as tf.Tensor2D };
}

/**
 * Mid-rise at b bits: codes c = 2k + 1, k = clamp(floor(w / step), -2^(b-1), 2^(b-1) - 1), value
 * c * h with h = step / 2, h fitted per column by least squares with no gradient to it.
 * A refinement assigns codes for the current step, then takes h = sum w c / sum c^2 (the
 * best h for those codes: it cannot raise the error) and step = 2h. Two starts, each refined
 * once, the one with the smaller error kept, then `refinements - 1` more: the Gaussian-optimal
 * outer level for the column's rms (best for bell-shaped columns at few bits), and the
 * column's max |w| as the outer level (best for heavy tails at many bits, where a Gaussian
 * start clips the tails and refinements recover slowly). At 1 bit every start gives
 * h = mean|w|. An all-zero column gets h = 0 (codes divide by step 1): mid-rise has no zero
 * level, so that is how it stays zero.
 */
function midRise(w: tf.Tensor2D, bits: number, refinements: number): WeightCodes {
  const n = 2 ** (bits - 1);
  const stepOf = (outer: tf.Tensor) => tf.where(tf.greater(outer, 0), outer, tf.onesLike(outer));
  const oddCodes = (step: tf.Tensor) => tf.add(tf.mul(tf.clipByValue(tf.floor(tf.div(w, step)), -n, n - 1), 2), 1);
  const sumSquares = tf.sum(tf.square(w), 0, true);
  const refit = (step: tf.Tensor) => {
    const c = oddCodes(step);
    const num = tf.sum(tf.mul(w, c), 0, true);
    const half = tf.div(num, tf.sum(tf.square(c), 0, true));
    return { half, error: tf.sub(sumSquares, tf.mul(num, half)) };
  };
  const rms = tf.sqrt(tf.div(sumSquares, w.shape[0]));
  const [gaussian, widest] = [tf.mul(rms, GAUSSIAN_OUTER_LEVEL[bits]), tf.max(tf.abs(w), 0, true)].map((outer) => refit(stepOf(tf.div(outer, n - 0.5))));
  let half = tf.where(tf.lessEqual(gaussian.error, widest.error), gaussian.half, widest.half);
  for (let r = 1; r < refinements; r++) half = refit(stepOf(tf.mul(half, 2))).half;
  return { codes: oddCodes(stepOf(tf.mul(half, 2))) as tf.Tensor2D, scale: half as tf.Tensor2D };
}

/** The integer codes and per-column scales of Q_b(W): what the fake quantizer multiplies and the export stores. */
export function weightCodes(w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): WeightCodes {
  return tf.tidy(() => {
    if (bits === TERNARY_BITS) return ternary(w);
    if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new Error(`unsupported weight bit-width ${bits}`);
    if (quantizer.family === 'mid-rise') return midRise(w, bits, quantizer.refinements);
    return bits === 1 ? binary(w) : symmetricMax(w, bits);
  });
}

/** Q_b(W) per column. Differentiating through it is meaningless: callers wrap it in an STE. */
export function quantizeWeights(w: tf.Tensor2D, bits: number, quantizer: WeightQuantizer): tf.Tensor2D {
  return tf.tidy(() => {
    const { codes, scale } = weightCodes(w, bits, quantizer);
    return tf.mul(codes, scale);
  });
}

/** Round half to even, as tfjs's round does, on a plain number. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return rest < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * One weight on a column's fixed grid, the grid `weightCodes` fits (its `scale`): the same
 * rounding on a plain number, for searches that round weight by weight (GPTQ, search/optq.ts)
 * on the host. Ternary has no fixed grid (its threshold moves with the column): not here.
 */
export function quantizeOnGrid(w: number, bits: number, scale: number, family: WeightQuantizerFamily): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new Error(`no fixed grid for weight width ${bits}`);
  if (family === 'mid-rise' || bits === 1) {
    // Mid-rise at 1 bit is sign(w) mean|w|, as is the binary quantizer; an all-zero column has h = 0.
    const n = 2 ** (bits - 1);
    const step = scale > 0 ? 2 * scale : 1;
    return (2 * Math.min(Math.max(Math.floor(w / step), -n), n - 1) + 1) * scale;
  }
  const n = 2 ** (bits - 1) - 1;
  return Math.min(Math.max(roundHalfEven(w / scale), -n), n) * scale;
}

/** Signed sites (after LayerNorm or attention) are symmetric: 2^(b-1) - 1 levels each side of zero. */
export function signedActivationLevels(bits: number): number {
  if (!Number.isInteger(bits) || bits < 2) throw new Error(`a signed activation needs at least 2 bits, got ${bits}`);
  return 2 ** (bits - 1) - 1;
}

/** Signed activation quantizer: clip to [-alpha_j, alpha_j], then a symmetric grid with zero on it. */
export function quantizeSignedActivations(a: tf.Tensor2D, alpha: tf.Tensor1D, bits: number): tf.Tensor2D {
  return tf.tidy(() => {
    const step = tf.div(alpha, signedActivationLevels(bits));
    return tf.mul(tf.round(tf.div(tf.minimum(tf.maximum(a, tf.neg(alpha)), alpha), step)), step);
  });
}

/**
 * Unsigned activation quantizer after ReLU: clip to [0, alpha_j], then 2^b - 1 steps.
 * `a` is [batch, neurons]; alpha is [neurons].
 */
export function quantizeActivations(a: tf.Tensor2D, alpha: tf.Tensor1D, bits: number): tf.Tensor2D {
  return tf.tidy(() => {
    const step = tf.div(alpha, 2 ** bits - 1);
    return tf.mul(tf.round(tf.div(tf.minimum(tf.relu(a), alpha), step)), step);
  });
}

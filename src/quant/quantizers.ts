import * as tf from '@tensorflow/tfjs';

/**
 * Per-neuron uniform quantizers (method.md, "Our reconstruction"). A neuron is an output
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

/** A quantized kernel as integers and one scale per column: Q_b(W) = codes * scale. */
export interface WeightCodes extends tf.TensorContainerObject {
  /** [in, n], integer-valued: ±1 (1 bit), {-1, 0, 1} (ternary), [-(2^(b-1) - 1), 2^(b-1) - 1] (b >= 2). */
  codes: tf.Tensor2D;
  /** [1, n]. */
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

/** b >= 2: symmetric, n = 2^(b-1) - 1 levels each side, step max|W[:, j]| / n. */
function symmetric(w: tf.Tensor2D, bits: number): WeightCodes {
  const n = 2 ** (bits - 1) - 1;
  const maxAbs = tf.max(tf.abs(w), 0, true);
  // An all-zero column has no scale; any positive step reproduces its zeros exactly.
  const step = tf.where(tf.greater(maxAbs, 0), tf.div(maxAbs, n), tf.onesLike(maxAbs));
  return { codes: tf.clipByValue(tf.round(tf.div(w, step)), -n, n), scale: step as tf.Tensor2D };
}

/** The integer codes and per-column scales of Q_b(W): what the fake quantizer multiplies and the export stores. */
export function weightCodes(w: tf.Tensor2D, bits: number): WeightCodes {
  return tf.tidy(() => {
    if (bits === 1) return binary(w);
    if (bits === TERNARY_BITS) return ternary(w);
    if (bits >= 2 && Number.isInteger(bits)) return symmetric(w, bits);
    throw new Error(`unsupported weight bit-width ${bits}`);
  });
}

/** Q_b(W) per column. Differentiating through it is meaningless: callers wrap it in an STE. */
export function quantizeWeights(w: tf.Tensor2D, bits: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { codes, scale } = weightCodes(w, bits);
    return tf.mul(codes, scale);
  });
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

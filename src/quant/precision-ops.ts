import * as tf from '@tensorflow/tfjs';
import { candidateIndex, gateDerivatives } from './gates.js';
import { quantizeActivations, quantizeWeights } from './quantizers.js';

/**
 * Candidate widths for one quantizer and the strength thresholds between them. A single
 * candidate (no thresholds) is a fixed-width quantizer: the uniform baseline uses the same
 * ops as NMP-QAT, and its strength receives a zero gradient.
 */
export interface CandidateSet {
  bits: number[];
  thresholds: number[];
  tau: number;
}

/** Per-neuron hard selection among stacked candidates [K, rows, n] by strength s [n]. */
function selectCandidates(stack: tf.Tensor3D, s: tf.Tensor1D, set: CandidateSet): tf.Tensor2D {
  if (set.bits.length === 1) return tf.squeeze(stack, [0]) as tf.Tensor2D;
  const choice = tf.transpose(tf.oneHot(candidateIndex(s, set.thresholds), set.bits.length)); // [K, n]
  return tf.sum(tf.mul(stack, tf.expandDims(tf.cast(choice, 'float32'), 1)), 0) as tf.Tensor2D;
}

/** d L / d s = sum_rows dL/dq * sum_k g_k'(s) Q_k: the surrogate's gradient (method.md). */
function strengthGradient(dy: tf.Tensor2D, stack: tf.Tensor3D, s: tf.Tensor1D, set: CandidateSet): tf.Tensor1D {
  // A fixed width (one candidate) has constant gates: skip a full-kernel product every step.
  if (set.thresholds.length === 0) return tf.zerosLike(s);
  const perCandidate = tf.sum(tf.mul(stack, tf.expandDims(dy, 0)), 1); // [K, n]
  return tf.sum(tf.mul(gateDerivatives(s, set.thresholds, set.tau), perCandidate), 0) as tf.Tensor1D;
}

/**
 * Kernel [in, n] fake-quantized per column at the width strength s [n] selects.
 * Backward: straight-through to the kernel, surrogate gradient to s.
 */
export function mixedWeightQuant(w: tf.Tensor2D, s: tf.Tensor1D, set: CandidateSet): tf.Tensor2D {
  const op = tf.customGrad(((kernel: tf.Tensor, strength: tf.Tensor, save: tf.GradSaveFunc) => {
    const stack = tf.stack(set.bits.map((b) => quantizeWeights(kernel as tf.Tensor2D, b))) as tf.Tensor3D;
    save([stack, strength]);
    return {
      value: selectCandidates(stack, strength as tf.Tensor1D, set),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [st, sv] = saved as [tf.Tensor3D, tf.Tensor1D];
        return [dy, strengthGradient(dy as tf.Tensor2D, st, sv, set)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(w, s) as tf.Tensor2D;
}

/**
 * Activations [batch, n] clipped to [0, alpha_j] and fake-quantized at the width s selects.
 * Backward: 1 inside [0, alpha) to the input, PACT's 1 where a >= alpha to alpha, surrogate to s.
 */
export function mixedActivationQuant(a: tf.Tensor2D, s: tf.Tensor1D, alpha: tf.Tensor1D, set: CandidateSet): tf.Tensor2D {
  const op = tf.customGrad(((x: tf.Tensor, strength: tf.Tensor, clip: tf.Tensor, save: tf.GradSaveFunc) => {
    const stack = tf.stack(set.bits.map((b) => quantizeActivations(x as tf.Tensor2D, clip as tf.Tensor1D, b))) as tf.Tensor3D;
    save([x, strength, clip, stack]);
    return {
      value: selectCandidates(stack, strength as tf.Tensor1D, set),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sv, sc, st] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor3D];
        const above = tf.cast(tf.greaterEqual(sx, sc), 'float32');
        const inside = tf.mul(tf.cast(tf.greaterEqual(sx, 0), 'float32'), tf.sub(1, above));
        return [tf.mul(dy, inside), strengthGradient(dy as tf.Tensor2D, st, sv, set), tf.sum(tf.mul(dy, above), 0)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(a, s, alpha) as tf.Tensor2D;
}

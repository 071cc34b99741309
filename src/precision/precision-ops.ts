import * as tf from '@tensorflow/tfjs';
import type { CandidateOps, CandidateSet, WeightCandidateSet } from '../quant/candidate-ops.js';
import { candidateOps } from '../kernels/quant-ops.js';
import { gateDerivatives } from '../quant/gates.js';

export type { CandidateSet, WeightCandidateSet } from '../quant/candidate-ops.js';

/**
 * d L / d s = sum_rows dL/dq * sum_k g_k'(s) Q_k: the surrogate's gradient (docs/reconstruction.md), from
 * the [K, n] products sum_rows dL/dq * Q_k. A fixed width (one candidate) or a frozen choice
 * has no use for it: its products are never computed.
 */
function strengthGradient(s: tf.Tensor1D, set: CandidateSet, products: tf.Tensor2D | null): tf.Tensor1D {
  if (products === null) return tf.zerosLike(s);
  return tf.sum(tf.mul(gateDerivatives(s, set.thresholds, set.tau), products), 0) as tf.Tensor1D;
}

/** Only a learned choice among several widths needs the candidates in the backward pass. */
const learnsWidth = (set: CandidateSet) => set.thresholds.length > 0 && set.trainable !== false;

/**
 * Kernel [in, n] fake-quantized per column at the width strength s [n] selects.
 * Backward: straight-through to the kernel, surrogate gradient to s.
 */
export function mixedWeightQuant(w: tf.Tensor2D, s: tf.Tensor1D, set: WeightCandidateSet, ops: CandidateOps = candidateOps()): tf.Tensor2D {
  const op = tf.customGrad(((kernel: tf.Tensor2D, strength: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([kernel, strength]);
    return {
      value: ops.weightForward(kernel, strength, set),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sk, ss] = saved as [tf.Tensor2D, tf.Tensor1D];
        return [dy, strengthGradient(ss, set, learnsWidth(set) ? ops.weightProducts(sk, dy as tf.Tensor2D, set) : null)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(w, s) as tf.Tensor2D;
}

/**
 * Activations [batch, n] clipped to [0, alpha_j] (signed sets: [-alpha_j, alpha_j]) and
 * fake-quantized at the width s selects. Backward: 1 inside the clip range to the input, PACT's
 * 1 (signed: sign(a)) where the clip is reached to alpha, surrogate to s.
 */
export function mixedActivationQuant(a: tf.Tensor2D, s: tf.Tensor1D, alpha: tf.Tensor1D, set: CandidateSet, ops: CandidateOps = candidateOps()): tf.Tensor2D {
  const op = tf.customGrad(((x: tf.Tensor2D, strength: tf.Tensor1D, clip: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([x, strength, clip]);
    return {
      value: ops.activationForward(x, strength, clip, set),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ss, sc] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const { da, dAlpha, products } = ops.activationBackward(sx, dy as tf.Tensor2D, sc, set, learnsWidth(set));
        return [da, strengthGradient(ss, set, products), dAlpha];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(a, s, alpha) as tf.Tensor2D;
}

/** A per-column quantizer applied per input row: row i of w [in, n] with a scale of its own. */
export function perRow(w: tf.Tensor2D, quantizeColumns: (columns: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(quantizeColumns(tf.transpose(w)));
}

/** Row indices [part] into a kernel, and the permutation that puts the parts' rows back in order. */
export interface RowParts {
  rows: tf.Tensor1D[];
  inverse: tf.Tensor1D;
}

/** The index tensors of a partition of a kernel's rows (the caller disposes them). */
export function rowParts(parts: number[][]): RowParts {
  const order = parts.flat();
  const inverse = new Array<number>(order.length);
  order.forEach((row, position) => (inverse[row] = position));
  return { rows: parts.map((p) => tf.tensor1d(p, 'int32')), inverse: tf.tensor1d(inverse, 'int32') };
}

/**
 * A kernel [in, n] whose input rows are quantized in parts, each on its own rows alone (so a
 * part's scales are fitted over its rows only), then put back in place. Backward: straight
 * through to the kernel. The parts' widths are frozen, so there is no strength gradient to
 * route, and the gather's own gradient (a segment sum the wasm backend lacks) is never taken.
 */
export function rowPartsQuant(w: tf.Tensor2D, parts: RowParts, quantize: (part: number, rows: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(((kernel: tf.Tensor2D) => ({
    value: tf.gather(tf.concat(parts.rows.map((rows, i) => quantize(i, tf.gather(kernel, rows)))), parts.inverse),
    gradFunc: (dy: tf.Tensor) => [dy],
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(w) as tf.Tensor2D;
}

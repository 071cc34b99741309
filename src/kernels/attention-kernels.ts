import * as tf from '@tensorflow/tfjs';
import { type FusedKernel, hasFusedKernel, ptr, registerFusedKernel, runFusedKernel } from './fused-kernel.js';

/**
 * Multi-head attention as two kernels (attention_forward and attention_backward in kernels.wat),
 * on q, k, v as the layers give them: rows [samples * tokens, d], head h the columns
 * [h dh, (h + 1) dh). wasm's BatchMatMul runs the per-head products ([samples * heads] products
 * of 55 x 16 by 16 x 55 in the paper profile) at about 1.4 GFLOP/s, and the head split and merge
 * are transposes; here each (sample, head) is worked on in L1, in place in the row layout.
 */

interface Geometry {
  samples: number;
  tokens: number;
  heads: number;
  dh: number;
  /** tokens and dh rounded up to whole v128s: the row lengths of P and of the work arrays. */
  tp: number;
  dhp: number;
}

const wholeVectors = (n: number) => Math.ceil(n / 4) * 4;

function geometry([rows, d]: number[], attrs: Record<string, unknown>): Geometry {
  const samples = attrs.samples as number;
  const heads = attrs.heads as number;
  const tokens = rows / samples;
  const dh = d / heads;
  if (!Number.isInteger(tokens) || !Number.isInteger(dh)) throw new Error(`attention: [${rows}, ${d}] is not ${samples} samples of ${heads} heads`);
  return { samples, tokens, heads, dh, tp: wholeVectors(tokens), dhp: wholeVectors(dh) };
}

/** Inputs q, k, v; outputs the heads' outputs [rows, d] and P [samples * heads, tokens, tp] (zeros past column tokens). */
const attentionKernel: FusedKernel = {
  name: 'QatbenchAttention',
  inputs: ['q', 'k', 'v'],
  outputShapes: ([shape], attrs) => {
    const g = geometry(shape, attrs);
    return [shape, [g.samples * g.heads, g.tokens, g.tp]];
  },
  scratch: ([shape], attrs) => {
    const g = geometry(shape, attrs);
    return [g.dh * g.tp, g.tokens * g.dhp, g.tokens * g.dhp];
  },
  body: ({ k, inputs: [q, key, v], outputs: [out, p], scratch: [kt, vp, op], shapes: [shape], attrs }) => {
    const g = geometry(shape, attrs);
    k.attention_forward(ptr(q), ptr(key), ptr(v), ptr(out), ptr(p), g.samples, g.tokens, g.heads, g.dh, 1 / Math.sqrt(g.dh), ptr(kt), ptr(vp), ptr(op));
  },
};

/** Inputs q, k, v, P and dL/dout; outputs dL/dq, dL/dk, dL/dv. */
const attentionGradKernel: FusedKernel = {
  name: 'QatbenchAttentionGrad',
  inputs: ['q', 'k', 'v', 'p', 'dy'],
  outputShapes: ([shape]) => [shape, shape, shape],
  scratch: ([shape], attrs) => {
    const g = geometry(shape, attrs);
    return [g.dh * g.tp, g.tokens * g.dhp, g.tokens * g.tp, g.tokens * g.dhp];
  },
  body: ({ k, inputs: [q, key, v, p, dy], outputs: [dq, dk, dv], scratch: [xt, xp, ds, cp], shapes: [shape], attrs }) => {
    const g = geometry(shape, attrs);
    k.attention_backward(
      ptr(q),
      ptr(key),
      ptr(v),
      ptr(p),
      ptr(dy),
      ptr(dq),
      ptr(dk),
      ptr(dv),
      g.samples,
      g.tokens,
      g.heads,
      g.dh,
      1 / Math.sqrt(g.dh),
      ptr(xt),
      ptr(xp),
      ptr(ds),
      ptr(cp),
    );
  },
};

for (const kernel of [attentionKernel, attentionGradKernel]) registerFusedKernel(kernel);

export const hasFusedAttention = (): boolean => hasFusedKernel(attentionKernel);

type AttentionOp = (q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D;

/** softmax(Q K^T / sqrt(dh)) V per sample and head on the kernels, with their backward pass as its gradient. */
export function fusedMultiHeadAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, samples: number, heads: number): tf.Tensor2D {
  const attrs = { samples, heads };
  const op = tf.customGrad(((qi: tf.Tensor2D, ki: tf.Tensor2D, vi: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const [out, p] = runFusedKernel(attentionKernel, [qi, ki, vi], attrs);
    save([qi, ki, vi, p]);
    return { value: out, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runFusedKernel(attentionGradKernel, [...saved, dy], attrs) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as AttentionOp;
  return op(q, k, v);
}

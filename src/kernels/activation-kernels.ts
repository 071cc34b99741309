import { signedActivationLevels } from '../quant/quantizers.js';
import { type FusedKernel, ptr } from './fused-kernel.js';
import { selectedCandidates } from './selection.js';

/**
 * Per-neuron activation quantization (quantizeActivations in quantizers.ts) over [batch, n]
 * activations: clip to [0, alpha_j], steps of alpha_j / (2^b - 1). The forward kernel works
 * at each neuron's selected width; the backward kernel gives the input and clip gradients
 * and, for the strength, sum_i dy * Q_k(a) per neuron for every candidate k.
 *
 * Signed sites (attr `signed`: quantizeSignedActivations, after LayerNorm and attention) by
 * sign and magnitude: with 2^(b-1) - 1 levels each side, Q_b(a) = g U(|a|) where g = sign(a)
 * (+1 at 0) and U is the unsigned quantizer on [0, alpha] with as many steps (round half to even
 * is odd-symmetric). Its gradients follow by the chain rule: the input's through |a| (g^2 = 1),
 * alpha's and the products' with dy g. The kernels flip sign bits; op by op, the sign alone
 * (where, onesLike, neg, greaterEqual) cost more than the quantizer.
 */

/** step[j] = alpha[j] / levels in float32, as tfjs's div gives it. */
function setSteps(step: Float32Array, alpha: Float32Array, bitsOf: (j: number) => number, signed: boolean): void {
  for (let j = 0; j < step.length; j++) step[j] = alpha[j] / (signed ? signedActivationLevels(bitsOf(j)) : 2 ** bitsOf(j) - 1);
}

/** Forward: inputs a [batch, n], strength [n], alpha [n]. */
export const activationQuantizeKernel: FusedKernel = {
  name: 'QatbenchActivationQuantize',
  inputs: ['a', 's', 'alpha'],
  outputShapes: ([shape]) => [shape],
  scratch: ([[, cols]]) => [cols],
  body: ({ k, inputs: [a, s, alpha], outputs: [out], scratch: [step], shapes: [[rows, cols]], attrs }) => {
    const bits = attrs.bits as number[];
    const picked = selectedCandidates(s, attrs.thresholds as number[], cols);
    setSteps(step, alpha, (j) => bits[picked[j]], attrs.signed === true);
    k.activation_pass(ptr(a), 0, ptr(out), rows, cols, ptr(alpha), ptr(step), 0, 0, attrs.signed ? 1 : 0);
  },
};

/**
 * Backward: inputs a, dy [batch, n] and alpha [n]. Outputs dL/da (dy where 0 <= a < alpha),
 * dL/dalpha (column sums of dy where a >= alpha: PACT) and, when `bits` lists candidates,
 * [K, n] products for the strength gradient.
 */
export const activationGradKernel: FusedKernel = {
  name: 'QatbenchActivationGrad',
  inputs: ['a', 'dy', 'alpha'],
  outputShapes: ([shape], attrs) => {
    const k = (attrs.bits as number[]).length;
    return k === 0 ? [shape, [shape[1]]] : [shape, [shape[1]], [k, shape[1]]];
  },
  scratch: ([[, cols]]) => [cols, cols],
  body: ({ k, inputs: [a, dy, alpha], outputs: [da, dAlpha, products], scratch: [step, acc], shapes: [[rows, cols]], attrs }) => {
    const signed = attrs.signed ? 1 : 0;
    k.activation_grads(ptr(a), ptr(dy), ptr(da), rows, cols, ptr(alpha), ptr(dAlpha.fill(0)), signed);
    (attrs.bits as number[]).forEach((b, c) => {
      setSteps(step, alpha, () => b, signed === 1);
      acc.fill(0);
      k.activation_pass(ptr(a), ptr(dy), 0, rows, cols, ptr(alpha), ptr(step), ptr(acc), 1, signed);
      for (let j = 0; j < cols; j++) products[c * cols + j] = step[j] * acc[j];
    });
  },
};

import { type FusedKernel, ptr } from './fused-kernel.js';
import { selectedCandidates } from './selection.js';

/**
 * Per-neuron activation quantization (quantizeActivations in quantizers.ts) over [batch, n]
 * activations: clip to [0, alpha_j], steps of alpha_j / (2^b - 1). The forward kernel works
 * at each neuron's selected width; the backward kernel gives the input and clip gradients
 * and, for the strength, sum_i dy * Q_k(a) per neuron for every candidate k.
 */

/** step[j] = alpha[j] / (2^b_j - 1) in float32, as tfjs's div gives it. */
function setSteps(step: Float32Array, alpha: Float32Array, bitsOf: (j: number) => number): void {
  for (let j = 0; j < step.length; j++) step[j] = alpha[j] / (2 ** bitsOf(j) - 1);
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
    setSteps(step, alpha, (j) => bits[picked[j]]);
    k.activation_pass(ptr(a), 0, ptr(out), rows, cols, ptr(alpha), ptr(step), 0, 0);
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
    k.activation_grads(ptr(a), ptr(dy), ptr(da), rows, cols, ptr(alpha), ptr(dAlpha.fill(0)));
    (attrs.bits as number[]).forEach((b, c) => {
      setSteps(step, alpha, () => b);
      acc.fill(0);
      k.activation_pass(ptr(a), ptr(dy), 0, rows, cols, ptr(alpha), ptr(step), ptr(acc), 1);
      for (let j = 0; j < cols; j++) products[c * cols + j] = step[j] * acc[j];
    });
  },
};

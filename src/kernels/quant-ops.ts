import type * as tf from '@tensorflow/tfjs';
import { type CandidateOps, referenceCandidateOps } from '../quant/candidate-ops.js';
import { activationGradKernel, activationQuantizeKernel } from './activation-kernels.js';
import { hasFusedKernel, registerFusedKernel, runFusedKernel } from './fused-kernel.js';
import { weightCandidateProductsKernel, weightCodesKernel, weightQuantizeKernel } from './weight-kernels.js';

for (const k of [weightQuantizeKernel, weightCandidateProductsKernel, weightCodesKernel, activationQuantizeKernel, activationGradKernel])
  registerFusedKernel(k);

export const hasFusedCandidateOps = (): boolean => hasFusedKernel(weightQuantizeKernel);

/** CandidateOps on the fused kernels: one kernel call per op instead of a chain of tfjs ops. */
export const fusedCandidateOps: CandidateOps = {
  weightForward: (w, s, set) =>
    runFusedKernel(weightQuantizeKernel, [w, s], { bits: set.bits, thresholds: set.thresholds, ...set.quantizer })[0] as tf.Tensor2D,
  weightCodes(w, bits, quantizer) {
    const [codes, scale] = runFusedKernel(weightCodesKernel, [w], { bits, ...quantizer });
    return { codes: codes as tf.Tensor2D, scale: scale as tf.Tensor2D };
  },
  weightProducts: (w, dy, set) => runFusedKernel(weightCandidateProductsKernel, [w, dy], { bits: set.bits, ...set.quantizer })[0] as tf.Tensor2D,
  activationForward: (a, s, alpha, set) =>
    runFusedKernel(activationQuantizeKernel, [a, s, alpha], { bits: set.bits, thresholds: set.thresholds, signed: set.signed === true })[0] as tf.Tensor2D,
  activationBackward(a, dy, alpha, set, withProducts) {
    const [da, dAlpha, products] = runFusedKernel(activationGradKernel, [a, dy, alpha], { bits: withProducts ? set.bits : [], signed: set.signed === true });
    return { da: da as tf.Tensor2D, dAlpha: dAlpha as tf.Tensor1D, products: (products ?? null) as tf.Tensor2D | null };
  },
};

/** The fused kernels where the active backend has them, else the reference. */
export function candidateOps(): CandidateOps {
  return hasFusedCandidateOps() ? fusedCandidateOps : referenceCandidateOps;
}

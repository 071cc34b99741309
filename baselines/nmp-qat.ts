import { UsageError } from '../src/errors.js';
import { isSupportedWeightBits } from '../src/quant/quantizers.js';
import { createPrecisionQuantizers, type PrecisionSpec } from '../src/quant/precision-quantizers.js';
import type { Strategy } from '../src/strategy/types.js';

/** Every default is method.md's reconstruction; the paper states only the candidate sets. */
interface NmpQatOptions {
  [key: string]: string | number | number[];
  /** "w": weights only; "wa": weights and hidden activations. */
  mode: string;
  weightBits: number[];
  weightThresholds: number[];
  activationBits: number[];
  activationThresholds: number[];
  /** Gate temperature. */
  tau: number;
  /** lambda of the optional soft-bit penalty (the paper mentions none). */
  bitPenalty: number;
  clipPercentile: number;
  /** "neuron" (NMP-QAT) or "layer": one strength per layer, the layer-wise baseline. */
  grain: string;
}

/** Strengths start in the middle of the lowest interval: the lowest width ("start low"). */
function learned(bits: number[], thresholds: number[], tau: number, grain: PrecisionSpec['grain']): PrecisionSpec {
  return { bits, thresholds, tau, initialStrength: thresholds[0] / 2, trainable: true, grain };
}

function checkCandidates(what: string, bits: number[], thresholds: number[]): void {
  if (bits.length !== thresholds.length + 1) throw new UsageError(`nmp-qat: ${what} needs one threshold fewer than bit choices`);
  const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
  if (!increasing(bits) || !increasing(thresholds) || thresholds[0] <= 0 || thresholds[thresholds.length - 1] >= 1) {
    throw new UsageError(`nmp-qat: ${what} bits and thresholds must increase, thresholds inside (0, 1)`);
  }
}

/** NMP-QAT: per-neuron learned weight (and activation) widths that start low and grow. */
export const nmpQat: Strategy<NmpQatOptions> = {
  name: 'nmp-qat',
  summary: 'neuron-level learned mixed precision: strengths start at the lowest width and grow where the loss needs it',
  defaults: {
    mode: 'wa',
    weightBits: [1, 2, 4, 8],
    weightThresholds: [0.25, 0.5, 0.75],
    activationBits: [4, 8, 16],
    activationThresholds: [1 / 3, 2 / 3],
    tau: 0.05,
    bitPenalty: 0,
    clipPercentile: 99.9,
    grain: 'neuron',
  },
  validate(o) {
    if (o.mode !== 'w' && o.mode !== 'wa') throw new UsageError(`nmp-qat: mode must be "w" or "wa", got "${o.mode}"`);
    checkCandidates('weight', o.weightBits, o.weightThresholds);
    checkCandidates('activation', o.activationBits, o.activationThresholds);
    if (!o.weightBits.every(isSupportedWeightBits)) throw new UsageError('nmp-qat: weightBits must be 1 or integers 2..16');
    if (!(o.tau > 0)) throw new UsageError('nmp-qat: tau must be positive');
    if (o.grain !== 'neuron' && o.grain !== 'layer') throw new UsageError(`nmp-qat: grain must be "neuron" or "layer", got "${o.grain}"`);
  },
  create: (o, { layers }) =>
    createPrecisionQuantizers(layers, {
      weight: learned(o.weightBits, o.weightThresholds, o.tau, o.grain as PrecisionSpec['grain']),
      activation: o.mode === 'wa' ? learned(o.activationBits, o.activationThresholds, o.tau, o.grain as PrecisionSpec['grain']) : null,
      clipPercentile: o.clipPercentile,
      bitPenalty: o.bitPenalty,
    }),
};

import { UsageError } from '../src/errors.js';
import { isSupportedWeightBits } from '../src/quant/quantizers.js';
import { createPrecisionQuantizers, type PrecisionSpec } from '../src/precision/precision-quantizers.js';
import type { Strategy } from '../src/strategy/types.js';
import type { VariableOptimizer } from '../src/layers/quantizer-set.js';
import { WEIGHT_QUANTIZER_DEFAULTS, weightQuantizerOf, type WeightQuantizerOptions } from '../src/strategy/weight-quantizer-option.js';

/** Every default is our reconstruction (docs/reconstruction.md); the paper states only the candidate sets. */
interface NmpQatOptions extends WeightQuantizerOptions {
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
  /** adam or sgd: an optimiser of the strengths' own; shared: the weights' optimiser and learning rate (the first reconstruction). */
  strengthOptimizer: string;
  /** The strengths' learning rate is kappa / T, T = the run's planned optimiser steps (weight strengths, activation strengths). */
  weightStrengthKappa: number;
  activationStrengthKappa: number;
  /** > 0: the strengths' learning rate is this multiple of the weights' instead of kappa / T. */
  strengthLrMultiplier: number;
  /** Clip levels train with the weights' optimiser at this multiple of its learning rate. */
  clipLrScale: number;
}

const STRENGTH_OPTIMIZERS = ['adam', 'sgd', 'shared'];

function strengthOptimizer(o: NmpQatOptions, kappa: number): VariableOptimizer {
  if (o.strengthOptimizer === 'shared') return { kind: 'run', lrScale: 1 };
  const learningRate = o.strengthLrMultiplier > 0 ? { multiplier: o.strengthLrMultiplier } : { kappa };
  return { kind: o.strengthOptimizer as 'adam' | 'sgd', learningRate };
}

/** Strengths start in the middle of the lowest interval: the lowest width ("start low"). */
function learned(bits: number[], thresholds: number[], o: NmpQatOptions, kappa: number): PrecisionSpec {
  const grain = o.grain as PrecisionSpec['grain'];
  return { bits, thresholds, tau: o.tau, initialStrength: thresholds[0] / 2, trainable: true, grain, strengthOptimizer: strengthOptimizer(o, kappa) };
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
  mixedPrecision: true,
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
    ...WEIGHT_QUANTIZER_DEFAULTS,
    strengthOptimizer: 'adam',
    weightStrengthKappa: 3,
    activationStrengthKappa: 3,
    strengthLrMultiplier: 0,
    clipLrScale: 1,
  },
  validate(o) {
    if (o.mode !== 'w' && o.mode !== 'wa') throw new UsageError(`nmp-qat: mode must be "w" or "wa", got "${o.mode}"`);
    checkCandidates('weight', o.weightBits, o.weightThresholds);
    checkCandidates('activation', o.activationBits, o.activationThresholds);
    if (!o.weightBits.every(isSupportedWeightBits)) throw new UsageError('nmp-qat: weightBits must be 1 or integers 2..16');
    if (!(o.tau > 0)) throw new UsageError('nmp-qat: tau must be positive');
    if (o.grain !== 'neuron' && o.grain !== 'layer') throw new UsageError(`nmp-qat: grain must be "neuron" or "layer", got "${o.grain}"`);
    weightQuantizerOf('nmp-qat', o);
    if (!STRENGTH_OPTIMIZERS.includes(o.strengthOptimizer))
      throw new UsageError(`nmp-qat: strengthOptimizer must be one of ${STRENGTH_OPTIMIZERS.join(', ')}, got "${o.strengthOptimizer}"`);
    if (!(o.weightStrengthKappa > 0 && o.activationStrengthKappa > 0))
      throw new UsageError('nmp-qat: weightStrengthKappa and activationStrengthKappa must be positive');
    if (!(o.strengthLrMultiplier >= 0) || !(o.clipLrScale >= 0)) throw new UsageError('nmp-qat: strengthLrMultiplier and clipLrScale must be >= 0');
  },
  create: (o, { layers }) =>
    createPrecisionQuantizers(layers, {
      weight: learned(o.weightBits, o.weightThresholds, o, o.weightStrengthKappa),
      weightQuantizer: weightQuantizerOf('nmp-qat', o),
      activation: o.mode === 'wa' ? learned(o.activationBits, o.activationThresholds, o, o.activationStrengthKappa) : null,
      clipPercentile: o.clipPercentile,
      bitPenalty: o.bitPenalty,
      clipLrScale: o.clipLrScale,
    }),
};

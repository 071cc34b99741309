import type { VariableOptimizer } from '../src/layers/quantizer-set.js';
import { createPrecisionQuantizers, type PrecisionSpec } from '../src/precision/precision-quantizers.js';
import { isSupportedWeightBits } from '../src/quant/quantizers.js';
import { choice, number, numbers, type OptionsOf } from '../src/strategy/options.js';
import { WEIGHT_QUANTIZER_OPTIONS, weightQuantizerOf } from '../src/strategy/shared-options.js';
import type { Strategy } from '../src/strategy/types.js';

/** Why candidate widths and their thresholds do not fit together, or undefined when they do. */
function candidatesProblem(what: string, bits: number[], thresholds: unknown): string | undefined {
  const t = thresholds as number[];
  if (bits.length !== t.length + 1) return `${what} needs one threshold fewer than bit choices`;
  const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
  if (!increasing(bits) || !increasing(t) || t[0] <= 0 || t[t.length - 1] >= 1) return `${what} bits and thresholds must increase, thresholds inside (0, 1)`;
  return undefined;
}

const positive = (message: string) => (v: number) => (v > 0 ? undefined : message);
const KAPPAS = 'weightStrengthKappa and activationStrengthKappa must be positive';
const NON_NEGATIVE = 'strengthLrMultiplier and clipLrScale must be >= 0';

/** Every default is our reconstruction (docs/reconstruction.md); the paper states only the candidate sets. */
const options = {
  /** "w": weights only; "wa": weights and hidden activations. */
  mode: choice(['w', 'wa'], 'wa', 'or'),
  weightBits: numbers(
    [1, 2, 4, 8],
    (v, _key, o) =>
      candidatesProblem('weight', v, o.weightThresholds) ?? (v.every(isSupportedWeightBits) ? undefined : 'weightBits must be 1 or integers 2..16'),
  ),
  weightThresholds: numbers([0.25, 0.5, 0.75]),
  activationBits: numbers([4, 8, 16], (v, _key, o) => candidatesProblem('activation', v, o.activationThresholds)),
  activationThresholds: numbers([1 / 3, 2 / 3]),
  /** Gate temperature. */
  tau: number(0.05, positive('tau must be positive')),
  /** lambda of the optional soft-bit penalty (the paper mentions none). */
  bitPenalty: number(0),
  clipPercentile: number(99.9),
  /** "neuron" (NMP-QAT) or "layer": one strength per layer, the layer-wise baseline. */
  grain: choice(['neuron', 'layer'], 'neuron', 'or'),
  ...WEIGHT_QUANTIZER_OPTIONS,
  /** adam or sgd: an optimiser of the strengths' own; shared: the weights' optimiser and learning rate (the first reconstruction). */
  strengthOptimizer: choice(['adam', 'sgd', 'shared'], 'adam'),
  /** The strengths' learning rate is kappa / T, T = the run's planned optimiser steps (weight strengths, activation strengths). */
  weightStrengthKappa: number(3, positive(KAPPAS)),
  activationStrengthKappa: number(3, positive(KAPPAS)),
  /** > 0: the strengths' learning rate is this multiple of the weights' instead of kappa / T. */
  strengthLrMultiplier: number(0, (v) => (v >= 0 ? undefined : NON_NEGATIVE)),
  /** Clip levels train with the weights' optimiser at this multiple of its learning rate. */
  clipLrScale: number(1, (v) => (v >= 0 ? undefined : NON_NEGATIVE)),
};

type NmpQatOptions = OptionsOf<typeof options>;

function strengthOptimizer(o: NmpQatOptions, kappa: number): VariableOptimizer {
  if (o.strengthOptimizer === 'shared') return { kind: 'run', lrScale: 1 };
  const learningRate = o.strengthLrMultiplier > 0 ? { multiplier: o.strengthLrMultiplier } : { kappa };
  return { kind: o.strengthOptimizer, learningRate };
}

/** Strengths start in the middle of the lowest interval: the lowest width ("start low"). */
function learned(bits: number[], thresholds: number[], o: NmpQatOptions, kappa: number): PrecisionSpec {
  return { bits, thresholds, tau: o.tau, initialStrength: thresholds[0] / 2, trainable: true, grain: o.grain, strengthOptimizer: strengthOptimizer(o, kappa) };
}

/** NMP-QAT: per-neuron learned weight (and activation) widths that start low and grow. */
export const nmpQat: Strategy<typeof options> = {
  name: 'nmp-qat',
  summary: 'neuron-level learned mixed precision: strengths start at the lowest width and grow where the loss needs it',
  mixedPrecision: true,
  options,
  create: (o, { layers }) =>
    createPrecisionQuantizers(layers, {
      weight: learned(o.weightBits, o.weightThresholds, o, o.weightStrengthKappa),
      weightQuantizer: weightQuantizerOf(o),
      activation: o.mode === 'wa' ? learned(o.activationBits, o.activationThresholds, o, o.activationStrengthKappa) : null,
      clipPercentile: o.clipPercentile,
      bitPenalty: o.bitPenalty,
      clipLrScale: o.clipLrScale,
    }),
};

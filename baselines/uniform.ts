import { createPrecisionQuantizers, fixedWidth } from '../src/precision/precision-quantizers.js';
import { isSupportedWeightBits } from '../src/quant/quantizers.js';
import { number } from '../src/strategy/options.js';
import { activationBits, WEIGHT_QUANTIZER_OPTIONS, weightQuantizerOf } from '../src/strategy/shared-options.js';
import type { Strategy } from '../src/strategy/types.js';

const options = {
  /** 1, 1.58 (ternary), 2..16. */
  weightBits: number(4, (v, key) => (isSupportedWeightBits(v) ? undefined : `${key} must be 1, 1.58 or an integer 2..16, got ${v}`)),
  /** Fixed activation width after every hidden ReLU; 0 keeps activations in float. */
  activationBits: activationBits(8),
  /** Initial clip level: this percentile of a calibration batch, per neuron. */
  clipPercentile: number(99.9),
  ...WEIGHT_QUANTIZER_OPTIONS,
};

/** Uniform QAT: every weight at one width, activations at one width (or float). */
export const uniform: Strategy<typeof options> = {
  name: 'uniform',
  summary: 'one fixed bit-width for all weights (1, 1.58, 2..16) and optionally for all activations',
  mixedPrecision: false,
  options,
  create: (o, { layers }) =>
    createPrecisionQuantizers(layers, {
      weight: fixedWidth(o.weightBits),
      weightQuantizer: weightQuantizerOf(o),
      activation: o.activationBits === 0 ? null : fixedWidth(o.activationBits),
      clipPercentile: o.clipPercentile,
      bitPenalty: 0,
    }),
};

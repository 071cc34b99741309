import { UsageError } from '../errors.js';
import { MID_RISE, SYMMETRIC_MAX, WEIGHT_QUANTIZER_FAMILIES, type WeightQuantizer, type WeightQuantizerFamily } from '../quant/quantizers.js';

/** The weight-quantizer options of every strategy that quantizes weights, so that strategies differ only in how they allocate widths. */
export interface WeightQuantizerOptions {
  /** mid-rise (default) or symmetric-max (the first reconstruction). */
  weightQuantizer: string;
  /** Mid-rise only: least-squares refinements of each neuron's step (at least 1). */
  stepRefinements: number;
}

export const WEIGHT_QUANTIZER_DEFAULTS: WeightQuantizerOptions = { weightQuantizer: MID_RISE.family, stepRefinements: MID_RISE.refinements };

/** The quantizer the options name; a one-line usage error for a bad value. */
export function weightQuantizerOf(strategy: string, o: WeightQuantizerOptions): WeightQuantizer {
  const family = o.weightQuantizer as WeightQuantizerFamily;
  if (!WEIGHT_QUANTIZER_FAMILIES.includes(family)) {
    throw new UsageError(`${strategy}: weightQuantizer must be one of ${WEIGHT_QUANTIZER_FAMILIES.join(', ')}, got "${o.weightQuantizer}"`);
  }
  if (family === 'symmetric-max') return SYMMETRIC_MAX;
  if (!(Number.isInteger(o.stepRefinements) && o.stepRefinements >= 1))
    throw new UsageError(`${strategy}: stepRefinements must be an integer >= 1, got ${o.stepRefinements}`);
  return { family, refinements: o.stepRefinements };
}

import { isSupportedWeightBits, MID_RISE, SYMMETRIC_MAX, WEIGHT_QUANTIZER_FAMILIES, type WeightQuantizer } from '../quant/quantizers.js';
import { choice, isPositiveInteger, number, numbers, type OptionsOf, type OptionSpec } from './options.js';

/**
 * Options that several strategies share, declared once: the weight quantizer of every strategy
 * that quantizes weights (so that strategies differ only in how they allocate widths), a fixed
 * activation width, and the candidate widths of the searched strategies.
 */

export const WEIGHT_QUANTIZER_OPTIONS = {
  /** mid-rise (default) or symmetric-max (the first reconstruction). */
  weightQuantizer: choice(WEIGHT_QUANTIZER_FAMILIES, MID_RISE.family),
  /** Mid-rise only: least-squares refinements of each neuron's step (at least 1). */
  stepRefinements: number(MID_RISE.refinements, (v, key, o) =>
    o.weightQuantizer === SYMMETRIC_MAX.family || isPositiveInteger(v) ? undefined : `${key} must be an integer >= 1, got ${v}`,
  ),
};

export type WeightQuantizerOptions = OptionsOf<typeof WEIGHT_QUANTIZER_OPTIONS>;

/** The quantizer the (checked) options name. */
export function weightQuantizerOf(o: WeightQuantizerOptions): WeightQuantizer {
  return o.weightQuantizer === SYMMETRIC_MAX.family ? SYMMETRIC_MAX : { family: o.weightQuantizer, refinements: o.stepRefinements };
}

/** A fixed activation width after every hidden site: 0 (float) or an integer 2..16. */
export const activationBits = (value: number): OptionSpec<number> =>
  number(value, (v, key) => (v === 0 || (Number.isInteger(v) && v >= 2 && v <= 16) ? undefined : `${key} must be 0 (float) or an integer 2..16, got ${v}`));

/** Training rows whose layer inputs give the statistics of a search (channel-wise, owq). */
export const calibrationRows = (value: number): OptionSpec<number> =>
  number(value, (v, key) => (isPositiveInteger(v) ? undefined : `${key} must be a positive integer`));

/** Options every searched (fixed-after-search) strategy shares; its budget is declared on the strategy (Strategy.budget). */
export const SEARCHED_WIDTH_OPTIONS = {
  /** Candidate weight widths. */
  bits: numbers([1, 2, 4, 8], (v, key) =>
    v.length > 0 && v.every(isSupportedWeightBits) ? undefined : `${key} must be widths 1, 1.58 or integers 2..16, got ${JSON.stringify(v)}`,
  ),
  /** Fixed activation width after every hidden ReLU; 0 keeps activations in float. */
  activationBits: activationBits(8),
  clipPercentile: number(99.9),
  ...WEIGHT_QUANTIZER_OPTIONS,
};

export type SearchedWidthOptions = OptionsOf<typeof SEARCHED_WIDTH_OPTIONS>;

import { UsageError } from '../errors.js';
import { createPrecisionQuantizers, fixedWidth } from '../precision/precision-quantizers.js';
import { isSupportedWeightBits } from '../quant/quantizers.js';
import type { LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { WEIGHT_QUANTIZER_DEFAULTS, weightQuantizerOf, type WeightQuantizerOptions } from '../strategy/weight-quantizer-option.js';

/** Options every searched (fixed-after-search) strategy shares. */
export interface SearchedWidthOptions extends WeightQuantizerOptions {
  [key: string]: string | number | number[];
  /** Target average weight bits: a number, or match:<strategy label>. */
  budget: string;
  /** Candidate weight widths. */
  bits: number[];
  /** Fixed activation width after every hidden ReLU; 0 keeps activations in float. */
  activationBits: number;
  clipPercentile: number;
}

export const SEARCHED_WIDTH_DEFAULTS = { budget: 'match:nmp-qat', bits: [1, 2, 4, 8], activationBits: 8, clipPercentile: 99.9, ...WEIGHT_QUANTIZER_DEFAULTS };

/** A fixed activation width: 0 (float) or an integer 2..16. */
export function checkActivationBits(strategy: string, activationBits: number): void {
  if (activationBits !== 0 && !(Number.isInteger(activationBits) && activationBits >= 2 && activationBits <= 16)) {
    throw new UsageError(`${strategy}: activationBits must be 0 (float) or an integer 2..16, got ${activationBits}`);
  }
}

export function checkSearchedWidths(strategy: string, o: SearchedWidthOptions): void {
  weightQuantizerOf(strategy, o);
  if (o.bits.length === 0 || !o.bits.every(isSupportedWeightBits))
    throw new UsageError(`${strategy}: bits must be widths 1, 1.58 or integers 2..16, got ${JSON.stringify(o.bits)}`);
  checkActivationBits(strategy, o.activationBits);
}

export function checkPositiveIntegers<O extends SearchedWidthOptions>(strategy: string, o: O, keys: (keyof O & string)[]): void {
  for (const key of keys) {
    if (!(Number.isInteger(o[key]) && (o[key] as number) >= 1)) throw new UsageError(`${strategy}: ${key} must be a positive integer, got ${o[key]}`);
  }
}

/** The budget a searched strategy cannot do without. */
export function requireBudget(strategy: string, budget: number | null): number {
  if (budget === null) throw new Error(`${strategy} needs a budget: set its budget option or --budget <bits>|match:<strategy>`);
  return budget;
}

/** QAT quantizers with one fixed weight width per layer and one activation width. */
export function fixedLayerWidths(layers: LayerSpec[], weightBits: number[], o: SearchedWidthOptions): QuantizerSet {
  return createPrecisionQuantizers(layers, {
    weight: weightBits.map((b) => fixedWidth(b)),
    weightQuantizer: weightQuantizerOf('searched widths', o),
    activation: o.activationBits === 0 ? null : fixedWidth(o.activationBits),
    clipPercentile: o.clipPercentile,
    bitPenalty: 0,
  });
}

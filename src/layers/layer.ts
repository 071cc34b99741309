import type { WeightQuantizer } from '../quant/quantizers.js';

/**
 * The vocabulary every part shares: a model's quantizable layers as the core, the quantizers and the
 * strategies see them, and the discrete bits they end with (docs/architecture.md).
 */

/** A quantizable layer as strategies and quantizers know it: its shape and activation site, never model internals. */
export interface LayerSpec {
  name: string;
  fanIn: number;
  fanOut: number;
  /**
   * The activation site this layer owns, quantized in W+A mode; null: none. The MLP's hidden
   * layers own their ReLU outputs; the transformer's layers own their inputs (q owns the
   * LayerNorm output that q, k and v share).
   */
  activation: ActivationSite | null;
  /** The layer whose activation site is this layer's input (its bits enter BitOPs); null: a float input. */
  input: number | null;
  /** Rows the layer multiplies per sample: 1 in an MLP, the token count in a transformer block. */
  rowsPerSample: number;
}

/** A tensor [rows, width] whose columns are quantized one width and clip level each. */
export interface ActivationSite {
  width: number;
  /** Can be negative (after LayerNorm, attention): symmetric clip [-alpha, alpha] instead of [0, alpha]. */
  signed: boolean;
}

/** The width the bit budget gives a weight or activation left in float. */
export const FLOAT_BITS = 32;

/** Discrete bits per output neuron of one layer. Float activations count as FLOAT_BITS. */
export interface LayerBits {
  weight: number[];
  /** How the quantized weights were quantized at their widths; null when the layer's weights stay float. */
  weightQuantizer: WeightQuantizer | null;
  /** Bits of each column of the layer's activation site; null when it owns none. */
  activation: number[] | null;
  /** Clip level alpha_j of each quantized site column; null when activations stay float. */
  clip: number[] | null;
  /**
   * Bits of each input row W[i, :] when the strategy quantizes per input channel (one scale per
   * row); `weight` then holds each column's average, so per-neuron reports stay comparable.
   */
  weightRows?: number[];
  /**
   * With `weightRows`: the input rows (in increasing order) quantized together with one scale
   * per output neuron instead of one per row, all at the same width (their `weightRows`
   * entry); the other rows keep a scale each. OWQ's low-bit rows beside its weak rows.
   */
  neuronScaledRows?: number[];
}

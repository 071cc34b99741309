import * as tf from '@tensorflow/tfjs';
import { createPrecisionQuantizers, fixedWidth } from '../src/precision/precision-quantizers.js';
import { candidateOps } from '../src/kernels/quant-ops.js';
import { quantizeOnGrid, type WeightQuantizer } from '../src/quant/quantizers.js';
import { budgetShortfall } from '../src/search/allocation.js';
import { dampedHessian, optq, outputError } from '../src/search/optq.js';
import { rowQuantizationErrors } from '../src/search/quantization-error.js';
import type { LayerSpec } from '../src/layers/layer.js';
import type { QuantizerSet } from '../src/layers/quantizer-set.js';
import type { Strategy } from '../src/strategy/types.js';
import { requireBudget } from '../src/strategy/context.js';
import { flag, number, type OptionsOf } from '../src/strategy/options.js';
import { activationBits, calibrationRows, WEIGHT_QUANTIZER_OPTIONS, weightQuantizerOf } from '../src/strategy/shared-options.js';

/** Ternary has no fixed grid for GPTQ to round onto. */
const widths = (_value: number, _key: string, o: Readonly<Record<string, unknown>>) => {
  const [baseBits, highBits] = [o.baseBits as number, o.highBits as number];
  return Number.isInteger(baseBits) && baseBits >= 1 && baseBits < highBits && Number.isInteger(highBits) && highBits <= 16
    ? undefined
    : `need integer widths 1 <= baseBits < highBits <= 16, got baseBits ${baseBits}, highBits ${highBits}`;
};

const options = {
  /** Width of the low-bit rows, one scale per output neuron over them. */
  baseBits: number(4, widths),
  /** Width of the weak rows, one scale per row. */
  highBits: number(16, widths),
  /** Fixed activation width after every hidden ReLU; 0 keeps activations in float. */
  activationBits: activationBits(8),
  /** Training rows whose layer inputs give each layer's Hessian. */
  calibrationRows: calibrationRows(1024),
  /** Dampening added to H's diagonal, as a fraction of its mean diagonal. */
  percdamp: number(0.01, (v, key) => (v > 0 ? undefined : `${key} must be positive, got ${v}`)),
  /** false: no QAT after the search (post-training quantization, as the paper). */
  finetune: flag(true),
  clipPercentile: number(99.9),
  ...WEIGHT_QUANTIZER_OPTIONS,
};

type OwqOptions = OptionsOf<typeof options>;

/** Weak rows listed by index in the search report up to this many per layer; beyond, only their count. */
const LISTED_ROWS = 32;
/** Floating-point slack, so that a budget equal to an achievable average is met. */
const SLACK = 1e-9;

/**
 * Weak rows per layer under the budget: the same fraction f = (budget - base) / (high - base)
 * of every layer's rows, rounded down; then one more row for the layers with the largest
 * remainders while the average still fits. Weights count one each (k rows of fanOut weights at
 * the high width), so k rows cost k fanOut (high - base) bits.
 */
export function weakRowCounts(layers: LayerSpec[], baseBits: number, highBits: number, budget: number): number[] {
  const shortfall = budgetShortfall([baseBits, highBits], budget);
  if (shortfall) throw new Error(`owq: ${shortfall}`);
  const fraction = Math.min(1, (budget - baseBits) / (highBits - baseBits));
  const capacity = fraction * layers.reduce((n, l) => n + l.fanIn * l.fanOut, 0) * (1 + SLACK);
  const counts = layers.map((l) => Math.floor(fraction * l.fanIn));
  let used = counts.reduce((n, k, l) => n + k * layers[l].fanOut, 0);
  const remainder = (l: number) => fraction * layers[l].fanIn - counts[l];
  const byRemainder = layers.map((_, l) => l).sort((a, b) => remainder(b) - remainder(a) || a - b);
  for (const l of byRemainder) {
    if (counts[l] < layers[l].fanIn && used + layers[l].fanOut <= capacity) {
      counts[l]++;
      used += layers[l].fanOut;
    }
  }
  return counts;
}

/** The k rows of largest sensitivity (ties: the lower index), in increasing order. */
export function weakRows(sensitivity: ArrayLike<number>, k: number): number[] {
  const ranked = Array.from(sensitivity, (s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  return ranked
    .slice(0, k)
    .map((r) => r.i)
    .sort((a, b) => a - b);
}

/** The low-bit grid of each output neuron: its scale at `bits`, fitted over the given rows only, by the ops the QAT quantizer runs. */
function neuronScales(kernel: tf.Tensor2D, rows: number[], bits: number, quantizer: WeightQuantizer): Float32Array {
  const scale = tf.tidy(() => candidateOps().weightCodes(tf.gather(kernel, tf.tensor1d(rows, 'int32')) as tf.Tensor2D, bits, quantizer).scale);
  const values = scale.dataSync() as Float32Array;
  scale.dispose();
  return values;
}

interface LayerSearch {
  weak: number[];
  /** H_ii = 2 E[x_i^2]. */
  hessianDiagonal: number[];
  /** The kernel after GPTQ: low-bit rows on their grid, weak rows compensated. */
  kernel: Float32Array;
}

/** GPTQ passes at most per layer, each on the grids the QAT quantizer refits to the last pass's result. */
const GRID_PASSES = 4;
/** Scales closer than this (relative) are one grid: a refit on grid values recovers a scale to float32 rounding. */
const SAME_SCALE = 1e-5;

/**
 * OWQ on one layer: weak rows by H_ii ||Q_base(W[i, :]) - W[i, :]||^2 (W quantized per neuron
 * as a whole), then GPTQ over the other rows in order with the weak rows last, so that they
 * absorb the compensation unrounded. The QAT quantizer refits each neuron's scale to the
 * kernel it is given; on GPTQ's grid values that refit usually finds the same grid, but not
 * when a neuron's outermost code is unused: GPTQ then runs again on the refitted grids.
 */
function searchLayer(kernel: tf.Tensor2D, gram: Float64Array, k: number, o: OwqOptions, quantizer: WeightQuantizer): LayerSearch {
  const [n, cols] = kernel.shape;
  const hessianDiagonal = Array.from({ length: n }, (_, i) => 2 * gram[i * n + i]);
  const errors = rowQuantizationErrors(kernel, o.baseBits, quantizer);
  const weak = weakRows(
    Array.from(errors, (e, i) => hessianDiagonal[i] * e),
    k,
  );
  const isWeak = new Set(weak);
  const low = Array.from({ length: n }, (_, i) => i).filter((i) => !isWeak.has(i));
  const w = Float64Array.from(kernel.dataSync());
  if (low.length === 0) return { weak, hessianDiagonal, kernel: Float32Array.from(w) };
  const hessian = dampedHessian(gram, n, o.percdamp);
  let scales = neuronScales(kernel, low, o.baseBits, quantizer);
  let compensated = new Float32Array(0);
  for (let pass = 0; pass < GRID_PASSES; pass++) {
    const grid = scales;
    compensated = Float32Array.from(
      optq(w, n, cols, hessian, [...low, ...weak], low.length, (value, j) => quantizeOnGrid(value, o.baseBits, grid[j], quantizer.family)),
    );
    const result = tf.tensor2d(compensated, [n, cols]);
    scales = neuronScales(result, low, o.baseBits, quantizer);
    result.dispose();
    if (scales.every((h, j) => Math.abs(h - grid[j]) <= SAME_SCALE * Math.abs(grid[j]))) break;
  }
  return { weak, hessianDiagonal, kernel: compensated };
}

/** The kernel as layer l's quantizers make it, on the host. */
function quantizedKernel(q: QuantizerSet, layer: number, kernel: Float32Array, shape: [number, number]): Float32Array {
  const out = tf.tidy(() => q.weights(layer, tf.tensor2d(kernel, shape)));
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

/**
 * Output neurons whose low-bit weights the QAT quantizer does not leave where GPTQ put them
 * (beyond float32 rounding; a code apart is far more), after every GPTQ pass: their rounding
 * is not GPTQ's.
 */
function regriddedNeurons(kernel: Float32Array, quantized: Float32Array, weak: number[], [rows, cols]: [number, number]): number {
  const isWeak = new Set(weak);
  const moved = new Set<number>();
  for (let i = 0; i < rows; i++) {
    if (isWeak.has(i)) continue;
    for (let j = 0; j < cols; j++)
      if (Math.abs(quantized[i * cols + j] - kernel[i * cols + j]) > 1e-6 * Math.max(1, Math.abs(kernel[i * cols + j]))) moved.add(j);
  }
  return moved.size;
}

const minMedianMax = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor((sorted.length - 1) / 2)], max: sorted[sorted.length - 1] };
};

/**
 * What the search found in one layer, and the output errors of what the model runs: the QAT
 * quantizers on the FP32 kernel (plain rounding, the same split) and on GPTQ's kernel, as mean
 * squared layer outputs over the calibration rows.
 */
function layerReport(q: QuantizerSet, layer: LayerSpec, l: number, search: LayerSearch, gram: Float64Array, fp32: Float32Array) {
  const shape: [number, number] = [layer.fanIn, layer.fanOut];
  const { weak, hessianDiagonal, kernel } = search;
  const compensated = quantizedKernel(q, l, kernel, shape);
  return {
    layer: layer.name,
    k: weak.length,
    weakRows: weak.length <= LISTED_ROWS ? weak : null,
    hessianDiagonal: minMedianMax(hessianDiagonal),
    outputError: { rounding: outputError(gram, fp32, quantizedKernel(q, l, fp32, shape), ...shape), gptq: outputError(gram, fp32, compensated, ...shape) },
    regridded: regriddedNeurons(kernel, compensated, weak, shape),
  };
}

/**
 * OWQ-style (Lee et al., AAAI 2024) on the FP32 model: per layer, the input Hessian
 * H = 2 X^T X / n from calibration rows; the rows (input channels) where H_ii times the
 * low-bit quantization error is largest stay at highBits with a scale each, the rest go to
 * baseBits with a scale per output neuron, rounded by GPTQ with error compensation. Then QAT
 * at those widths from the compensated kernels, or none (finetune: false).
 */
export const owq: Strategy<typeof options> = {
  name: 'owq',
  summary: 'outlier-aware weights: weak input channels at high precision, the rest low-bit by GPTQ, then QAT (or none)',
  requiresPretrained: true,
  mixedPrecision: true,
  /** Sets how many weak rows each layer keeps; the paper's 4.28 effective bits. */
  budget: '4.28',
  options,
  create(o, { layers, budget, probe }) {
    const target = requireBudget('owq', budget);
    const quantizer = weightQuantizerOf(o);
    const counts = weakRowCounts(layers, o.baseBits, o.highBits, target);
    const grams = probe.inputGram(o.calibrationRows);
    const searched = layers.map((_, l) => searchLayer(probe.kernel(l), grams[l], counts[l], o, quantizer));
    const quantizers = createPrecisionQuantizers(layers, {
      weight: searched.map((s) => ({ rows: s.weak, perRow: fixedWidth(o.highBits, 'row'), perNeuron: fixedWidth(o.baseBits, 'neuron') })),
      weightQuantizer: quantizer,
      activation: o.activationBits === 0 ? null : fixedWidth(o.activationBits),
      clipPercentile: o.clipPercentile,
      bitPenalty: 0,
    });
    const report = layers.map((layer, l) => layerReport(quantizers, layer, l, searched[l], grams[l], probe.kernel(l).dataSync() as Float32Array));
    const weights = layers.reduce((n, l) => n + l.fanIn * l.fanOut, 0);
    const highWeights = counts.reduce((n, k, l) => n + k * layers[l].fanOut, 0);
    return {
      ...quantizers,
      startingKernels: searched.map((s) => s.kernel),
      skipTraining: !o.finetune,
      searchReport: { budget: target, averageBits: o.baseBits + ((o.highBits - o.baseBits) * highWeights) / weights, layers: report },
    };
  },
};

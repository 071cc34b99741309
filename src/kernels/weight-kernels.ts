import { GAUSSIAN_OUTER_LEVEL } from '../quant/gaussian-levels.js';
import { isSupportedWeightBits, TERNARY_BITS, type WeightQuantizer, type WeightQuantizerFamily } from '../quant/quantizers.js';
import { type FusedKernel, type KernelCall, ptr } from './fused-kernel.js';
import type { KernelExports } from './module.js';
import { selectedCandidates } from './selection.js';

/**
 * Per-neuron weight quantization (quantizers.ts) over a [rows, cols] kernel, neuron j =
 * column j, as two kernels: the forward value at each column's selected width only, and, for
 * the backward pass, sum_i dy[i, j] * Q_k(W)[i, j] per column for every candidate k. The
 * per-column parameters are set here; the passes over the matrix run in kernels.wat.
 */

/**
 * Work arrays, each [cols]: column statistics, the mid-rise fit's sums and its first start's
 * error, one column quantizer per column (weight_code in kernels.wat), an accumulator.
 */
const [SUM, MAX, SQUARES, NUM, DEN, ERROR, SCALE, STEP, THR, SYM, MID, LO, HI, ACC] = Array.from({ length: 14 }, (_, i) => i);

/** All bits set: a v128.bitselect mask that takes its first operand. */
const ALL = -1;

/** The per-column arrays of one kernel call, with the masks as integers. */
interface Columns {
  k: KernelExports;
  w: Float32Array;
  rows: number;
  cols: number;
  sum: Float32Array;
  max: Float32Array;
  squares: Float32Array;
  num: Float32Array;
  den: Float32Array;
  error: Float32Array;
  scale: Float32Array;
  step: Float32Array;
  thr: Float32Array;
  sym: Int32Array;
  mid: Int32Array;
  lo: Float32Array;
  hi: Float32Array;
}

function columns(call: KernelCall): Columns {
  const {
    k,
    scratch: s,
    inputs: [w],
    shapes: [[rows, cols]],
  } = call;
  const mask = (a: Float32Array) => new Int32Array(a.buffer, a.byteOffset, a.length);
  k.column_stats(ptr(w), rows, cols, ptr(s[SUM]), ptr(s[MAX]), ptr(s[SQUARES]));
  return {
    k,
    w,
    rows,
    cols,
    sum: s[SUM],
    max: s[MAX],
    squares: s[SQUARES],
    num: s[NUM],
    den: s[DEN],
    error: s[ERROR],
    scale: s[SCALE],
    step: s[STEP],
    thr: s[THR],
    sym: mask(s[SYM]),
    mid: mask(s[MID]),
    lo: s[LO],
    hi: s[HI],
  };
}

const quantizerOf = (attrs: KernelCall['attrs']): WeightQuantizer => ({
  family: attrs.family as WeightQuantizerFamily,
  refinements: attrs.refinements as number,
});

/** The reference's stepOf: a step that is not positive (an all-zero column) becomes 1. */
const positiveOr1 = (step: number) => (step > 0 ? step : 1);
/** A mid-rise column's step from its half-step h, in float32. */
const stepFromHalf = (half: number) => positiveOr1(Math.fround(2 * half));

/** 2^(b-1) for an integer width b <= 16, as a shift: V8's `**` costs more than the rest of a column's setup. */
const levelsEachSide = (bits: number) => 1 << (bits - 1);

/** Whether columns at `bits` take the mid-rise lane: mid-rise columns, and 1 bit in both families (setColumn). */
const midRiseLane = (bits: number, family: WeightQuantizerFamily) => bits === 1 || (family === 'mid-rise' && bits !== TERNARY_BITS);

/**
 * Column j's quantizer at `bits`, from its statistics: the scales of quantizers.ts, in float32.
 * Mid-rise columns at b >= 2 get their bounds here, their step and scale from fitMidRise.
 */
function setColumn(c: Columns, j: number, bits: number, family: WeightQuantizerFamily): void {
  if (!isSupportedWeightBits(bits)) throw new Error(`unsupported weight bit-width ${bits}`);
  c.step[j] = 1; // only symmetric and mid-rise columns divide by it
  c.sym[j] = 0;
  c.mid[j] = 0;
  const mean = Math.fround(c.sum[j] / c.rows);
  if (bits === TERNARY_BITS) {
    setTernary(c, j, mean);
  } else if (midRiseLane(bits, family)) {
    // At 1 bit, in both families, h = mean |w| and the codes are sign(w) (+1 at 0): mid-rise codes
    // at any step, and exactly so at step 1, where w / step = w. Every fit would give h = sum |w| / rows.
    const n = levelsEachSide(bits);
    c.mid[j] = ALL;
    c.lo[j] = -n;
    c.hi[j] = n - 1;
    if (bits === 1) c.scale[j] = mean;
  } else {
    // n levels each side, step max|w| / n; an all-zero column keeps step 1 (any positive step reproduces its zeros).
    c.sym[j] = ALL;
    c.step[j] = c.max[j] > 0 ? c.max[j] / (levelsEachSide(bits) - 1) : 1;
    c.scale[j] = c.step[j];
  }
}

/** Threshold 0.7 mean|w|; scale: the mean |w| above it. Only the uniform baseline uses ternary: a plain loop will do. */
function setTernary(c: Columns, j: number, mean: number): void {
  const threshold = Math.fround(mean * Math.fround(0.7));
  let above = 0;
  let count = 0;
  for (let i = 0; i < c.rows; i++) {
    const a = Math.abs(c.w[i * c.cols + j]);
    if (a > threshold) {
      above += a;
      count++;
    }
  }
  c.thr[j] = threshold;
  c.scale[j] = Math.fround(above) / Math.max(count, 1);
}

/** The Gaussian-optimal outer level for the column's rms, in float32 as the reference computes it. */
function gaussianOuterLevel(c: Columns, j: number, bits: number): number {
  const rms = Math.fround(Math.sqrt(Math.fround(c.squares[j] / c.rows)));
  return Math.fround(rms * Math.fround(GAUSSIAN_OUTER_LEVEL[bits]));
}

/** Column j's step that puts its outermost mid-rise level, (2^(b-1) - 1/2) = (hi + 1/2) steps out, at `outer`. */
const startStep = (c: Columns, j: number, outer: number) => positiveOr1(Math.fround(outer / (c.hi[j] + 0.5)));

/** One least-squares pass over every column at its current step: num and den of h = num / den. */
function fitPass(c: Columns): void {
  c.num.fill(0);
  c.den.fill(0);
  c.k.mid_rise_sums(ptr(c.w), ptr(c.w), c.rows, c.cols, ptr(c.step), ptr(c.lo), ptr(c.hi), ptr(c.num), ptr(c.den));
}

const fittedHalf = (c: Columns, j: number) => Math.fround(c.num[j] / c.den[j]);
/** sum (w - c h)^2 = sum w^2 - h * sum w c, at h = sum w c / sum c^2. */
const fitError = (c: Columns, j: number, half: number) => Math.fround(c.squares[j] - Math.fround(c.num[j] * half));

/**
 * The mid-rise scale (h) and final step of the `fitted` columns, as midRise in quantizers.ts:
 * the Gaussian start and the max |w| start, each refined once, the smaller error kept (ties:
 * Gaussian), then `refinements - 1` more. Each pass serves every column; the loop after a pass
 * takes its h and sets the next pass's step.
 */
function fitMidRise(c: Columns, fitted: number[], bitsOf: (j: number) => number, refinements: number): void {
  for (const j of fitted) c.step[j] = startStep(c, j, gaussianOuterLevel(c, j, bitsOf(j)));
  fitPass(c);
  for (const j of fitted) {
    c.scale[j] = fittedHalf(c, j);
    c.error[j] = fitError(c, j, c.scale[j]);
    c.step[j] = startStep(c, j, c.max[j]);
  }
  fitPass(c);
  for (const j of fitted) {
    const half = fittedHalf(c, j);
    if (fitError(c, j, half) < c.error[j]) c.scale[j] = half;
    c.step[j] = stepFromHalf(c.scale[j]);
  }
  for (let r = 1; r < refinements; r++) {
    fitPass(c);
    for (const j of fitted) {
      c.scale[j] = fittedHalf(c, j);
      c.step[j] = stepFromHalf(c.scale[j]);
    }
  }
}

/** Every column's quantizer at width bitsOf(j). */
function setColumns(c: Columns, bitsOf: (j: number) => number, quantizer: WeightQuantizer): void {
  const fitted: number[] = [];
  for (let j = 0; j < c.cols; j++) {
    const bits = bitsOf(j);
    setColumn(c, j, bits, quantizer.family);
    if (quantizer.family === 'mid-rise' && bits >= 2) fitted.push(j);
  }
  if (fitted.length > 0) fitMidRise(c, fitted, bitsOf, quantizer.refinements);
}

/** weight_pass in kernels.wat with the columns' quantizers: values into `out`, or products with `dy` into `acc`. */
function weightPass(c: Columns, pointers: { dy: number; out: number; acc: number }, products: 0 | 1): void {
  const { dy, out, acc } = pointers;
  c.k.weight_pass(ptr(c.w), dy, out, c.rows, c.cols, ptr(c.scale), ptr(c.step), ptr(c.thr), ptr(c.sym), ptr(c.mid), ptr(c.lo), ptr(c.hi), acc, products);
}

/**
 * acc[j] = sum_i dy[i, j] * code(w[i, j]), all columns at one width. Mid-rise columns go through
 * mid_rise_sums, which has no other lanes to compute: half the time of weight_pass.
 */
function codeProducts(c: Columns, dy: Float32Array, acc: Float32Array, midRise: boolean): void {
  acc.fill(0);
  // den takes the sums of c^2, which products have no use for
  if (midRise) c.k.mid_rise_sums(ptr(c.w), ptr(dy), c.rows, c.cols, ptr(c.step), ptr(c.lo), ptr(c.hi), ptr(acc), ptr(c.den));
  else weightPass(c, { dy: ptr(dy), out: 0, acc: ptr(acc) }, 1);
}

/** Forward: inputs kernel [rows, cols] and strength [cols]; each column at the width its strength selects. */
export const weightQuantizeKernel: FusedKernel = {
  name: 'QatbenchWeightQuantize',
  inputs: ['w', 's'],
  outputShapes: ([shape]) => [shape],
  scratch: ([[, cols]]) => new Array(HI + 1).fill(cols),
  body: (call) => {
    const {
      inputs: [, s],
      outputs: [out],
      shapes: [[, cols]],
      attrs,
    } = call;
    const bits = attrs.bits as number[];
    const c = columns(call);
    const picked = selectedCandidates(s, attrs.thresholds as number[], cols);
    setColumns(c, (j) => bits[picked[j]], quantizerOf(attrs));
    weightPass(c, { dy: 0, out: ptr(out), acc: 0 }, 0);
  },
};

/** Backward: inputs kernel and dL/dWq [rows, cols]; output [K, cols], row k = sum_i dy * Q_k(W) per column. */
export const weightCandidateProductsKernel: FusedKernel = {
  name: 'QatbenchWeightCandidateProducts',
  inputs: ['w', 'dy'],
  outputShapes: ([[, cols]], attrs) => [[(attrs.bits as number[]).length, cols]],
  scratch: ([[, cols]]) => new Array(ACC + 1).fill(cols),
  body: (call) => {
    const {
      inputs: [, dy],
      outputs: [out],
      scratch: s,
      shapes: [[, cols]],
      attrs,
    } = call;
    const c = columns(call);
    const quantizer = quantizerOf(attrs);
    (attrs.bits as number[]).forEach((b, k) => {
      setColumns(c, () => b, quantizer);
      codeProducts(c, dy, s[ACC], midRiseLane(b, quantizer.family));
      for (let j = 0; j < cols; j++) out[k * cols + j] = c.scale[j] * s[ACC][j];
    });
  },
};

/**
 * One width for every column (attrs.bits): outputs the integer codes [rows, cols] and the scales
 * [1, cols] of quantizers.ts's weightCodes, from the fit the forward kernel makes, so that an
 * export stores exactly what training multiplied (at 16 bits that fit and the reference's can
 * keep different starts, see ERROR_RESOLUTION in the kernel tests).
 */
export const weightCodesKernel: FusedKernel = {
  name: 'QatbenchWeightCodes',
  inputs: ['w'],
  outputShapes: ([[rows, cols]]) => [
    [rows, cols],
    [1, cols],
  ],
  scratch: ([[, cols]]) => new Array(HI + 1).fill(cols),
  body: (call) => {
    const {
      outputs: [codes, scale],
      shapes: [[rows, cols]],
      attrs,
    } = call;
    const c = columns(call);
    setColumns(c, () => attrs.bits as number, quantizerOf(attrs));
    weightPass(c, { dy: 0, out: ptr(codes), acc: 0 }, 0);
    // Each value is its code times the column's scale in float32, |code| < 2^16: dividing back
    // gives the code to within 0.01. A zero scale (an all-zero column) takes the reference's
    // code: 0 for ternary, else +1 (sign(0), or mid-rise's code at step 1).
    const zeroCode = attrs.bits === TERNARY_BITS ? 0 : 1;
    for (let i = 0; i < rows * cols; i++) {
      const h = c.scale[i % cols];
      codes[i] = h > 0 ? Math.round(codes[i] / h) : zeroCode;
    }
    scale.set(c.scale);
  },
};

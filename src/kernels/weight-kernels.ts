import { TERNARY_BITS } from '../quant/quantizers.js';
import { type FusedKernel, type KernelCall, ptr } from './fused-kernel.js';
import { selectedCandidates } from './selection.js';

/**
 * Per-neuron weight quantization (quantizers.ts) over a [rows, cols] kernel, neuron j =
 * column j, as two kernels: the forward value at each column's selected width only, and, for
 * the backward pass, sum_i dy[i, j] * Q_k(W)[i, j] per column for every candidate k. The
 * per-column parameters are set here; the passes over the matrix run in kernels.wat.
 */

/** Work arrays, each [cols]: |w| sums and maxima, one column quantizer per column (weight_code in kernels.wat), an accumulator. */
const [SUM, MAX, SCALE, STEP, THR, SYM, BIN, ACC] = [0, 1, 2, 3, 4, 5, 6, 7];

/** All bits set: a v128.bitselect mask that takes its first operand. */
const ALL = -1;

/** The per-column quantizer arrays of one kernel call, with the masks as integers. */
interface Columns {
  w: Float32Array;
  rows: number;
  cols: number;
  sum: Float32Array;
  max: Float32Array;
  scale: Float32Array;
  step: Float32Array;
  thr: Float32Array;
  sym: Int32Array;
  bin: Int32Array;
}

function columns(call: KernelCall): Columns {
  const { scratch: s, inputs: [w], shapes: [[rows, cols]] } = call;
  const mask = (a: Float32Array) => new Int32Array(a.buffer, a.byteOffset, a.length);
  call.k.abs_stats(ptr(w), rows, cols, ptr(s[SUM]), ptr(s[MAX]));
  return { w, rows, cols, sum: s[SUM], max: s[MAX], scale: s[SCALE], step: s[STEP], thr: s[THR], sym: mask(s[SYM]), bin: mask(s[BIN]) };
}

/** Column j's quantizer at `bits`, from its |w| statistics: the scales of quantizers.ts, in float32. */
function setColumn(c: Columns, j: number, bits: number): void {
  const mean = Math.fround(c.sum[j] / c.rows);
  c.step[j] = 1; // only symmetric columns divide by it
  c.sym[j] = 0;
  c.bin[j] = 0;
  if (bits === 1) {
    c.bin[j] = ALL;
    c.scale[j] = mean;
  } else if (bits === TERNARY_BITS) {
    // Threshold 0.7 mean|w|; scale: the mean |w| above it. Only the uniform baseline uses ternary: a plain loop will do.
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
  } else if (Number.isInteger(bits) && bits >= 2) {
    // n levels each side, step max|w| / n; an all-zero column keeps step 1 (any positive step reproduces its zeros).
    c.sym[j] = ALL;
    c.step[j] = c.max[j] > 0 ? c.max[j] / (2 ** (bits - 1) - 1) : 1;
    c.scale[j] = c.step[j];
  } else {
    throw new Error(`unsupported weight bit-width ${bits}`);
  }
}

const params = (call: KernelCall) => call.scratch.slice(SCALE).map(ptr);

/** Forward: inputs kernel [rows, cols] and strength [cols]; each column at the width its strength selects. */
export const weightQuantizeKernel: FusedKernel = {
  name: 'QatbenchWeightQuantize',
  inputs: ['w', 's'],
  outputShapes: ([shape]) => [shape],
  scratch: ([[, cols]]) => new Array(BIN + 1).fill(cols),
  body: (call) => {
    const { k, inputs: [w, s], outputs: [out], shapes: [[rows, cols]], attrs } = call;
    const bits = attrs.bits as number[];
    const c = columns(call);
    const picked = selectedCandidates(s, attrs.thresholds as number[], cols);
    for (let j = 0; j < cols; j++) setColumn(c, j, bits[picked[j]]);
    const [scale, step, thr, sym, bin] = params(call);
    k.weight_pass(ptr(w), 0, ptr(out), rows, cols, scale, step, thr, sym, bin, 0, 0);
  },
};

/** Backward: inputs kernel and dL/dWq [rows, cols]; output [K, cols], row k = sum_i dy * Q_k(W) per column. */
export const weightCandidateProductsKernel: FusedKernel = {
  name: 'QatbenchWeightCandidateProducts',
  inputs: ['w', 'dy'],
  outputShapes: ([[, cols]], attrs) => [[(attrs.bits as number[]).length, cols]],
  scratch: ([[, cols]]) => new Array(ACC + 1).fill(cols),
  body: (call) => {
    const { inputs: [w, dy], outputs: [out], scratch: s, shapes: [[rows, cols]], attrs } = call;
    const c = columns(call);
    (attrs.bits as number[]).forEach((b, k) => {
      for (let j = 0; j < cols; j++) setColumn(c, j, b);
      const [scale, step, thr, sym, bin, acc] = params(call);
      s[ACC].fill(0);
      call.k.weight_pass(ptr(w), ptr(dy), 0, rows, cols, scale, step, thr, sym, bin, acc, 1);
      for (let j = 0; j < cols; j++) out[k * cols + j] = s[SCALE][j] * s[ACC][j];
    });
  },
};

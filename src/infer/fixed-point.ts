/**
 * Exact integer dot products of activation codes with weight codes when every input neuron
 * has its own activation step.
 *
 * A hidden neuron i sends the integer code q_i in [0, 2^b_i - 1]; its value is q_i * step_i
 * with step_i = alpha_i / (2^b_i - 1) in float32, so each neuron has its own step and the
 * codes of one layer are not on one grid. But a float32 step is a dyadic rational,
 * m_i * 2^e_i with an integer m_i, so with k = max(-e_i) every step is the integer
 * n_i = m_i * 2^(e_i + k) times 2^-k. Then
 *
 *   sum_i (q_i step_i) (c_ij scale_j) = scale_j * 2^-k * sum_i (n_i q_i) c_ij
 *
 * and the sum is an integer: one multiply of each code by its neuron's multiplier n_i, integer
 * multiply-accumulate, and one rescale per output neuron (scale_j * 2^-k), where the format's
 * per-neuron scales require it.
 *
 * Overflow: |sum| <= B = max_j sum_i n_i (2^b_i - 1) |c_ij|. With B <= 2^53 every partial sum
 * is an integer that a double holds exactly, so plain Numbers are exact (the usual case:
 * n_i is at most 2^24 times the spread of the steps). Otherwise the layer accumulates in
 * BigInt, which cannot overflow, at a cost in speed. B is computed from the layer's codes
 * themselves, so it holds for either weight family (mid-rise's odd codes reach 2^b - 1 at b
 * bits, about twice symmetric-max's 2^(b-1) - 1).
 */

/** x = mantissa * 2^exponent with an integer mantissa; exact for any finite float (doubling is exact). */
function dyadic(x: number): { mantissa: number; exponent: number } {
  if (!Number.isFinite(x)) throw new Error(`activation step ${x} is not a finite number`);
  let mantissa = x;
  let exponent = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    exponent--;
  }
  return { mantissa, exponent };
}

export interface FixedPointPlan {
  /** k: the common grid is 2^-k. */
  shift: number;
  /** n_i per input neuron, as Numbers when the layer's sums stay below 2^53, else null. */
  multipliers: Float64Array | null;
  /** n_i and the weight codes as BigInt, for layers whose sums may pass 2^53; null otherwise. */
  big: { multipliers: bigint[]; codes: bigint[] } | null;
}

/** The common grid of a layer's inputs (steps and widths per input) and whether Numbers suffice for codes[j * fanIn + i]. */
export function planFixedPoint(steps: Float32Array, widths: readonly number[], codes: Int32Array, fanOut: number): FixedPointPlan {
  const parts = Array.from(steps, dyadic);
  const shift = Math.max(0, ...parts.map((p) => -p.exponent));
  const big = parts.map((p) => BigInt(p.mantissa) << BigInt(p.exponent + shift));
  const fanIn = steps.length;
  let bound = 0;
  for (let j = 0; j < fanOut; j++) {
    let sum = 0;
    for (let i = 0; i < fanIn; i++) sum += Number(big[i]) * (2 ** widths[i] - 1) * Math.abs(codes[j * fanIn + i]);
    bound = Math.max(bound, sum);
  }
  // The bound is itself computed in doubles; a margin of one binary order covers its rounding.
  const exact = bound <= 2 ** 52;
  return exact
    ? { shift, multipliers: Float64Array.from(big, Number), big: null }
    : { shift, multipliers: null, big: { multipliers: big, codes: Array.from(codes, BigInt) } };
}

/** sum_i (n_i q_i) c_ij * 2^-k for every output neuron j: the exact integer sum, scaled once. */
export function fixedPointDots(plan: FixedPointPlan, q: Int32Array, codes: Int32Array, fanOut: number): Float64Array {
  const fanIn = q.length;
  const out = new Float64Array(fanOut);
  const unit = 2 ** -plan.shift;
  if (plan.multipliers) {
    const a = Float64Array.from(q, (v, i) => v * plan.multipliers![i]);
    for (let j = 0; j < fanOut; j++) {
      let acc = 0;
      for (let i = 0; i < fanIn; i++) acc += a[i] * codes[j * fanIn + i];
      out[j] = acc * unit;
    }
  } else {
    const { multipliers, codes: bigCodes } = plan.big!;
    const a = Array.from(q, (v, i) => BigInt(v) * multipliers[i]);
    for (let j = 0; j < fanOut; j++) {
      let acc = 0n;
      for (let i = 0; i < fanIn; i++) acc += a[i] * bigCodes[j * fanIn + i];
      out[j] = Number(acc) * unit;
    }
  }
  return out;
}

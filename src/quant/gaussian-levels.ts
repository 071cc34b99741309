/**
 * Outer level (k + 1/2) * step, for the largest code k = 2^(b-1) - 1, of the uniform mid-rise
 * quantizer with 2^b levels whose step minimises the mean squared error on a unit Gaussian
 * (Max 1960, "Quantizing for minimum distortion", Table II for b <= 5). Index b = 1..16.
 * The mid-rise weight quantizer starts its least-squares step search here:
 * step_0 = level * rms(w) / (2^(b-1) - 1/2). Computed once by golden-section search over the
 * exact Gaussian distortion; tests/quant/gaussian-levels.test.ts recomputes them.
 */
export const GAUSSIAN_OUTER_LEVEL: readonly number[] = [
  Number.NaN,
  0.7979,
  1.4935,
  2.0511,
  2.514,
  2.9162,
  3.278,
  3.6111,
  3.9222,
  4.2155,
  4.4937,
  4.7591,
  5.0132,
  5.257,
  5.4918,
  5.7189,
  5.9384,
];

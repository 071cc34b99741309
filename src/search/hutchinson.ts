import type { Rng } from '../rng.js';

export interface HutchinsonOptions {
  /** Stop when the running mean moves by less than tol x |running mean|. */
  tol: number;
  /** Draws never exceed this. */
  maxIter: number;
  /** Draws always reach this (one draw cannot show convergence). */
  minIter: number;
}

export interface HutchinsonResult {
  /** Estimate of Tr(H). */
  trace: number;
  iterations: number;
}

/**
 * The stopping rule. |mean| in the bound: with a signed bound a negative running mean could
 * never stop (or, written as a signed ratio, would stop at once); either way the absolute value.
 */
export function runningMeanSettled(previous: number, current: number, tol: number): boolean {
  return Math.abs(current - previous) < tol * Math.abs(current);
}

export function rademacher(size: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: size }, () => (rng() < 0.5 ? -1 : 1));
}

/**
 * Hutchinson's estimator Tr(H) = E[v^T H v] over Rademacher v, where `quadratic(v)` returns
 * v^T H v (from a Hessian-vector product). The running mean of the draws is the estimate.
 */
export function hutchinsonTrace(quadratic: (v: Float32Array) => number, size: number, opts: HutchinsonOptions, rng: Rng): HutchinsonResult {
  let mean = 0;
  for (let i = 1; i <= opts.maxIter; i++) {
    const previous = mean;
    mean += (quadratic(rademacher(size, rng)) - mean) / i;
    if (i >= opts.minIter && runningMeanSettled(previous, mean, opts.tol)) return { trace: mean, iterations: i };
  }
  return { trace: mean, iterations: opts.maxIter };
}

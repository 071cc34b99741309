/** Mean, sample standard deviation and Student-t 95% confidence interval over seeds. */
import * as ss from 'simple-statistics';

export interface Description {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null when n < 2. */
  std: number | null;
  /** Half-width of the 95% confidence interval of the mean, t_{0.975, n−1} · std / √n; null when n < 2. */
  ci95: number | null;
}

export function describe(values: readonly number[]): Description {
  const n = values.length;
  if (n === 0) return { n, mean: null, std: null, ci95: null };
  const mean = ss.mean([...values]);
  if (n === 1) return { n, mean, std: null, ci95: null };
  const std = ss.sampleStandardDeviation([...values]);
  return { n, mean, std, ci95: (studentTQuantile(0.975, n - 1) * std) / Math.sqrt(n) };
}

/**
 * Quantile of Student's t distribution with df degrees of freedom, found by bisection on the
 * upper-tail probability P(T > t) = ½ · I_{df/(df+t²)}(df/2, ½) (regularised incomplete beta).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0 && Number.isFinite(df))) {
    throw new RangeError(`studentTQuantile: need 0 < p < 1 and finite df > 0, got p=${p}, df=${df}`);
  }
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tail = 1 - p;
  const upperTail = (t: number) => 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  let lo = 0;
  let hi = 1;
  while (upperTail(hi) > tail) [lo, hi] = [hi, hi * 2];
  // upperTail decreases in t; stop when the bracket no longer shrinks in floating point.
  for (let mid = (lo + hi) / 2; mid > lo && mid < hi; mid = (lo + hi) / 2) {
    if (upperTail(mid) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** I_x(a, b), via the continued fraction on whichever side of the mean converges fast (Numerical Recipes §6.4). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = ss.gammaln(a + b) - ss.gammaln(a) - ss.gammaln(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Modified Lentz evaluation of the incomplete-beta continued fraction; needs O(√max(a, b)) terms. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const nonZero = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / nonZero(1 - ((a + b) * x) / (a + 1));
  let fraction = d;
  for (let m = 1; m <= 100_000; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    fraction *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < 1e-15) return fraction;
  }
  throw new Error(`incomplete beta continued fraction did not converge (x=${x}, a=${a}, b=${b})`);
}

export interface PairedTest {
  n: number;
  meanDiff: number | null;
  /** Two-sided p-value of Student's paired t-test; null when n < 2 or the differences do not vary. */
  p: number | null;
}

/** Paired t-test on per-seed differences: t = mean / (std / √n), df = n − 1, p = I_{df/(df+t²)}(df/2, ½). */
export function pairedTTest(differences: readonly number[]): PairedTest {
  const { n, mean, std } = describe(differences);
  if (n < 2 || mean === null || std === null || std === 0) return { n, meanDiff: mean, p: null };
  const t = mean / (std / Math.sqrt(n));
  const df = n - 1;
  return { n, meanDiff: mean, p: regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5) };
}

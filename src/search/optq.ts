/**
 * OPTQ/GPTQ (Frantar et al., ICLR 2023) on plain float64 arrays, for the small kernels here
 * (fan-in up to a few hundred): no tfjs, so the linear algebra is exact enough to test against
 * direct computations. Matrices are row-major; a kernel is [rows, cols] = [fanIn, fanOut] as
 * tfjs stores it, so a "row" W[i, :] holds every weight reading input channel i.
 */

/** The lower-triangular L with A = L L^T of a symmetric positive-definite [n, n] matrix; throws if A is not. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
    if (!(d > 0)) throw new Error(`matrix is not positive definite (pivot ${j}: ${d})`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** A^{-1} of a symmetric positive-definite matrix: L^{-T} L^{-1} from its Cholesky factor. */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  // Columns of L^{-1} by forward substitution; L^{-1} is lower triangular.
  const li = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= l[i * n + k] * li[k * n + c];
      li[i * n + c] = s / l[i * n + i];
    }
  }
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k * n + i] * li[k * n + j];
      inverse[i * n + j] = s;
      inverse[j * n + i] = s;
    }
  }
  return inverse;
}

/** The upper-triangular U with A = U^T U: the transpose of A's Cholesky factor. */
export function upperCholesky(a: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) u[i * n + j] = l[j * n + i];
  return u;
}

/** P A P^T: rows and columns of a symmetric [n, n] matrix taken in `order`. */
export function permuteSymmetric(a: Float64Array, n: number, order: readonly number[]): Float64Array {
  const out = new Float64Array(n * n);
  order.forEach((oi, i) => order.forEach((oj, j) => (out[i * n + j] = a[oi * n + oj])));
  return out;
}

/**
 * The layer-output Hessian H = 2 X^T X / n from the input Gram matrix G = X^T X / n, made
 * invertible as GPTQ does: an input never seen non-zero (H_ii = 0) gets H_ii = 1, and every
 * diagonal entry gains `percdamp` times the mean diagonal.
 */
export function dampedHessian(gram: Float64Array, n: number, percdamp: number): Float64Array {
  const h = gram.map((g) => 2 * g);
  for (let i = 0; i < n; i++) if (h[i * n + i] === 0) h[i * n + i] = 1;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += h[i * n + i] / n;
  for (let i = 0; i < n; i++) h[i * n + i] += percdamp * mean;
  return h;
}

/** Rounds one weight of output column `col` to that column's grid. */
export type ColumnQuantizer = (value: number, col: number) => number;

/**
 * GPTQ over the rows of a kernel w [rows, cols] in `order`: the first `quantizedRows` rows of
 * that order are rounded one by one, and each row's rounding error is spread over the rows
 * after it in the order (the quantized ones to come and every row left unquantized) through
 * the upper Cholesky factor U of H^{-1}, H taken in the same order:
 * W[k, :] -= U[t, k] (W[t, :] - Q[t, :]) / U[t, t] for every later position k.
 * Output columns are independent: each sees the same H. Returns the kernel in the original
 * row layout: the quantized rows at their grid values, the others compensated but unrounded
 * (OWQ keeps those, its weak rows, at high precision).
 */
export function optq(
  w: Float64Array,
  rows: number,
  cols: number,
  hessian: Float64Array,
  order: readonly number[],
  quantizedRows: number,
  quantize: ColumnQuantizer,
): Float64Array {
  if (order.length !== rows) throw new Error(`optq: order has ${order.length} rows for a kernel of ${rows}`);
  const u = upperCholesky(spdInverse(permuteSymmetric(hessian, rows, order), rows), rows);
  const out = Float64Array.from(w);
  const error = new Float64Array(cols);
  for (let t = 0; t < quantizedRows; t++) {
    const row = order[t];
    const d = u[t * rows + t];
    for (let j = 0; j < cols; j++) {
      const value = out[row * cols + j];
      const q = quantize(value, j);
      out[row * cols + j] = q;
      error[j] = (value - q) / d;
    }
    for (let k = t + 1; k < rows; k++) {
      const coupling = u[t * rows + k];
      if (coupling === 0) continue;
      const target = order[k] * cols;
      for (let j = 0; j < cols; j++) out[target + j] -= coupling * error[j];
    }
  }
  return out;
}

/**
 * tr(D^T G D) for D = a - b [rows, cols] and G = X^T X / n: the mean over the n calibration rows
 * of ||x a - x b||^2, the squared output error per row that GPTQ minimises.
 */
export function outputError(gram: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, rows: number, cols: number): number {
  const d = Float64Array.from({ length: rows * cols }, (_, i) => a[i] - b[i]);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < rows; k++) {
      const g = gram[i * rows + k];
      if (g === 0) continue;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += d[i * cols + j] * d[k * cols + j];
      total += g * dot;
    }
  }
  return total;
}

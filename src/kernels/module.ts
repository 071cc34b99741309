import { readFileSync } from 'node:fs';

export const KERNELS_WASM = new URL('./kernels.wasm', import.meta.url);

/** The exports of kernels.wat; every pointer is a byte offset into the memory the instance imports. */
export interface KernelExports {
  transpose(x: number, out: number, rows: number, cols: number): void;
  bias_grad(dy: number, y: number, dz: number, rows: number, cols: number, out: number, relu: number): void;
  column_stats(w: number, rows: number, cols: number, sum: number, max: number, squares: number): void;
  mid_rise_sums(w: number, x: number, rows: number, cols: number, step: number, lo: number, hi: number, num: number, den: number): void;
  weight_pass(
    w: number,
    dy: number,
    out: number,
    rows: number,
    cols: number,
    scale: number,
    step: number,
    thr: number,
    sym: number,
    mid: number,
    lo: number,
    hi: number,
    acc: number,
    products: number,
  ): void;
  activation_pass(
    a: number,
    dy: number,
    out: number,
    rows: number,
    cols: number,
    alpha: number,
    step: number,
    acc: number,
    products: number,
    signed: number,
  ): void;
  activation_grads(a: number, dy: number, da: number, rows: number, cols: number, alpha: number, dalpha: number, signed: number): void;
  attention_forward(
    q: number,
    k: number,
    v: number,
    out: number,
    p: number,
    samples: number,
    tokens: number,
    heads: number,
    dh: number,
    scale: number,
    kt: number,
    vp: number,
    op: number,
  ): void;
  attention_backward(
    q: number,
    k: number,
    v: number,
    p: number,
    dout: number,
    dq: number,
    dk: number,
    dv: number,
    samples: number,
    tokens: number,
    heads: number,
    dh: number,
    scale: number,
    xt: number,
    xp: number,
    ds: number,
    cp: number,
  ): void;
  weight_grad(x: number, dz: number, dw: number, rows: number, inCols: number, outCols: number): void;
  layer_norm(x: number, gamma: number, beta: number, y: number, mean: number, sd: number, rows: number, cols: number, eps: number): void;
  layer_norm_grad(x: number, gamma: number, mean: number, sd: number, dy: number, dx: number, dgamma: number, dbeta: number, rows: number, cols: number): void;
}

let compiled: WebAssembly.Module | null = null;
const instances = new WeakMap<WebAssembly.Memory, KernelExports>();

/** The kernels working on `memory` (one instance per memory, compiled once per process). */
export function kernelsFor(memory: WebAssembly.Memory): KernelExports {
  let k = instances.get(memory);
  if (!k) {
    compiled ??= new WebAssembly.Module(readFileSync(KERNELS_WASM));
    k = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as KernelExports;
    instances.set(memory, k);
  }
  return k;
}

import * as tf from '@tensorflow/tfjs';
import { type KernelExports, kernelsFor } from './module.js';

/**
 * Custom tfjs kernels whose work is done by the WebAssembly SIMD module (kernels.wat),
 * registered on the two backends whose data it can reach: wasm (the module imports the
 * backend's own heap, so tensors are used in place) and cpu (inputs are copied into a memory
 * of our own). Other backends (tfjs-node, GPU) keep the op-by-op path, which their native ops
 * run well.
 */
export const FUSED_BACKENDS = ['wasm', 'cpu'] as const;

type Attrs = Record<string, unknown>;

/** What a kernel body works with: arrays in the module's memory (pointer = byteOffset). */
export interface KernelCall {
  k: KernelExports;
  inputs: Float32Array[];
  /** Not cleared: a body that accumulates into an output zeroes it first. */
  outputs: Float32Array[];
  /** Zero-filled work arrays, as many and as long as `scratch` asked for. */
  scratch: Float32Array[];
  shapes: number[][];
  attrs: Attrs;
}

export interface FusedKernel {
  name: string;
  /** Input names, in the order the body receives them. */
  inputs: string[];
  outputShapes(shapes: number[][], attrs: Attrs): number[][];
  /** Lengths (float32 elements) of the work arrays the body needs. */
  scratch(shapes: number[][], attrs: Attrs): number[];
  body(call: KernelCall): void;
}

/** The members of the wasm backend this adapter uses (structural: no backend package is imported). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
}
interface CpuBackend {
  readSync(dataId: tf.DataId): Float32Array;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

const size = (shape: number[]) => tf.util.sizeFromShape(shape);

function runOnWasm(
  backend: WasmBackend,
  kernel: FusedKernel,
  inputs: tf.TensorInfo[],
  call: Omit<KernelCall, 'k' | 'inputs' | 'outputs' | 'scratch'>,
): tf.TensorInfo[] {
  const memory = backend.wasm.asm.memory;
  // Allocate everything before taking any view: growing the heap detaches earlier views.
  const outputs = kernel.outputShapes(call.shapes, call.attrs).map((s) => backend.makeOutput(s, 'float32'));
  const lengths = kernel.scratch(call.shapes, call.attrs);
  const pointers = lengths.map((n) => backend.wasm._malloc(4 * n));
  try {
    const outViews = outputs.map((o) => backend.typedArrayFromHeap(o));
    const scratch = pointers.map((p, i) => new Float32Array(memory.buffer, p, lengths[i]).fill(0));
    kernel.body({ ...call, k: kernelsFor(memory), inputs: inputs.map((t) => backend.typedArrayFromHeap(t)), outputs: outViews, scratch });
  } finally {
    pointers.forEach((p) => backend.wasm._free(p));
  }
  return outputs;
}

/** The cpu backend's own kernel memory, grown as needed and reused by every call. */
let cpuMemory: WebAssembly.Memory | null = null;

function runOnCpu(
  backend: CpuBackend,
  kernel: FusedKernel,
  inputs: tf.TensorInfo[],
  call: Omit<KernelCall, 'k' | 'inputs' | 'outputs' | 'scratch'>,
): tf.TensorInfo[] {
  const outShapes = kernel.outputShapes(call.shapes, call.attrs);
  const lengths = [...call.shapes.map(size), ...outShapes.map(size), ...kernel.scratch(call.shapes, call.attrs)];
  const offsets: number[] = [];
  let bytes = 0;
  for (const n of lengths) {
    offsets.push(bytes);
    bytes += Math.ceil(n / 4) * 16; // 16-byte aligned arrays
  }
  cpuMemory ??= new WebAssembly.Memory({ initial: 1 });
  const missing = bytes - cpuMemory.buffer.byteLength;
  if (missing > 0) cpuMemory.grow(Math.ceil(missing / 65536));
  const views = lengths.map((n, i) => new Float32Array(cpuMemory!.buffer, offsets[i], n));
  const ins = views.slice(0, inputs.length);
  const outs = views.slice(inputs.length, inputs.length + outShapes.length);
  ins.forEach((v, i) => v.set(backend.readSync(inputs[i].dataId)));
  const scratch = views.slice(inputs.length + outShapes.length).map((v) => v.fill(0));
  kernel.body({ ...call, k: kernelsFor(cpuMemory), inputs: ins, outputs: outs, scratch });
  return outs.map((v, i) => backend.makeTensorInfo(outShapes[i], 'float32', v.slice()));
}

export function registerFusedKernel(kernel: FusedKernel): void {
  for (const backendName of FUSED_BACKENDS) {
    if (tf.getKernel(kernel.name, backendName)) continue; // this module was loaded twice (test workers)
    tf.registerKernel({
      kernelName: kernel.name,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const ins = kernel.inputs.map((n) => inputs[n] as tf.TensorInfo);
        const bad = ins.find((t) => t.dtype !== 'float32');
        if (bad) throw new Error(`${kernel.name}: float32 inputs only, got ${bad.dtype}`);
        const call = { shapes: ins.map((t) => t.shape), attrs: (attrs ?? {}) as Attrs };
        return backendName === 'wasm'
          ? runOnWasm(backend as unknown as WasmBackend, kernel, ins, call)
          : runOnCpu(backend as unknown as CpuBackend, kernel, ins, call);
      },
    });
  }
}

/** Whether the active backend has the kernel (else callers use their op-by-op path). */
export const hasFusedKernel = (kernel: FusedKernel): boolean => tf.getKernel(kernel.name, tf.getBackend()) !== undefined;

export function runFusedKernel(kernel: FusedKernel, inputs: tf.Tensor[], attrs: Attrs = {}): tf.Tensor[] {
  const named = Object.fromEntries(kernel.inputs.map((n, i) => [n, inputs[i]]));
  const out = tf.engine().runKernel(kernel.name, named, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
}

/** A pointer argument: where the array starts in the module's memory. */
export const ptr = (a: ArrayBufferView): number => a.byteOffset;

import wabt from 'wabt';

/**
 * The kernel module's source and binary. The binary is committed so that running needs no
 * compiler; wabt (a dev dependency) rebuilds it, and a test checks the two still match.
 */
export const KERNELS_WAT = new URL('./kernels.wat', import.meta.url);
export { KERNELS_WASM } from './module.js';

export async function compileKernels(source: string): Promise<Uint8Array> {
  const module = (await wabt()).parseWat('kernels.wat', source, { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels, KERNELS_WASM, KERNELS_WAT } from '../../src/kernels/compile.js';

describe('kernel module', () => {
  it('the committed kernels.wasm is the compiled kernels.wat (run npm run build:kernels after editing it)', async () => {
    const built = await compileKernels(readFileSync(KERNELS_WAT, 'utf8'));
    expect(Buffer.from(built).equals(readFileSync(KERNELS_WASM))).toBe(true);
  });
});

/** npm run build:kernels: compiles src/kernels/kernels.wat to the committed src/kernels/kernels.wasm. */
import { readFileSync, writeFileSync } from 'node:fs';
import { compileKernels, KERNELS_WASM, KERNELS_WAT } from '../src/kernels/compile.js';

writeFileSync(KERNELS_WASM, await compileKernels(readFileSync(KERNELS_WAT, 'utf8')));
process.stdout.write(`wrote ${KERNELS_WASM.pathname}\n`);

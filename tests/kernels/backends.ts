import { afterAll, beforeAll } from 'vitest';
import { type BackendChoice, initBackend } from '../../src/backend.js';
import { FUSED_BACKENDS } from '../../src/kernels/fused-kernel.js';

/** The backends the fused kernels are registered on; tests run once on each. */
export const KERNEL_BACKENDS = [...FUSED_BACKENDS];

/** Switches to `backend` for the enclosing describe block, and back to the suite's cpu backend after it. */
export function useBackend(backend: BackendChoice): void {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(async () => {
    await initBackend('cpu');
  });
}

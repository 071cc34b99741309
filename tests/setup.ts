import { beforeAll } from 'vitest';
import '../baselines/index.js';
import { initBackend } from '../src/backend.js';

// Unit tests use the pure-JS backend: exact, everywhere available, fast enough for tiny tensors.
beforeAll(async () => {
  await initBackend('cpu');
});

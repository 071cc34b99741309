import { beforeAll } from 'vitest';
import { loadCatalog } from '../bin/catalog.js';
import { initBackend } from '../src/backend.js';

// Tests are an entry point: the built-in strategies and suites, as the command line has them.
await loadCatalog();

// Unit tests use the pure-JS backend: exact, everywhere available, fast enough for tiny tensors.
beforeAll(async () => {
  await initBackend('cpu');
});

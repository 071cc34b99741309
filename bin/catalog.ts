/**
 * What this build ships: the strategies of baselines/ and the suites of suites/. The one module
 * that imports the plug-in folders; only entry points (bin/qatbench.ts, bin/worker.ts,
 * scripts/bench.ts, tests/setup.ts) load it, so the core in src/ never names a plug-in.
 */
import { fileURLToPath } from 'node:url';
import { STRATEGIES } from '../baselines/index.js';
import { registerSuite } from '../src/run/registry.js';
import { registerStrategy } from '../src/strategy/registry.js';
import { SUITES } from '../suites/index.js';

let loaded = false;

/** Registers the built-in strategies and suites (once per process). */
export function loadCatalog(): void {
  if (loaded) return;
  loaded = true;
  for (const strategy of STRATEGIES) registerStrategy(strategy);
  for (const suite of SUITES) registerSuite(suite);
}

/** The worker process script of `--jobs N`: loads this catalog, then serves runs. */
export const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

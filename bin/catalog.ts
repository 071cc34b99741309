/**
 * What this build ships: the strategies of baselines/, the dataset definitions of data/ and the suites of
 * suites/. The one module that reads the plug-in folders; only entry points (bin/qatbench.ts,
 * bin/worker.ts, scripts/bench.ts, tests/setup.ts) load it, so the core in src/ never names a plug-in.
 */
import { fileURLToPath } from 'node:url';
import { STRATEGIES } from '../baselines/index.js';
import { readDatasetFolder } from '../src/data/definition-file.js';
import { registerDataset } from '../src/data/registry.js';
import { registerSuite } from '../src/run/registry.js';
import { readSuiteFolder } from '../src/run/suite-file.js';
import { registerStrategy } from '../src/strategy/registry.js';

const folder = (name: string) => fileURLToPath(new URL(`../${name}/`, import.meta.url));

let loading: Promise<void> | null = null;

/** Registers the built-in strategies, every dataset definition in data/ and every suite in suites/ (once per process). */
export function loadCatalog(): Promise<void> {
  loading ??= (async () => {
    for (const strategy of STRATEGIES) registerStrategy(strategy);
    for (const dataset of readDatasetFolder(folder('data'))) registerDataset(dataset);
    for (const suite of await readSuiteFolder(folder('suites'))) registerSuite(suite);
  })();
  return loading;
}

/** The worker process script of `--jobs N`: loads this catalog, then serves runs. */
export const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

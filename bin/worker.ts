/** The worker process of `--jobs N`: the catalog's strategies and suites, then jobs from the parent (src/run/worker.ts). */
import { serveJobs } from '../src/run/worker.js';
import { loadCatalog } from './catalog.js';

await loadCatalog();
await serveJobs();

/** The qatbench command (npm run suite, report, merge, export, predict, list): the catalog, then the command line (src/cli/). */
import { hideBin } from 'yargs/helpers';
import { runCli } from '../src/cli/commands.js';
import { loadCatalog, WORKER_ENTRY } from './catalog.js';

await loadCatalog();
process.exitCode = await runCli(hideBin(process.argv), { workerEntry: WORKER_ENTRY });

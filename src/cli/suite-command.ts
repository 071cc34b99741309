import { BACKEND_CHOICES, type BackendChoice, initBackend } from '../backend.js';
import { readDatasetPath } from '../data/definition-file.js';
import { registerDataset } from '../data/registry.js';
import { UsageError } from '../errors.js';
import { checkResultsDir } from '../results/results-dir.js';
import { renderSummaryConsole } from '../report/markdown.js';
import { buildMatrix, shardMatrix } from '../run/matrix.js';
import { getProfile } from '../run/profiles.js';
import { getSuite, orderOf, registerSuite, suiteNames } from '../run/registry.js';
import { readSuiteFile } from '../run/suite-file.js';
import type { SuiteDefinition } from '../run/types.js';
import { runSuite } from '../run/runner.js';
import type { CliOutput } from './output.js';
import { flagWarnings } from './flag-effects.js';
import {
  parseBudgetFlag,
  parseInit,
  parseList,
  parseMaxRows,
  parseMetric,
  parseMomentum,
  parsePositiveInt,
  parsePositiveNumber,
  parsePretrain,
  parseSeeds,
  parseShard,
} from './parse.js';

export interface SuiteArgs {
  name?: string;
  'suite-file'?: string;
  dataset?: string[];
  metric?: string;
  profile: string;
  seeds?: string;
  datasets?: string;
  strategies?: string;
  models?: string;
  epochs?: number;
  patience?: number;
  'batch-size'?: number;
  lr?: number;
  momentum?: number;
  'max-rows'?: string;
  backend: string;
  out?: string;
  resume: boolean;
  budget?: string;
  init?: string;
  pretrain?: string;
  'cache-dir': string;
  jobs: number;
  shard?: string;
  'allow-failures': boolean;
}

/** The processes that run the plug-ins: set by the entry point (bin/qatbench.ts), which loaded the catalog. */
export interface CliEntry {
  /** The worker process script of --jobs N (bin/worker.ts). */
  workerEntry: string;
}

/** `qatbench suite <name>`: the run matrix from the suite, profile and flags, run and summarised. */
export async function suiteCommand(args: SuiteArgs, entry: CliEntry, output: CliOutput): Promise<void> {
  const { log } = output;
  for (const path of args.dataset ?? []) for (const def of readDatasetPath(path)) registerDataset(def);
  const suite = await chosenSuite(args);
  const profile = getProfile(args.profile);
  if (!BACKEND_CHOICES.includes(args.backend as BackendChoice)) throw new UsageError(`unknown backend "${args.backend}"; valid: ${BACKEND_CHOICES.join(', ')}`);
  const shard = parseShard(args.shard);
  const jobs = parsePositiveInt('jobs', args.jobs)!;
  const matrix = buildMatrix(suite, profile, {
    datasets: parseList('datasets', args.datasets),
    strategies: parseList('strategies', args.strategies),
    models: parseList('models', args.models),
    metric: parseMetric(args.metric),
    seeds: parseSeeds(args.seeds),
    training: {
      epochs: parsePositiveInt('epochs', args.epochs),
      patience: parsePositiveInt('patience', args.patience),
      batchSize: parsePositiveInt('batch-size', args['batch-size']),
      learningRate: parsePositiveNumber('lr', args.lr),
      momentum: parseMomentum(args.momentum),
    },
    maxRows: parseMaxRows(args['max-rows']),
    budget: parseBudgetFlag(args.budget),
    init: parseInit(args.init),
    pretrain: parsePretrain(args.pretrain),
  });
  const specs = shard ? shardMatrix(matrix, shard.index, shard.count) : matrix;
  for (const warning of flagWarnings(args, matrix)) output.error(`qatbench: warning: ${warning}`);
  // A matrix beyond the suite's carries its own suite label (matrix.ts), so it never lands in the suite's committed directory.
  const label = matrix[0]?.suite ?? suite.name;
  const out = args.out ?? `results/${label}`;
  checkResultsDir(out);
  const backend = await initBackend(args.backend as BackendChoice);
  const slice = shard ? ` (shard ${shard.index}/${shard.count} of ${matrix.length})` : '';
  log(`qatbench: suite ${label}, profile ${profile.name}, ${specs.length} runs${slice}, backend ${backend}, ${jobs} job(s), results in ${out}`);
  const started = performance.now();
  const outcome = await runSuite(specs, {
    workerEntry: entry.workerEntry,
    out,
    resume: args.resume,
    backend,
    cacheDir: args['cache-dir'],
    jobs,
    reference: suite.reference,
    claims: suite.claims,
    order: orderOf(suite),
    log,
    stream: process.stderr,
  });
  log(`\n${renderSummaryConsole(outcome.report.summary)}`);
  log(`wall-clock ${((performance.now() - started) / 1000).toFixed(0)} s; ${outcome.ran} run(s) done, tables in ${out}, report in ${outcome.report.htmlPath}`);
  if (outcome.failures.length > 0) {
    log(`\n${outcome.failures.length} run(s) did not finish ok:`);
    for (const run of outcome.failures) log(`  ${run.run_id}: ${run.status}: ${run.error ?? 'no error recorded'}`);
    if (!args['allow-failures'])
      throw new Error(`${outcome.failures.length} of ${outcome.ran} run(s) failed or diverged (listed above); --allow-failures accepts them`);
  }
  if (outcome.unloadable.size) throw new Error(`${outcome.unloadable.size} dataset(s) could not be loaded: ${[...outcome.unloadable.keys()].join(', ')}`);
}

/** The suite named, or the one a --suite-file exports (registered, so that report and merge find its reference, claims and order). */
async function chosenSuite(args: SuiteArgs): Promise<SuiteDefinition> {
  if (args['suite-file'] === undefined) {
    if (args.name === undefined) throw new UsageError('name a suite or give --suite-file');
    return getSuite(args.name);
  }
  if (args.name !== undefined) throw new UsageError(`name a suite ("${args.name}") or give --suite-file, not both`);
  const suite = await readSuiteFile(args['suite-file']);
  // suites/ is read at start-up: a file from there is the same module, hence the same object.
  if (!suiteNames().includes(suite.name)) registerSuite(suite);
  else if (getSuite(suite.name) !== suite) throw new UsageError(`${args['suite-file']}: a suite named "${suite.name}" is already registered; rename it`);
  return suite;
}

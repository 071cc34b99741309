import { availableParallelism, constants } from 'node:os';
import yargs, { type Argv } from 'yargs';
import { BACKEND_CHOICES } from '../backend.js';
import { Interrupted, UsageError } from '../errors.js';
import { METRIC_NAMES } from '../metrics/task-metrics.js';
import { checkMergeSources, mergeResults } from '../results/merge.js';
import { holdResultsDir } from '../results/results-dir.js';
import { ResultStore } from '../results/store.js';
import { reportRuns, writeReport } from '../report/write.js';
import { renderSummaryConsole } from '../report/markdown.js';
import { DEFAULT_PROFILE } from '../run/profiles.js';
import { suiteClaims, suiteNames, suiteOrder, suiteReference } from '../run/registry.js';
import { listing, LIST_TOPICS } from './list.js';
import { type CliOutput, processOutput } from './output.js';
import { exportCommand, predictCommand } from './model-commands.js';
import { type ReproduceArgs, reproduceCommand } from './reproduce-command.js';
import { type CliEntry, type SuiteArgs, suiteCommand } from './suite-command.js';

/** Flags that take a comma-separated list: given twice, their lists are joined. Any other flag given twice is an error. */
const LIST_FLAGS = new Set(['datasets', 'strategies', 'models', 'seeds']);
/** Arguments that are arrays by declaration: the positionals, merge's directories and the repeatable --dataset. */
const ARRAYS = new Set(['_', 'dirs', 'dataset']);

function joinRepeatedFlags(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    // yargs keeps both spellings of a dashed flag (batch-size, batchSize); the dashed one is checked.
    if (!Array.isArray(value) || ARRAYS.has(key) || /[A-Z]/.test(key)) continue;
    if (!LIST_FLAGS.has(key)) throw new UsageError(`--${key} was given ${value.length} times (${value.join(', ')}); give it once`);
    argv[key] = value.join(',');
  }
}

/** The flags of `suite`, which `reproduce` takes too (a rerun is the same command line). */
const suiteOptions = (y: Argv) =>
  y
    .positional('name', { type: 'string', describe: `suite: ${suiteNames().join(', ')} (or --suite-file)` })
    .option('suite-file', { type: 'string', describe: 'a suite module (export default { name, datasets, models, strategies, ... })' })
    .option('dataset', {
      type: 'string',
      array: true,
      describe: 'a dataset definition file, or a folder of them (repeatable); name the datasets in the suite or --datasets',
    })
    .option('profile', { type: 'string', default: DEFAULT_PROFILE, describe: 'protocol: quick or paper' })
    .option('seeds', { type: 'string', describe: 'a count (3 -> seeds 1..3) or a list (1,5,9)' })
    .option('datasets', { type: 'string', describe: 'comma-separated dataset names' })
    .option('strategies', {
      type: 'string',
      describe: 'comma-separated strategy labels or names, each optionally with options: "nmp-qat:tau=0.1,uniform:weightBits=2"',
    })
    .option('metric', { type: 'string', describe: `headline and early-stopping metric where the task records it: ${METRIC_NAMES.join(', ')}` })
    .option('models', { type: 'string', describe: 'comma-separated model labels or names' })
    .option('epochs', { type: 'number', describe: 'override the profile epochs' })
    .option('patience', { type: 'number', describe: 'override the profile early-stopping patience (epochs)' })
    .option('batch-size', { type: 'number', describe: 'override the profile batch size' })
    .option('lr', { type: 'number', describe: "override the profile learning rate (the weights')" })
    .option('momentum', { type: 'number', describe: 'override the profile SGD momentum (0: plain SGD; ignored by Adam)' })
    .option('max-rows', { type: 'string', describe: 'cap rows per dataset (or "all")' })
    .option('backend', { type: 'string', default: 'auto', describe: `tfjs backend: ${BACKEND_CHOICES.join(', ')}` })
    .option('out', {
      type: 'string',
      describe: 'results directory (default results/<suite>; results/<suite>-custom-<hash> when the run adds datasets, models or strategies)',
    })
    .option('resume', { type: 'boolean', default: false, describe: 'skip runs already recorded with the same config and seed' })
    .option('budget', { type: 'string', describe: 'average weight bits for budgeted strategies, or match:<strategy>' })
    .option('init', { type: 'string', describe: 'scratch or pretrained (from the FP32 checkpoint); search strategies always start pretrained' })
    .option('pretrain', { type: 'string', describe: 'on (default) or off: off trains models that pretrain (tabformer) from scratch' })
    .option('cache-dir', {
      type: 'string',
      default: process.env.QATBENCH_CACHE_DIR ?? '.cache/qatbench',
      describe: 'cache of pretrained and FP32 checkpoints (content-addressed)',
    })
    .option('jobs', {
      type: 'number',
      default: availableParallelism(),
      describe: 'runs in parallel, each in its own worker process (default: the number of cores)',
    })
    .option('shard', { type: 'string', describe: 'run only slice i of n of the matrix: i/n, 0 <= i < n' })
    .option('allow-failures', { type: 'boolean', default: false, describe: 'exit 0 even when runs failed or diverged (they are listed at the end)' });

/** An explicit --reference must name a strategy the results hold: otherwise the paired comparison would silently vanish. */
function checkReference(dir: string, reference: string | undefined): void {
  const labels = [...new Set(reportRuns(dir).map((run) => run.strategy))];
  if (reference !== undefined && !labels.includes(reference)) throw new UsageError(`unknown reference "${reference}"; valid: ${labels.join(', ')}`);
}

/** The qatbench command line on `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: string[], entry: CliEntry, output: CliOutput = processOutput): Promise<number> {
  const { log } = output;
  let exitCode = 0;
  /** Usage errors: one line, exit 2. Anything else that escapes: one line, exit 1. */
  const fail = (err: unknown) => {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, '; ');
    output.error(`qatbench: ${message}`);
    exitCode = err instanceof UsageError ? 2 : err instanceof Interrupted ? 128 + constants.signals[err.signal] : 1;
  };
  try {
    await yargs(argv)
      .scriptName('qatbench')
      .command('suite [name]', 'run a benchmark suite and write Arrow result tables', suiteOptions, (args) => suiteCommand(args as SuiteArgs, entry, output))
      .command(
        'reproduce [name]',
        'rerun a committed suite into a new directory and compare every result column with the committed tables (timing, commit and date columns aside)',
        (y) => suiteOptions(y).option('results', { type: 'string', describe: 'the committed results directory (default results/<suite>)' }),
        (args) => reproduceCommand(args as ReproduceArgs, entry, output),
      )
      .command(
        'report <dir>',
        'rebuild summary.arrow, claims.arrow, README.md, tables.md, report.html and charts/ of a results directory',
        (y) =>
          y
            .positional('dir', { type: 'string', demandOption: true })
            .option('reference', { type: 'string', describe: "strategy every other is tested against (default: the suite's)" }),
        async (args) => {
          const dir = args.dir as string;
          checkReference(dir, args.reference);
          const release = holdResultsDir(dir, 'report');
          const report = await writeReport(dir, { reference: args.reference ?? suiteReference, claims: suiteClaims, order: suiteOrder }).finally(release);
          log(renderSummaryConsole(report.summary));
          log(
            `wrote ${[report.summaryPath, report.claimsPath, report.readmePath, report.tablesPath, report.htmlPath].filter((path) => path !== null).join(', ')} and ${report.charts.length} charts`,
          );
        },
      )
      .command(
        'merge <dirs..>',
        'combine result directories (e.g. shards) into one, each run once',
        (y) =>
          y
            .positional('dirs', { type: 'string', array: true, demandOption: true })
            .option('out', { type: 'string', demandOption: true, describe: 'the merged results directory' }),
        async (args) => {
          checkMergeSources(args.dirs as string[]);
          const release = holdResultsDir(args.out, 'merge');
          try {
            const merged = mergeResults(args.dirs as string[], args.out);
            const report = await writeReport(args.out, { reference: suiteReference, claims: suiteClaims, order: suiteOrder });
            log(renderSummaryConsole(report.summary));
            log(`merged ${merged.runs} run(s) (${merged.duplicates} duplicate(s) dropped) into ${args.out}`);
          } finally {
            release();
          }
        },
      )
      .command(
        'upgrade <dir>',
        "rewrite a results directory's tables in the current schema (columns added since as nulls, content checksums), then its report",
        (y) => y.positional('dir', { type: 'string', demandOption: true }),
        async (args) => {
          const dir = args.dir as string;
          reportRuns(dir);
          const release = holdResultsDir(dir, 'upgrade');
          try {
            new ResultStore(dir).rewrite();
            const report = await writeReport(dir, { reference: suiteReference, claims: suiteClaims, order: suiteOrder });
            log(`${dir}: runs.arrow, neurons.arrow and curves.arrow rewritten, ${report.summaryPath} and the report rebuilt`);
          } finally {
            release();
          }
        },
      )
      .command(
        'export <run>',
        "export a run's trained model as a discrete integer model, checked against the fake-quant model",
        (y) =>
          y
            .positional('run', { type: 'string', demandOption: true, describe: 'run id (the run_id column of runs.arrow)' })
            .option('out', { type: 'string', demandOption: true, describe: 'model.qnn.json or model.qnn.arrow' })
            .option('results', { type: 'string', describe: 'results directory of the run (default: the one under results/ that has it)' })
            .option('backend', { type: 'string', default: 'auto', describe: `tfjs backend for the check: ${BACKEND_CHOICES.join(', ')}` }),
        (args) => exportCommand(args as Parameters<typeof exportCommand>[0], log),
      )
      .command(
        'predict',
        'score a CSV of raw rows with an exported model',
        (y) =>
          y
            .option('model', { type: 'string', demandOption: true, describe: 'an exported model (.json or .arrow)' })
            .option('input', { type: 'string', demandOption: true, describe: 'CSV with a header and the raw feature columns' })
            .option('out', { type: 'string', describe: 'write the predictions here (default: standard output)' }),
        (args) => predictCommand(args as Parameters<typeof predictCommand>[0], log),
      )
      .command(
        'list [topic]',
        'list datasets, strategies, models, suites and profiles',
        (y) =>
          y
            .positional('topic', { type: 'string', describe: LIST_TOPICS.join(', ') })
            .option('profile', { type: 'string', default: DEFAULT_PROFILE, describe: 'the profile whose model options are shown' }),
        async (args) => {
          log(listing(args.topic, args.profile));
        },
      )
      .middleware((args) => joinRepeatedFlags(args), true)
      .demandCommand(1, 'name a command: suite, reproduce, report, merge, upgrade, export, predict or list')
      .strict()
      .fail((message, err) => {
        throw err ?? new UsageError(message);
      })
      .exitProcess(false)
      .help()
      .parseAsync();
  } catch (err) {
    fail(err);
  }
  return exitCode;
}

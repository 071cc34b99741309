/** `qatbench reproduce <suite>`: the suite rerun into a new directory, every result cell compared with the committed tables. */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { reportRuns } from '../report/write.js';
import { compareResults, type Difference } from '../results/compare.js';
import type { CliOutput } from './output.js';
import { type CliEntry, type SuiteArgs, suiteCommand } from './suite-command.js';

export interface ReproduceArgs extends SuiteArgs {
  results?: string;
}

/** Differences printed before "... and N more": enough to see a pattern, short enough for a CI log. */
const SHOWN = 60;

const cell = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));
const line = (d: Difference) => `  ${d.file} ${d.key} ${d.column}: committed ${cell(d.committed)}, rerun ${cell(d.rerun)}`;

export async function reproduceCommand(args: ReproduceArgs, entry: CliEntry, output: CliOutput): Promise<void> {
  const { log } = output;
  const committed = args.results ?? `results/${args.name}`;
  reportRuns(committed);
  if (args.out !== undefined && existsSync(args.out) && readdirSync(args.out).length > 0)
    throw new UsageError(`--out ${args.out} is not empty: a rerun goes into a new directory`);
  const out = args.out ?? mkdtempSync(join(tmpdir(), `qatbench-reproduce-${args.name}-`));
  // Failed and diverged runs are results too: the comparison says whether they failed the same way.
  await suiteCommand({ ...args, out, resume: false, 'allow-failures': true }, entry, output);
  const { differences, notRerun, skipped } = compareResults(committed, out);
  log(`\nreproduce: ${out} against ${committed}, every column but the timing, commit and date columns`);
  if (notRerun.length > 0) log(`  ${notRerun.length} committed run(s) not rerun by this command line (not compared), e.g. ${notRerun[0]}`);
  for (const reason of skipped) log(`  not compared: ${reason}`);
  for (const d of differences.slice(0, SHOWN)) log(line(d));
  if (differences.length > SHOWN) log(`  ... and ${differences.length - SHOWN} more`);
  if (differences.length > 0) throw new Error(`${differences.length} cell(s) of ${out} differ from ${committed} (listed above)`);
  log('  every compared cell is equal');
}

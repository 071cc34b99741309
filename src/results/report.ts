/** `qatbench report`: summary.arrow, README.md and the visual report (report.html, tables.md, charts/) from a results directory's runs.arrow. */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { readTable, writeFileAtomic, writeTable } from './arrow-io.js';
import { renderSummaryMarkdown } from './markdown.js';
import { RUNS_SCHEMA, SUMMARY_SCHEMA } from './schema.js';
import { summarize } from './summary.js';
import { type VisualReport, writeVisualReport } from '../report/write.js';
import type { SummaryRow } from './types.js';

export interface Report extends VisualReport {
  summaryPath: string;
  readmePath: string;
  summary: SummaryRow[];
}

export interface ReportOptions {
  /** The strategy every other is tested against, or how to find it from the suite the runs belong to. */
  reference?: string | ((suite: string) => string | undefined);
}

export async function writeReport(dir: string, options: ReportOptions = {}): Promise<Report> {
  const runsPath = join(dir, 'runs.arrow');
  // readTable treats a missing file as empty; here it means a wrong directory or a suite that never ran.
  if (!existsSync(runsPath)) throw new UsageError(`no runs.arrow in ${dir}: run a suite first`);
  const runs = readTable(runsPath, RUNS_SCHEMA);
  // A directory holds one suite; fall back to the directory name for an empty runs.arrow.
  const suite = runs[0]?.suite ?? basename(dir);
  const reference = typeof options.reference === 'function' ? options.reference(suite) : options.reference;
  const summary = summarize(runs, { reference });
  const summaryPath = join(dir, 'summary.arrow');
  const readmePath = join(dir, 'README.md');
  writeTable(summaryPath, SUMMARY_SCHEMA, summary);
  const profiles = [...new Set(runs.map((run) => run.profile))];
  const meta = {
    suite,
    profile: profiles.length > 0 ? profiles.join(', ') : undefined,
    generatedFrom: `runs.arrow (${runs.length} runs)`,
  };
  writeFileAtomic(readmePath, renderSummaryMarkdown(summary, meta));
  return { summaryPath, readmePath, summary, ...(await writeVisualReport(dir, runs, summary, meta)) };
}

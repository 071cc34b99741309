/** `qatbench report`: summary.arrow, claims.arrow, README.md and the visual report (report.html, tables.md, charts/) from a results directory's runs.arrow. */
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { isMixedPrecision } from '../strategy/registry.js';
import { readTable, writeFileAtomic, writeTable } from './arrow-io.js';
import { type Claim, evaluateClaims } from './claims.js';
import { renderSummaryMarkdown } from './markdown.js';
import { CLAIMS_SCHEMA, RUNS_SCHEMA, SUMMARY_SCHEMA } from './schema.js';
import { summarize } from './summary.js';
import { type VisualReport, writeVisualReport } from '../report/write.js';
import type { ClaimRow, SummaryRow } from './types.js';

export interface Report extends VisualReport {
  summaryPath: string;
  readmePath: string;
  summary: SummaryRow[];
  /** Where claims.arrow is; null when there are no claims (and no file). */
  claimsPath: string | null;
  claims: ClaimRow[];
}

/** A value, or how to find it from the name of the suite the runs belong to. */
type PerSuite<T> = T | ((suite: string) => T);

export interface ReportOptions {
  /** The strategy every other is tested against. */
  reference?: PerSuite<string | undefined>;
  /** The claims to give a verdict on (a suite's). */
  claims?: PerSuite<readonly Claim[]>;
}

const forSuite = <T>(option: PerSuite<T>, suite: string): T => (typeof option === 'function' ? (option as (suite: string) => T)(suite) : option);

export async function writeReport(dir: string, options: ReportOptions = {}): Promise<Report> {
  const runsPath = join(dir, 'runs.arrow');
  // readTable treats a missing file as empty; here it means a wrong directory or a suite that never ran.
  if (!existsSync(runsPath)) throw new UsageError(`no runs.arrow in ${dir}: run a suite first`);
  const runs = readTable(runsPath, RUNS_SCHEMA);
  // A directory holds one suite; fall back to the directory name for an empty runs.arrow.
  const suite = runs[0]?.suite ?? basename(dir);
  const summary = summarize(runs, { reference: forSuite(options.reference, suite), mixedPrecision: isMixedPrecision });
  const claims = evaluateClaims(forSuite(options.claims ?? [], suite), runs, suite);
  const summaryPath = join(dir, 'summary.arrow');
  const readmePath = join(dir, 'README.md');
  writeTable(summaryPath, SUMMARY_SCHEMA, summary);
  // Without claims there is no file: one left from an earlier report would give verdicts nothing declares any more.
  const claimsPath = claims.length > 0 ? join(dir, 'claims.arrow') : null;
  if (claimsPath) writeTable(claimsPath, CLAIMS_SCHEMA, claims);
  else rmSync(join(dir, 'claims.arrow'), { force: true });
  const profiles = [...new Set(runs.map((run) => run.profile))];
  const meta = {
    suite,
    profile: profiles.length > 0 ? profiles.join(', ') : undefined,
    generatedFrom: `runs.arrow (${runs.length} runs)`,
  };
  writeFileAtomic(readmePath, renderSummaryMarkdown(summary, meta, claims));
  return { summaryPath, readmePath, summary, claimsPath, claims, ...(await writeVisualReport(dir, runs, summary, claims, meta)) };
}

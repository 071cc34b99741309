/** The runs that did not finish ok, with their reasons: the end of README.md and report.html, so a failure is never only a count. */
import type { RunRow } from '../results/types.js';
import { markdownTable } from './format.js';

export type FailedRun = Pick<RunRow, 'run_id' | 'status' | 'error'>;

export const FAILURES_HEADING = 'Runs that did not finish ok';
export const FAILURES_HEADER = ['run', 'status', 'reason'];

export const failureLines = (runs: readonly FailedRun[]): string[][] => runs.map((run) => [run.run_id, run.status, run.error ?? 'no error recorded']);

/** Nothing when every run finished ok. */
export function failuresSection(runs: readonly FailedRun[]): string[] {
  if (runs.length === 0) return [];
  return [`## ${FAILURES_HEADING}\n\n${markdownTable(FAILURES_HEADER, failureLines(runs), FAILURES_HEADER.length)}`];
}

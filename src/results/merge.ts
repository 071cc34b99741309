import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { ResultStore } from './store.js';
import type { RunRow } from './types.js';

/** What identifies a run across directories: its config hash and seed (and its labels, which run_id carries). */
const identity = (run: RunRow) => run.run_id;

/**
 * Combines result directories (shards of one suite, or re-runs) into one: each run once, the
 * most recently started copy where several directories hold it, with its neurons and curves.
 */
export function mergeResults(dirs: string[], out: string): { runs: number; duplicates: number } {
  checkMergeSources(dirs);
  const chosen = new Map<string, { run: RunRow; store: ResultStore }>();
  let seen = 0;
  for (const dir of dirs) {
    const store = new ResultStore(dir);
    for (const run of store.runs()) {
      seen++;
      const current = chosen.get(identity(run));
      if (!current || run.started_at > current.run.started_at) chosen.set(identity(run), { run, store });
    }
  }
  const target = new ResultStore(out);
  target.recordRuns([...chosen.values()].map(({ run, store }) => ({ run, ...store.rowsOf(run.run_id) })));
  return { runs: chosen.size, duplicates: seen - chosen.size };
}

/** Every source must be a results directory: checked before anything is written, so a typo leaves no empty --out behind. */
export function checkMergeSources(dirs: readonly string[]): void {
  for (const dir of dirs) if (!existsSync(join(dir, 'runs.arrow'))) throw new UsageError(`no runs.arrow in ${dir}: not a results directory`);
}

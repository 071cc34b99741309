import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/results/compare.js';
import { ResultStore } from '../../src/results/store.js';
import { writeTable } from '../../src/results/arrow-io.js';
import { SUMMARY_SCHEMA } from '../../src/results/schema.js';
import { summarize } from '../../src/results/summary.js';
import type { RunRow } from '../../src/results/types.js';
import { curveRows, neuronRows, runRow, tempDirs } from './rows.js';

const newDir = tempDirs();

/** A results directory of the given runs (two neurons and two epochs each) and their summary. */
function results(runs: RunRow[]): string {
  const dir = newDir();
  new ResultStore(dir).recordRuns(runs.map((run) => ({ run, neurons: neuronRows(run.run_id, 2), curves: curveRows(run.run_id, 2) })));
  writeTable(`${dir}/summary.arrow`, SUMMARY_SCHEMA, summarize(runs));
  return dir;
}

const a = runRow({ run_id: 'a', seed: 1 });
const b = runRow({ run_id: 'b', seed: 2, test_metric: 0.8 });

describe('compareResults', () => {
  it('finds nothing when only timing, commit and date differ, whatever the row order', () => {
    const committed = results([a, b]);
    const later = { train_seconds: 99, search_seconds: 7, pretrain_seconds: 3, git_commit: 'f00', started_at: '2030-01-01T00:00:00.000Z' };
    const rerun = results([
      { ...b, ...later },
      { ...a, ...later },
    ]);
    expect(compareResults(committed, rerun)).toEqual({ differences: [], notRerun: [], skipped: [] });
  });

  it('names each differing cell with both values, and rows only one side has', () => {
    const committed = results([a, b]);
    const rerun = results([a, { ...b, test_metric: 0.81, node_version: 'v22.0.0' }, runRow({ run_id: 'c', seed: 3 })]);
    const { differences } = compareResults(committed, rerun);
    expect(differences.filter((d) => d.file === 'runs.arrow')).toEqual([
      { file: 'runs.arrow', key: 'b', column: 'test_metric', committed: 0.8, rerun: 0.81 },
      { file: 'runs.arrow', key: 'b', column: 'node_version', committed: a.node_version, rerun: 'v22.0.0' },
      { file: 'runs.arrow', key: 'c', column: '(row)', committed: 'missing', rerun: 'present' },
    ]);
    expect(differences.some((d) => d.file === 'summary.arrow' && d.column === 'test_metric_mean')).toBe(true);
    expect(differences.filter((d) => d.file === 'neurons.arrow').map((d) => d.key)).toEqual(['c dense_1 0', 'c dense_1 1']);
  });

  it('compares only the runs a partial rerun ran, and leaves the pooled summary out', () => {
    const committed = results([a, b]);
    const rerun = results([a]);
    expect(compareResults(committed, rerun)).toEqual({
      differences: [],
      notRerun: ['b'],
      skipped: ['summary.arrow: pools all 2 committed runs, the rerun has 1'],
    });
  });
});

/**
 * Compares the tables of a rerun with committed ones, cell by cell: every column but the timing,
 * commit and date columns, rows matched by their key (a parallel run records runs in the order they
 * finish, so row order is not compared). What `qatbench reproduce` reports.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTable } from './arrow-io.js';
import { CLAIMS_SCHEMA, CURVES_SCHEMA, NEURONS_SCHEMA, RUNS_SCHEMA, SUMMARY_SCHEMA, type TableSchema } from './schema.js';

interface Comparison<Row> {
  file: string;
  schema: TableSchema<Row>;
  key: (row: Row) => string;
  /** Columns that measure time, name the commit or date the run: they differ on every rerun. */
  ignored: (row: Row) => readonly string[];
  /** Only where the rerun holds the same runs: its statistics pool every run of the directory. */
  pooled: boolean;
}

const RUN_IGNORED = ['train_seconds', 'search_seconds', 'pretrain_seconds', 'git_commit', 'started_at'];
const SUMMARY_IGNORED = ['train_seconds_mean', 'search_seconds_mean', 'pretrain_seconds_mean'];
/** A wall-clock claim measures time: its estimate and verdicts are timing too. */
const WALL_CLOCK_IGNORED = ['estimate', 'ci_low', 'ci_high', 'p_value', 'verdict', 'claim_verdict'];

const comparison = <Row>(c: Comparison<Row>) => c as unknown as Comparison<Record<string, unknown>>;

const COMPARISONS = [
  comparison({ file: 'runs.arrow', schema: RUNS_SCHEMA, key: (r) => r.run_id, ignored: () => RUN_IGNORED, pooled: false }),
  comparison({ file: 'neurons.arrow', schema: NEURONS_SCHEMA, key: (r) => `${r.run_id} ${r.layer} ${r.neuron}`, ignored: () => [], pooled: false }),
  comparison({ file: 'curves.arrow', schema: CURVES_SCHEMA, key: (r) => `${r.run_id} epoch ${r.epoch}`, ignored: () => [], pooled: false }),
  comparison({
    file: 'summary.arrow',
    schema: SUMMARY_SCHEMA,
    key: (r) => `${r.dataset} ${r.model} ${r.strategy}`,
    ignored: () => SUMMARY_IGNORED,
    pooled: true,
  }),
  comparison({
    file: 'claims.arrow',
    schema: CLAIMS_SCHEMA,
    key: (r) => `${r.claim_id} ${r.dataset}`,
    ignored: (r) => (r.measure === 'wall_clock_ratio' ? WALL_CLOCK_IGNORED : []),
    pooled: true,
  }),
];

export interface Difference {
  file: string;
  key: string;
  column: string;
  committed: unknown;
  rerun: unknown;
}

export interface ComparisonReport {
  differences: Difference[];
  /** Committed runs the rerun did not run (e.g. a suite committed from several command lines): not compared. */
  notRerun: string[];
  /** Tables left uncompared, and why. */
  skipped: string[];
}

export function compareResults(committedDir: string, rerunDir: string): ComparisonReport {
  const runIds = (dir: string) => new Set(readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA).map((r) => r.run_id));
  const committedRuns = runIds(committedDir);
  const rerunRuns = runIds(rerunDir);
  const notRerun = [...committedRuns].filter((id) => !rerunRuns.has(id));
  const differences: Difference[] = [];
  const skipped: string[] = [];
  for (const c of COMPARISONS) {
    const [committedPath, rerunPath] = [join(committedDir, c.file), join(rerunDir, c.file)];
    if (!existsSync(committedPath) && !existsSync(rerunPath)) continue;
    if (c.pooled && notRerun.length > 0) {
      skipped.push(`${c.file}: pools all ${committedRuns.size} committed runs, the rerun has ${rerunRuns.size}`);
      continue;
    }
    const rerun = new Map(readTable(rerunPath, c.schema).map((row) => [c.key(row), row]));
    const committed = readTable(committedPath, c.schema).filter((row) => c.pooled || !('run_id' in row) || rerunRuns.has(row.run_id as string));
    for (const row of committed) {
      const key = c.key(row);
      const other = rerun.get(key);
      rerun.delete(key);
      if (!other) {
        differences.push({ file: c.file, key, column: '(row)', committed: 'present', rerun: 'missing' });
        continue;
      }
      const ignored = c.ignored(row);
      for (const { name } of c.schema) {
        if (ignored.includes(name) || Object.is(row[name], other[name])) continue;
        differences.push({ file: c.file, key, column: name, committed: row[name], rerun: other[name] });
      }
    }
    for (const key of rerun.keys()) differences.push({ file: c.file, key, column: '(row)', committed: 'missing', rerun: 'present' });
  }
  return { differences, notRerun, skipped };
}

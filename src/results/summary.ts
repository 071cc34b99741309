/** Per-(suite, dataset, model, strategy) statistics over seeds: the rows of summary.arrow. */
import { HIGHER_IS_BETTER, type MetricName } from '../metrics/task-metrics.js';
import { FLOAT_BITS } from '../layers/layer.js';
import { describe, pairedTTest } from './stats.js';
import type { RunRow, SummaryRow } from './types.js';

/** Group key, and the sort order of the groups: the suite's order (SuiteOrder), else first appearance in the runs. */
const GROUP_KEYS = ['suite', 'dataset', 'model', 'strategy'] as const;

/** The order a suite defines its datasets, models and strategies in: the tables and charts follow it, whatever order the runs were recorded in. */
export interface SuiteOrder {
  datasets: readonly string[];
  models: readonly string[];
  strategies: readonly string[];
}

const ORDER_FIELD = { dataset: 'datasets', model: 'models', strategy: 'strategies' } as const;

export interface SummaryOptions {
  order?: SuiteOrder;
  /** Label of the strategy every other is tested against (a suite's reference, e.g. nmp-qat). */
  reference?: string;
  /** Whether a registered strategy (by name) learns or searches its widths; undefined for a name it does not know. */
  mixedPrecision?: (strategyName: string) => boolean | undefined;
}

export function summarize(runs: readonly RunRow[], options: SummaryOptions = {}): SummaryRow[] {
  const groups = new Map<string, RunRow[]>();
  for (const run of runs) {
    const key = JSON.stringify(GROUP_KEYS.map((k) => run[k]));
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  // The suite's order, then first appearance: every dataset gets the same strategy order, and a rerun
  // (whose rows are appended) moves nothing.
  const ranks = GROUP_KEYS.map((k) =>
    rankBy(
      runs.map((run) => run[k]),
      k === 'suite' ? [] : (options.order?.[ORDER_FIELD[k]] ?? []),
    ),
  );
  const byRank = (a: RunRow, b: RunRow) => GROUP_KEYS.reduce((order, k, i) => order || ranks[i].get(a[k])! - ranks[i].get(b[k])!, 0);
  const cells = [...groups.values()].sort((a, b) => byRank(a[0], b[0])).map(latestConfiguration);
  const rows = cells.map(summarizeGroup);
  return rows.map((row, i) => ({
    ...row,
    best_quantized: isBestQuantized(row, rows),
    mixed_precision: options.mixedPrecision?.(cells[i][0].strategy_name) ?? null,
    ...versusReference(cells[i], cells, options.reference),
  }));
}

type CellStats = Omit<SummaryRow, 'best_quantized' | 'mixed_precision' | 'reference' | 'paired_seeds' | 'reference_diff_mean' | 'reference_p_value'>;

const sameCell = (a: Pick<RunRow, 'suite' | 'dataset' | 'model'>, b: Pick<RunRow, 'suite' | 'dataset' | 'model'>) =>
  a.suite === b.suite && a.dataset === b.dataset && a.model === b.model;

/** Whether the row has the best mean test metric among the quantized strategies of its dataset and model. */
function isBestQuantized(row: CellStats, rows: CellStats[]): boolean {
  const quantized = (r: CellStats) => sameCell(r, row) && r.test_metric_mean !== null && r.avg_weight_bits_mean !== null && r.avg_weight_bits_mean < FLOAT_BITS;
  if (!quantized(row)) return false;
  const sign = HIGHER_IS_BETTER[row.metric_name as MetricName] ? 1 : -1;
  return rows.filter(quantized).every((r) => sign * (row.test_metric_mean! - r.test_metric_mean!) >= 0);
}

/** Paired over the seeds both finished ok: the reference's test metric minus this strategy's. */
function versusReference(group: RunRow[], cells: RunRow[][], reference: string | undefined) {
  const none = { reference: null, paired_seeds: null, reference_diff_mean: null, reference_p_value: null };
  const first = group[0];
  if (!reference || first.strategy === reference) return none;
  const refRuns = cells.find((c) => sameCell(c[0], first) && c[0].strategy === reference);
  if (!refRuns) return none;
  const okMetric = (runs: RunRow[]) => new Map(runs.filter((r) => r.status === 'ok' && r.test_metric !== null).map((r) => [r.seed, r.test_metric!]));
  const mine = okMetric(group);
  const theirs = okMetric(refRuns);
  const diffs = [...mine.keys()].filter((seed) => theirs.has(seed)).map((seed) => theirs.get(seed)! - mine.get(seed)!);
  const test = pairedTTest(diffs);
  return { reference, paired_seeds: test.n, reference_diff_mean: test.meanDiff, reference_p_value: test.p };
}

/** Each value's rank: its place in `defined`, else after all of those in order of first appearance. */
function rankBy(values: readonly string[], defined: readonly string[]): Map<string, number> {
  const rank = new Map(defined.map((value, i) => [value, i]));
  for (const value of values) if (!rank.has(value)) rank.set(value, rank.size);
  return rank;
}

/**
 * A results directory keeps the runs of earlier configurations of a cell (say, before an
 * --epochs change); statistics use only the configuration of the cell's latest run, so
 * seeds of different configurations are never averaged together. The runs come back in seed
 * order: parallel workers append rows in the order they finish, and a float sum taken in that
 * order would change a summary's last bits from one rerun to the next.
 */
export function latestConfiguration(runs: readonly RunRow[]): RunRow[] {
  const latest = runs.reduce((a, b) => (b.started_at > a.started_at ? b : a));
  return runs.filter((run) => run.config_hash === latest.config_hash).sort((a, b) => a.seed - b.seed);
}

/** Each cell's runs of its latest configuration, whatever their status. */
function currentRuns(runs: readonly RunRow[]): RunRow[] {
  const cells = new Map<string, RunRow[]>();
  for (const run of runs) {
    const key = JSON.stringify(GROUP_KEYS.map((k) => run[k]));
    cells.set(key, [...(cells.get(key) ?? []), run]);
  }
  return [...cells.values()].flatMap(latestConfiguration);
}

/** The runs the summary statistics use (each cell's latest configuration, status ok), so charts, tables and claims show the same seeds. */
export const reportedRuns = (runs: readonly RunRow[]): RunRow[] => currentRuns(runs).filter((run) => run.status === 'ok');

/** The runs of the reported configurations that failed or diverged: what the summary counts as n_failed. */
export const failedRuns = (runs: readonly RunRow[]): RunRow[] => currentRuns(runs).filter((run) => run.status !== 'ok');

/** Statistics of one cell's runs (already narrowed to its latest configuration); comparisons are added after. */
function summarizeGroup(runs: RunRow[]): CellStats {
  const ok = runs.filter((run) => run.status === 'ok');
  // Nulls (not measured) are skipped; NaN too, since in-memory rows may carry it where files hold null.
  const stat = (pick: (run: RunRow) => number | null) => describe(ok.map(pick).filter((v): v is number => v !== null && !Number.isNaN(v)));
  const metric = stat((run) => run.test_metric);
  const accuracy = stat((run) => run.test_accuracy);
  const f1 = stat((run) => run.test_f1);
  const weightBits = stat((run) => run.avg_weight_bits);
  const activationBits = stat((run) => run.avg_activation_bits);
  const { suite, dataset, task, model, strategy, metric_name } = runs[0];
  return {
    suite,
    dataset,
    task,
    model,
    strategy,
    metric_name,
    n_seeds: ok.length,
    n_failed: runs.length - ok.length,
    test_metric_mean: metric.mean,
    test_metric_std: metric.std,
    test_metric_ci95: metric.ci95,
    test_accuracy_mean: accuracy.mean,
    test_accuracy_std: accuracy.std,
    test_f1_mean: f1.mean,
    test_f1_std: f1.std,
    avg_weight_bits_mean: weightBits.mean,
    avg_weight_bits_std: weightBits.std,
    avg_weight_bits_ci95: weightBits.ci95,
    avg_activation_bits_mean: activationBits.mean,
    avg_activation_bits_std: activationBits.std,
    avg_activation_bits_ci95: activationBits.ci95,
    model_bytes_mean: stat((run) => run.model_bytes).mean,
    compression_ratio_mean: stat((run) => run.compression_ratio).mean,
    bitops_mean: stat((run) => run.bitops).mean,
    train_seconds_mean: stat((run) => run.train_seconds).mean,
    search_seconds_mean: stat((run) => run.search_seconds).mean,
    pretrain_seconds_mean: stat((run) => run.pretrain_seconds ?? null).mean,
    budget_bits_mean: stat((run) => run.budget_bits).mean,
  };
}

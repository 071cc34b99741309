/** Per-(suite, dataset, model, strategy) statistics over seeds: the rows of summary.arrow. */
import { describe } from './stats.js';
import type { RunRow, SummaryRow } from './types.js';

/** Group key, and the sort order of the groups: each by first appearance in the runs. */
const GROUP_KEYS = ['suite', 'dataset', 'model', 'strategy'] as const;

export function summarize(runs: readonly RunRow[]): SummaryRow[] {
  const groups = new Map<string, RunRow[]>();
  for (const run of runs) {
    const key = JSON.stringify(GROUP_KEYS.map((k) => run[k]));
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  // Sorting by each key's first appearance gives every dataset the same strategy order,
  // even when strategies were run in a different order on some datasets.
  const firstSeen = GROUP_KEYS.map((k) => indexOfFirst(runs.map((run) => run[k])));
  const byFirstSeen = (a: RunRow, b: RunRow) =>
    GROUP_KEYS.reduce((order, k, i) => order || firstSeen[i].get(a[k])! - firstSeen[i].get(b[k])!, 0);
  return [...groups.values()].sort((a, b) => byFirstSeen(a[0], b[0])).map(summarizeGroup);
}

function indexOfFirst(values: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const value of values) if (!index.has(value)) index.set(value, index.size);
  return index;
}

/**
 * A results directory keeps the runs of earlier configurations of a cell (say, before an
 * --epochs change); statistics use only the configuration of the cell's latest run, so
 * seeds of different configurations are never averaged together.
 */
export function latestConfiguration(runs: readonly RunRow[]): RunRow[] {
  const latest = runs.reduce((a, b) => (b.started_at > a.started_at ? b : a));
  return runs.filter((run) => run.config_hash === latest.config_hash);
}

function summarizeGroup(group: RunRow[]): SummaryRow {
  const runs = latestConfiguration(group);
  const ok = runs.filter((run) => run.status === 'ok');
  // Nulls (not measured) are skipped; NaN too, since in-memory rows may carry it where files hold null.
  const stat = (pick: (run: RunRow) => number | null) =>
    describe(ok.map(pick).filter((v): v is number => v !== null && !Number.isNaN(v)));
  const metric = stat((run) => run.test_metric);
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
  };
}

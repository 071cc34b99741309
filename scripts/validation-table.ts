/**
 * Validation metric and bits per strategy label, averaged over seeds, from a results directory's
 * runs.arrow: what variants are chosen on (never the test metric). Prints a markdown table per
 * dataset, then each label against a reference label over the (dataset, seed) pairs both ran:
 * the mean relative change of the validation metric (positive: better), wins, and the paired
 * t-test p-value, with the mean change of average weight bits.
 * Usage: npx tsx scripts/validation-table.ts results/reconstruction [--model mlp] [--reference nmp-qat]
 */
import { join } from 'node:path';
import { readTable } from '../src/results/arrow-io.js';
import { RUNS_SCHEMA } from '../src/results/schema.js';
import { describe, pairedTTest } from '../src/results/stats.js';
import { reportedRuns } from '../src/results/summary.js';
import { headlineMetric, type MetricName } from '../src/metrics/task-metrics.js';
import type { Task } from '../src/data/types.js';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: npx tsx scripts/validation-table.ts <results dir> [--model mlp]\n');
  process.exit(2);
}
const flag = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const model = flag('model');
const reference = flag('reference') ?? 'nmp-qat';
// The runs the summary reports: each cell's latest configuration, status ok.
const runs = reportedRuns(readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA)).filter((r) => model === undefined || r.model === model);
const labels = [...new Set(runs.map((r) => r.strategy))];
const datasets = [...new Set(runs.map((r) => r.dataset))];
const fmt = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));
/** Four significant digits: metrics range from 1e-5 (seconds squared) to 1e2. */
const sig = (x: number | null) => (x === null ? '-' : x.toPrecision(4));

for (const dataset of datasets) {
  const rows = runs.filter((r) => r.dataset === dataset);
  const metric = headlineMetric(rows[0].task as Task, rows[0].metric_name as MetricName);
  const stats = labels
    .map((label) => {
      const mine = rows.filter((r) => r.strategy === label);
      const mean = (pick: (r: (typeof mine)[number]) => number | null) => describe(mine.map(pick).filter((v): v is number => v !== null));
      return {
        label,
        n: mine.length,
        val: mean((r) => r.val_metric),
        w: mean((r) => r.avg_weight_bits),
        a: mean((r) => r.avg_activation_bits),
        epochs: mean((r) => r.epochs),
      };
    })
    .filter((s) => s.n > 0);
  process.stdout.write(`\n### ${dataset} (validation ${metric.name}, ${metric.higherIsBetter ? 'higher' : 'lower'} is better)\n\n`);
  process.stdout.write('| variant | seeds | val metric | ± std | W bits | A bits | epochs |\n|---|---:|---:|---:|---:|---:|---:|\n');
  for (const s of stats) {
    process.stdout.write(
      `| ${s.label} | ${s.n} | ${sig(s.val.mean)} | ${sig(s.val.std)} | ${fmt(s.w.mean, 2)} | ${fmt(s.a.mean, 2)} | ${fmt(s.epochs.mean, 1)} |\n`,
    );
  }
}
const key = (r: (typeof runs)[number]) => `${r.dataset}/${r.seed}`;
const byKey = new Map(runs.filter((r) => r.strategy === reference).map((r) => [key(r), r]));
/** The range over datasets of a label's per-dataset mean of a column. */
function range(label: string, pick: (r: (typeof runs)[number]) => number | null): string {
  const means = datasets
    .map(
      (d) =>
        describe(
          runs
            .filter((r) => r.strategy === label && r.dataset === d)
            .map(pick)
            .filter((v): v is number => v !== null),
        ).mean,
    )
    .filter((m): m is number => m !== null);
  return `${Math.min(...means).toFixed(2)}-${Math.max(...means).toFixed(2)}`;
}
process.stdout.write(
  `\n### against ${reference}, over (dataset, seed) pairs\n\n| variant | pairs | validation metric, mean relative change (+: better) | wins | p (paired t) | weight bits, mean change | W bits (range of dataset means) | A bits |\n|---|---:|---:|---:|---:|---:|---:|---:|\n`,
);
for (const label of labels.filter((l) => l !== reference)) {
  const pairs = runs.filter((r) => r.strategy === label && byKey.has(key(r)) && r.val_metric !== null && byKey.get(key(r))!.val_metric !== null);
  const gains = pairs.map((r) => {
    const ref = byKey.get(key(r))!;
    const sign = headlineMetric(r.task as Task).higherIsBetter ? 1 : -1;
    return (sign * (r.val_metric! - ref.val_metric!)) / Math.abs(ref.val_metric!);
  });
  const bits = pairs.map((r) => r.avg_weight_bits! - byKey.get(key(r))!.avg_weight_bits!);
  const test = pairedTTest(gains);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  process.stdout.write(
    `| ${label} | ${pairs.length} | ${(100 * mean(gains)).toFixed(2)}% | ${gains.filter((g) => g > 0).length} | ${test.p === null ? '-' : test.p.toFixed(3)} | ${mean(bits) >= 0 ? '+' : ''}${mean(bits).toFixed(2)} | ${range(label, (r) => r.avg_weight_bits)} | ${range(label, (r) => r.avg_activation_bits)} |\n`,
  );
}

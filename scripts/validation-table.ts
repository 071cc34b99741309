/**
 * Validation metric and bits per strategy label, averaged over seeds, from a results directory's
 * runs.arrow: what variants are chosen on (never the test metric). Prints a markdown table per
 * dataset plus, per label, the mean rank of its validation metric across datasets.
 * Usage: npx tsx scripts/validation-table.ts results/reconstruction [--model mlp]
 */
import { join } from 'node:path';
import { readTable } from '../src/results/arrow-io.js';
import { RUNS_SCHEMA } from '../src/results/schema.js';
import { describe } from '../src/results/stats.js';
import { headlineMetric } from '../src/metrics/task-metrics.js';
import type { Task } from '../src/data/types.js';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: npx tsx scripts/validation-table.ts <results dir> [--model mlp]\n');
  process.exit(2);
}
const model = rest[0] === '--model' ? rest[1] : undefined;
const runs = readTable(join(dir, 'runs.arrow'), RUNS_SCHEMA).filter((r) => r.status === 'ok' && (model === undefined || r.model === model));
const labels = [...new Set(runs.map((r) => r.strategy))];
const datasets = [...new Set(runs.map((r) => r.dataset))];
const fmt = (x: number | null, digits: number) => (x === null ? '-' : x.toFixed(digits));
const ranks = new Map<string, number[]>(labels.map((l) => [l, []]));

for (const dataset of datasets) {
  const rows = runs.filter((r) => r.dataset === dataset);
  const metric = headlineMetric(rows[0].task as Task);
  const stats = labels
    .map((label) => {
      const mine = rows.filter((r) => r.strategy === label);
      const mean = (pick: (r: (typeof mine)[number]) => number | null) => describe(mine.map(pick).filter((v): v is number => v !== null));
      return { label, n: mine.length, val: mean((r) => r.val_metric), w: mean((r) => r.avg_weight_bits), a: mean((r) => r.avg_activation_bits), epochs: mean((r) => r.epochs) };
    })
    .filter((s) => s.n > 0);
  const ordered = [...stats].sort((x, y) => (metric.higherIsBetter ? y.val.mean! - x.val.mean! : x.val.mean! - y.val.mean!));
  ordered.forEach((s, i) => ranks.get(s.label)!.push(i + 1));
  process.stdout.write(`\n### ${dataset} (validation ${metric.name}, ${metric.higherIsBetter ? 'higher' : 'lower'} is better)\n\n`);
  process.stdout.write('| variant | seeds | val metric | ± std | W bits | A bits | epochs |\n|---|---:|---:|---:|---:|---:|---:|\n');
  for (const s of stats) {
    process.stdout.write(`| ${s.label} | ${s.n} | ${fmt(s.val.mean, 4)} | ${fmt(s.val.std, 4)} | ${fmt(s.w.mean, 2)} | ${fmt(s.a.mean, 2)} | ${fmt(s.epochs.mean, 1)} |\n`);
  }
}
process.stdout.write('\n### mean rank of the validation metric over datasets (1 = best)\n\n| variant | mean rank |\n|---|---:|\n');
for (const [label, r] of ranks) if (r.length) process.stdout.write(`| ${label} | ${(r.reduce((a, b) => a + b, 0) / r.length).toFixed(2)} |\n`);
